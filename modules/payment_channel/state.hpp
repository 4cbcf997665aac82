#pragma once
// Payment-channel states, their signatures and the tasks Merkle tree: pure
// functions with no storage, shared by the PaymentChannel module (on chain),
// the provider's worker and the requester's wallet (off chain).
//
// Party A is the channel's opener, party B its counterparty.
//
// Byte formats (all SCALE, all hashes blake2b-256):
//   channel id    = blake2b-256(SCALE((opener: AccountId32, counterparty: AccountId32, nonce: u64)))
//                   where nonce is the opener's PaymentChannel.NextChannelNonce at the time of opening;
//   ChannelState  = channel_id [32] ++ version u64 LE ++ balance_a u128 LE ++ balance_b u128 LE ++ tasks_root [32]
//                   (104 bytes, no compact integers);
//   state hash    = blake2b-256("bazaar/channel-state" ++ genesis_hash ++ SCALE(state))   -- an update
//   close hash    = blake2b-256("bazaar/channel-close" ++ genesis_hash ++ SCALE(state))   -- a final state
//   signature     = 65-byte secp256k1 ECDSA (r ++ s ++ recovery id) made exactly like an extrinsic
//                   signature: Keypair::sign(hash) — i.e. over blake2b-256 of the 32-byte hash above —
//                   and checked with crypto::verify(sig, hash, account) (polkadot.js: pair.sign(hash)).
//
// Why two hashes: challenge and close_unilateral accept any co-signed update, and the chain cannot
// tell whether an update is the latest one; cooperative_close pays out at once without a challenge
// period, so it must only accept a state both parties marked as final. Sign the close hash only for
// the state you agree to end the channel on (Lightning's closing_signed).
//
// The tasks Merkle tree (tasks_root):
//   leaf     = blake2b-256(SCALE((task_id: H256, result_hash: H256, price: u128)))   (an 80-byte preimage)
//   node     = blake2b-256(left ++ right)                                              (a 64-byte preimage)
//   shape    = the n leaves, in the order the channel paid for them, padded on the right with
//              "empty" leaves up to the next power of two 2^d (d = 0 for n = 1, else ceil(log2 n)),
//              then a complete binary tree of depth d. An empty leaf is 32 zero bytes, so an empty
//              subtree of height h has root Z[h]: Z[0] = 0^32, Z[h+1] = blake2b-256(Z[h] ++ Z[h]).
//   root     = the root of that tree; for n = 0 it is 0^32 (= Z[0]); for n = 1 it is the leaf itself.
//   proof    = for leaf i, the d sibling hashes from the bottom up (padding siblings are Z[h]).
// Leaves and inner nodes hash preimages of different lengths (80 vs 64 bytes), so a leaf can never
// be passed off as an inner node. The same root is built incrementally by TasksAccumulator (Ethereum's
// deposit-contract algorithm with a depth that grows with n): O(log n) per append and per root.

#include "runtime/codec/bytes.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/types.hpp"
#include "runtime/result.hpp"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace bazaar::modules::payment_channel {

/// Errors of the pure state functions.
enum class StateError {
  LeafIndexOutOfRange = 1,  ///< a Merkle proof asked for a leaf index >= the number of leaves
  InvalidAccumulator,       ///< an accumulator's peaks do not match its leaf count
};
const char* to_string(StateError e);

}  // namespace bazaar::modules::payment_channel

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::modules::payment_channel, StateError)

namespace bazaar::modules::payment_channel {

using runtime::AccountId32;
using runtime::Balance;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;
using bazaar::Result;

/// blake2b-256 of (opener, counterparty, opener's channel nonce); see the file header.
using ChannelId = H256;

/// Domain separators of the two signed messages.
inline constexpr std::string_view kStateDomain = "bazaar/channel-state";
inline constexpr std::string_view kCloseDomain = "bazaar/channel-close";

/// The id of the channel `opener` opens with `counterparty` as its `nonce`-th channel (nonces start at 0).
ChannelId channel_id(const AccountId32& opener, const AccountId32& counterparty, uint64_t nonce);

/// One co-signed balance update. Balances are in base units of CC; balance_a + balance_b must equal
/// the channel's total deposits (see the module's header for how top-ups are accounted for).
/// version 0 is the channel's opening state; every update increments it.
struct ChannelState {
  ChannelId channel_id;
  uint64_t version = 0;
  Balance balance_a = 0;  ///< the opener's balance
  Balance balance_b = 0;  ///< the counterparty's balance
  H256 tasks_root;        ///< Merkle root of the (task_id, result_hash, price) entries paid so far
  friend bool operator==(const ChannelState&, const ChannelState&) = default;
};
BOOST_DESCRIBE_STRUCT(ChannelState, (), (channel_id, version, balance_a, balance_b, tasks_root))

/// blake2b-256("bazaar/channel-state" ++ genesis_hash ++ SCALE(state)): what both parties sign for an
/// update. `genesis_hash` is the chain's block 0 hash (no replay across chains; the id binds the channel).
H256 state_signing_hash(const H256& genesis_hash, const ChannelState& state);
/// blake2b-256("bazaar/channel-close" ++ genesis_hash ++ SCALE(state)): what both parties sign to agree
/// that `state` is final (cooperative_close).
H256 close_signing_hash(const H256& genesis_hash, const ChannelState& state);

/// Signs an update: key.sign(state_signing_hash(...)), a 65-byte ECDSA signature.
runtime::crypto::EcdsaSignature sign_state(const runtime::crypto::Keypair& key, const H256& genesis_hash,
                                           const ChannelState& state);
/// Whether `sig` is `signer`'s signature over state_signing_hash(genesis_hash, state).
bool verify_state(const runtime::crypto::EcdsaSignature& sig, const H256& genesis_hash, const ChannelState& state,
                  const AccountId32& signer);
/// Signs a final state: key.sign(close_signing_hash(...)).
runtime::crypto::EcdsaSignature sign_close(const runtime::crypto::Keypair& key, const H256& genesis_hash,
                                           const ChannelState& state);
/// Whether `sig` is `signer`'s signature over close_signing_hash(genesis_hash, state).
bool verify_close(const runtime::crypto::EcdsaSignature& sig, const H256& genesis_hash, const ChannelState& state,
                  const AccountId32& signer);

// ---- the tasks Merkle tree ----

/// One task a channel paid for.
struct TaskEntry {
  H256 task_id;      ///< the requester's id for the task
  H256 result_hash;  ///< blake2b-256 of the task's output
  Balance price = 0; ///< what the update paid for it (base units)
  friend bool operator==(const TaskEntry&, const TaskEntry&) = default;
};
BOOST_DESCRIBE_STRUCT(TaskEntry, (), (task_id, result_hash, price))

/// blake2b-256(SCALE(entry)).
H256 task_leaf(const TaskEntry& entry);
/// The depth d of the tree over `count` leaves: 0 for count <= 1, else ceil(log2(count)).
unsigned tree_depth(uint64_t count);
/// Z[height]: the root of an empty subtree of that height (height <= 64).
const H256& empty_subtree_root(unsigned height);
/// blake2b-256(left ++ right).
H256 hash_pair(const H256& left, const H256& right);

/// The root over `leaves` (0^32 when empty).
H256 tasks_root(std::span<const H256> leaves);
/// The sibling path of leaf `index`, bottom up (tree_depth(leaves.size()) hashes). Errors: LeafIndexOutOfRange.
Result<std::vector<H256>> merkle_proof(std::span<const H256> leaves, uint64_t index);
/// Whether `leaf` is leaf number `index` of a tree of `count` leaves with root `root`: requires
/// index < count and proof.size() == tree_depth(count).
bool verify_merkle_proof(const H256& root, const H256& leaf, uint64_t index, uint64_t count,
                         std::span<const H256> proof);

/// Builds tasks_root one leaf at a time in O(log n) time and O(log n) memory: it keeps the roots of
/// the complete subtrees ("peaks") that the binary representation of the leaf count describes, the
/// highest first. A worker persists count() and peaks() and restores with from_peaks().
class TasksAccumulator {
 public:
  TasksAccumulator() = default;
  /// Restores an accumulator. Errors: InvalidAccumulator unless peaks.size() == popcount(count).
  static Result<TasksAccumulator> from_peaks(uint64_t count, std::vector<H256> peaks);

  /// Adds the next leaf.
  void append(const H256& leaf);
  /// tasks_root() of every leaf appended so far.
  H256 root() const;
  uint64_t count() const { return m_count; }
  /// The complete subtrees' roots, highest (leftmost) first; one per set bit of count().
  const std::vector<H256>& peaks() const { return m_peaks; }

 private:
  uint64_t m_count = 0;
  std::vector<H256> m_peaks;
};

}  // namespace bazaar::modules::payment_channel
