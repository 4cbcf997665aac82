#pragma once
// Block building (sc-basic-authorship's Proposer): a sealed block on a given
// parent at a given slot, with the inherents and ready pool transactions,
// not yet imported. AuraAuthor calls it for its own slots; tests call it to
// build forks and blocks to tamper with.
//
// Steps: BlockExecutor on the parent state with header {parent, number + 1,
// digest [PreRuntime(aura, slot)]}; the inherents (timestamp = the slot's first
// millisecond, so that consecutive blocks are a slot duration apart); ready
// transactions in the pool's order until the block's weight or length is full
// (ExhaustsResources: skipped with their dependents; stop after `max_skipped`
// of them) or the time budget is spent; transactions the runtime finds invalid
// are removed from the pool, "future" and unknown-validity ones are skipped
// and stay; then finalize, the state root (trie apply, nothing written), the
// extrinsics root, and the seal.

#include "node/chain/chain.hpp"
#include "node/consensus/slot_clock.hpp"
#include "node/txpool/tx_pool.hpp"
#include "runtime/crypto/ecdsa.hpp"

#include <chrono>

namespace bazaar::node::consensus {

enum class AuthorError {
  StateUnavailable = 1,  ///< the parent block's state cannot be read
  InherentFailed,        ///< an inherent extrinsic was rejected by the runtime
  FinalizeFailed,        ///< the runtime refused to finalize the block
  ImportFailed,          ///< our own block did not import (see the log for the reason)
  DatabaseError,         ///< reading the chain or the trie failed
};
const char* to_string(AuthorError e);

}  // namespace bazaar::node::consensus

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::consensus, AuthorError)

namespace bazaar::node::consensus {

struct ProposeLimits {
  /// Wall-clock time for adding pool transactions.
  std::chrono::milliseconds budget{1000};
  /// Blocks-full skips after which the block is closed.
  std::size_t max_skipped = 8;
};

struct Proposal {
  runtime::Block block;          ///< sealed
  std::size_t transactions = 0;  ///< pool transactions included (inherents not counted)
  std::size_t invalid = 0;       ///< pool transactions found invalid and removed from the pool
};

/// Builds and seals the block on `parent` for `slot` with `key` (who must be
/// that slot's author for the block to import). `pool` may be null (inherents
/// only). Errors: StateUnavailable, InherentFailed, FinalizeFailed, DatabaseError.
Result<Proposal> propose_block(const chain::Chain& chain, const chain::BlockInfo& parent, Slot slot,
                               const runtime::crypto::Keypair& key, txpool::TxPool* pool,
                               const ProposeLimits& limits = {});

}  // namespace bazaar::node::consensus
