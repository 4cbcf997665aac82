#include "node/consensus/proposer.hpp"

#include "modules/composition/executive.hpp"
#include "node/log/log.hpp"
#include "node/trie/root.hpp"

#include <algorithm>

namespace bazaar::node::consensus {

const char* to_string(AuthorError e) {
  switch (e) {
    case AuthorError::StateUnavailable: return "the parent block's state is unavailable";
    case AuthorError::InherentFailed: return "an inherent was rejected";
    case AuthorError::FinalizeFailed: return "the runtime refused to finalize the block";
    case AuthorError::ImportFailed: return "our own block failed to import";
    case AuthorError::DatabaseError: return "database error while authoring";
  }
  return "unknown authoring error";
}

}  // namespace bazaar::node::consensus

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::consensus, AuthorError, "aura author", to_string)

namespace bazaar::node::consensus {

namespace composition = modules::composition;
using runtime::Bytes;
using runtime::H256;
using runtime::Header;
using runtime::InvalidTransaction;

namespace {

const std::shared_ptr<spdlog::logger>& aura_log() {
  static const auto logger = log::logger("aura");
  return logger;
}

/// What the block builder does with a transaction the runtime did not include.
enum class Verdict { Skip, SkipFull, Remove };

Verdict classify(const runtime::TransactionValidityError& e) {
  const auto* invalid = std::get_if<InvalidTransaction>(&e.error);
  if (!invalid) return Verdict::Skip;  // unknown validity: may become valid, keep it
  if (*invalid == InvalidTransaction::ExhaustsResources) return Verdict::SkipFull;
  if (*invalid == InvalidTransaction::Future) return Verdict::Skip;
  return Verdict::Remove;
}

/// Applies ready pool transactions until the block is full or the budget spent.
void apply_pool_transactions(composition::BlockExecutor& executor, txpool::TxPool& pool, const ProposeLimits& limits,
                             std::vector<Bytes>& extrinsics, Proposal& proposal) {
  const auto started = std::chrono::steady_clock::now();
  const auto max_length = composition::block_limits().max_length;
  auto ready = pool.ready();
  std::vector<H256> invalid;
  std::size_t skipped = 0;
  while (auto tx = ready.next()) {
    if (std::chrono::steady_clock::now() - started >= limits.budget) {
      aura_log()->debug("proposal time budget spent");
      break;
    }
    Verdict verdict = Verdict::SkipFull;
    if (executor.consumed_length() + tx->data.size() <= max_length) {
      auto applied = executor.apply_extrinsic(tx->data);
      const auto* error = std::get_if<runtime::TransactionValidityError>(&applied);
      if (!error) {
        extrinsics.push_back(tx->data);
        ++proposal.transactions;
        continue;
      }
      verdict = classify(*error);
    }
    ready.report_invalid(tx->hash);
    if (verdict == Verdict::Remove) {
      invalid.push_back(tx->hash);
    } else if (verdict == Verdict::SkipFull && ++skipped >= limits.max_skipped) {
      break;
    }
  }
  if (!invalid.empty()) pool.remove_invalid(invalid);
  proposal.invalid = invalid.size();
}

}  // namespace

Result<Proposal> propose_block(const chain::Chain& chain, const chain::BlockInfo& parent, Slot slot,
                               const runtime::crypto::Keypair& key, txpool::TxPool* pool,
                               const ProposeLimits& limits) {
  auto parent_header = chain.blocks().require_header(parent.hash);
  if (!parent_header) return AuthorError::DatabaseError;
  auto state = chain.state_at(parent.hash);
  if (!state) return AuthorError::StateUnavailable;
  const uint64_t slot_duration = std::max<uint64_t>(1, composition::slot_duration_ms(*state.value()));

  Header header;
  header.parent_hash = parent.hash;
  header.number = runtime::Compact<runtime::BlockNumber>{parent.number + 1};
  header.digest.logs.push_back(chain::aura_pre_digest(slot));
  composition::BlockExecutor executor(*state.value(), header);
  Proposal proposal;

  std::vector<Bytes> extrinsics;
  for (auto& inherent : executor.create_inherents({slot_start(slot, slot_duration)})) {
    auto applied = executor.apply_extrinsic(inherent);
    if (const auto* e = std::get_if<runtime::TransactionValidityError>(&applied)) {
      aura_log()->error("slot {}: inherent rejected: {}", slot, runtime::to_string(*e));
      return AuthorError::InherentFailed;
    }
    extrinsics.push_back(std::move(inherent));
  }
  if (pool) apply_pool_transactions(executor, *pool, limits, extrinsics, proposal);

  if (auto finalized = executor.finalize(); !finalized) {
    aura_log()->error("slot {}: the runtime refused to finalize block #{}: {}", slot, parent.number + 1,
                      finalized.error());
    return AuthorError::FinalizeFailed;
  }
  const auto changes = executor.take_changes();
  if (state.value()->failure()) return AuthorError::StateUnavailable;
  auto commit = chain.trie().apply(parent_header.value().state_root, changes);
  if (!commit) return AuthorError::DatabaseError;
  header.state_root = commit.value().new_root;
  header.extrinsics_root = trie::ordered_trie_root(extrinsics);

  proposal.block.header = chain::seal_header(std::move(header), key);
  proposal.block.extrinsics.reserve(extrinsics.size());
  for (auto& extrinsic : extrinsics) proposal.block.extrinsics.push_back(runtime::OpaqueExtrinsic{std::move(extrinsic)});
  return proposal;
}

}  // namespace bazaar::node::consensus
