#pragma once
// Aura block authoring (sc-consensus-aura): at each new slot, if
// authorities[slot % n] (read from the best block's state) is one of our keys,
// build a block on the best block (propose_block, proposer.hpp) and import it
// through the same BlockImport as any other block. Dev finality (a node
// without networking, the only authority): authoring a block finalizes its
// parent, without a justification; with networking the finality voter
// finalizes, with justifications (node/service/node_network.hpp).
// The pool learns what was included from the chain's import notifications
// (wired by the node service), like for any imported block.

#include "node/chain/chain.hpp"
#include "node/consensus/proposer.hpp"
#include "node/consensus/slot_clock.hpp"
#include "node/txpool/tx_pool.hpp"
#include "runtime/crypto/ecdsa.hpp"

#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bazaar::node::consensus {

struct AuraAuthorOptions {
  /// Our authority keys; a slot is ours when its author is one of them.
  std::vector<runtime::crypto::Keypair> keys;
  /// Share of the slot spent adding pool transactions (wall-clock budget).
  double proposal_fraction = 1.0 / 3.0;
  /// Blocks-full skips after which the block is closed.
  std::size_t max_skipped = 8;
  /// When we are the only authority: finalize each block's parent when we
  /// author the block (finality one block behind the best, as with a
  /// finality gadget), storing no justification: for a node without
  /// networking, where no finality voter runs. Finalizing a block at the
  /// moment it is imported would make wallets see "finalized" before they
  /// have processed "inBlock" (@polkadot/api drops the InBlock status then).
  bool dev_finality = true;
};

/// What author_slot built.
struct AuthoredBlock {
  chain::BlockInfo block;
  Slot slot = 0;
  std::size_t transactions = 0;  ///< pool transactions included (inherents not counted)
  std::size_t invalid = 0;       ///< pool transactions found invalid and removed
  bool finalized_parent = false;  ///< dev finality finalized the block's parent
};

class AuraAuthor {
 public:
  /// `pool` may be null (blocks with inherents only). References must outlive the author.
  AuraAuthor(chain::Chain& chain, txpool::TxPool* pool, const SlotClock& clock, AuraAuthorOptions options);
  ~AuraAuthor();
  AuraAuthor(const AuraAuthor&) = delete;
  AuraAuthor& operator=(const AuraAuthor&) = delete;

  /// Builds, seals and imports a block for `slot` on the current best block if
  /// the slot is ours. nullopt when it is not: another authority's turn, no
  /// authorities, or `slot` not after the best block's slot.
  Result<std::optional<AuthoredBlock>> author_slot(Slot slot);

  /// Starts the worker thread: it waits for each new slot on the clock and
  /// calls author_slot; failures are logged (target "aura") and it goes on.
  void start();
  /// Stops and joins the worker (also done by the destructor).
  void stop();

 private:
  void run(std::stop_token stop);

  chain::Chain& m_chain;
  txpool::TxPool* m_pool;
  const SlotClock& m_clock;
  AuraAuthorOptions m_options;
  std::mutex m_mutex;  // one block at a time
  std::jthread m_thread;
};

}  // namespace bazaar::node::consensus
