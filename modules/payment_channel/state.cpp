#include "modules/payment_channel/state.hpp"

#include "runtime/crypto/hash.hpp"

#include <array>
#include <bit>
#include <tuple>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::modules::payment_channel, StateError, "payment_channel::state", to_string)

namespace bazaar::modules::payment_channel {

namespace crypto = runtime::crypto;

const char* to_string(StateError e) {
  switch (e) {
    case StateError::LeafIndexOutOfRange: return "Merkle leaf index out of range";
    case StateError::InvalidAccumulator: return "accumulator peaks do not match its leaf count";
  }
  return "unknown payment-channel state error";
}

ChannelId channel_id(const AccountId32& opener, const AccountId32& counterparty, uint64_t nonce) {
  return crypto::blake2b_256(runtime::codec::encode(std::make_tuple(opener, counterparty, nonce)));
}

namespace {
H256 domain_hash(std::string_view domain, const H256& genesis_hash, const ChannelState& state) {
  const Bytes encoded = runtime::codec::encode(state);
  return crypto::blake2b_256_concat({crypto::as_bytes(domain), genesis_hash.span(), encoded});
}
}  // namespace

H256 state_signing_hash(const H256& genesis_hash, const ChannelState& state) {
  return domain_hash(kStateDomain, genesis_hash, state);
}

H256 close_signing_hash(const H256& genesis_hash, const ChannelState& state) {
  return domain_hash(kCloseDomain, genesis_hash, state);
}

crypto::EcdsaSignature sign_state(const crypto::Keypair& key, const H256& genesis_hash, const ChannelState& state) {
  return key.sign(state_signing_hash(genesis_hash, state).span());
}

bool verify_state(const crypto::EcdsaSignature& sig, const H256& genesis_hash, const ChannelState& state,
                  const AccountId32& signer) {
  return crypto::verify(sig, state_signing_hash(genesis_hash, state).span(), signer);
}

crypto::EcdsaSignature sign_close(const crypto::Keypair& key, const H256& genesis_hash, const ChannelState& state) {
  return key.sign(close_signing_hash(genesis_hash, state).span());
}

bool verify_close(const crypto::EcdsaSignature& sig, const H256& genesis_hash, const ChannelState& state,
                  const AccountId32& signer) {
  return crypto::verify(sig, close_signing_hash(genesis_hash, state).span(), signer);
}

// ---- Merkle tree ----

H256 task_leaf(const TaskEntry& entry) { return crypto::blake2b_256(runtime::codec::encode(entry)); }

unsigned tree_depth(uint64_t count) { return count <= 1 ? 0 : static_cast<unsigned>(std::bit_width(count - 1)); }

H256 hash_pair(const H256& left, const H256& right) {
  return crypto::blake2b_256_concat({left.span(), right.span()});
}

const H256& empty_subtree_root(unsigned height) {
  static const std::array<H256, 65> zeros = [] {
    std::array<H256, 65> z{};
    for (std::size_t h = 1; h < z.size(); ++h) z[h] = hash_pair(z[h - 1], z[h - 1]);
    return z;
  }();
  return zeros.at(height);
}

namespace {
/// The level above `level` (height h), padding an odd last node with Z[h].
std::vector<H256> parent_level(const std::vector<H256>& level, unsigned h) {
  std::vector<H256> up;
  up.reserve((level.size() + 1) / 2);
  for (std::size_t i = 0; i < level.size(); i += 2)
    up.push_back(hash_pair(level[i], i + 1 < level.size() ? level[i + 1] : empty_subtree_root(h)));
  return up;
}
}  // namespace

H256 tasks_root(std::span<const H256> leaves) {
  if (leaves.empty()) return empty_subtree_root(0);
  std::vector<H256> level(leaves.begin(), leaves.end());
  const unsigned depth = tree_depth(leaves.size());
  // Padding with empty subtrees at every level equals padding the leaves up to 2^depth.
  for (unsigned h = 0; h < depth; ++h) level = parent_level(level, h);
  return level.front();
}

Result<std::vector<H256>> merkle_proof(std::span<const H256> leaves, uint64_t index) {
  if (index >= leaves.size()) return StateError::LeafIndexOutOfRange;
  const unsigned depth = tree_depth(leaves.size());
  std::vector<H256> proof;
  proof.reserve(depth);
  std::vector<H256> level(leaves.begin(), leaves.end());
  uint64_t i = index;
  for (unsigned h = 0; h < depth; ++h) {
    const uint64_t sibling = i ^ 1;
    proof.push_back(sibling < level.size() ? level[sibling] : empty_subtree_root(h));
    level = parent_level(level, h);
    i >>= 1;
  }
  return proof;
}

bool verify_merkle_proof(const H256& root, const H256& leaf, uint64_t index, uint64_t count,
                         std::span<const H256> proof) {
  if (index >= count || proof.size() != tree_depth(count)) return false;
  H256 node = leaf;
  for (std::size_t h = 0; h < proof.size(); ++h)
    node = ((index >> h) & 1) ? hash_pair(proof[h], node) : hash_pair(node, proof[h]);
  return node == root;
}

// ---- the incremental accumulator ----

Result<TasksAccumulator> TasksAccumulator::from_peaks(uint64_t count, std::vector<H256> peaks) {
  if (peaks.size() != static_cast<std::size_t>(std::popcount(count))) return StateError::InvalidAccumulator;
  TasksAccumulator acc;
  acc.m_count = count;
  acc.m_peaks = std::move(peaks);
  return acc;
}

void TasksAccumulator::append(const H256& leaf) {
  // Like a binary increment: each trailing 1-bit of the count is a peak of that height that merges
  // with the new subtree (the peak is its left sibling).
  H256 node = leaf;
  for (unsigned h = 0; (m_count >> h) & 1; ++h) {
    node = hash_pair(m_peaks.back(), node);
    m_peaks.pop_back();
  }
  m_peaks.push_back(node);
  ++m_count;
}

H256 TasksAccumulator::root() const {
  if (m_count == 0) return empty_subtree_root(0);
  if (std::has_single_bit(m_count)) return m_peaks.front();  // a complete tree: its only peak
  // Walk up from the empty subtree at position `count`: at height h the subtree holding that
  // position is a right child when bit h is set (its left sibling is the peak of height h), else a
  // left child of an empty right sibling Z[h].
  const unsigned depth = tree_depth(m_count);
  H256 node = empty_subtree_root(0);
  std::size_t next_peak = m_peaks.size();  // peaks are highest first: walk them from the back
  for (unsigned h = 0; h < depth; ++h) {
    if ((m_count >> h) & 1) {
      node = hash_pair(m_peaks[--next_peak], node);
    } else {
      node = hash_pair(node, empty_subtree_root(h));
    }
  }
  return node;
}

}  // namespace bazaar::modules::payment_channel
