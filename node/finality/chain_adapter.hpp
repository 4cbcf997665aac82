#pragma once
// The finality gadget on the node's chain: ChainView over chain::Chain's block
// store, and the FinalizeFn that stores a justification with the block.

#include "node/chain/chain.hpp"
#include "node/finality/voter.hpp"

namespace bazaar::node::finality {

class ChainAdapter final : public ChainView {
 public:
  /// `chain` must outlive the adapter.
  explicit ChainAdapter(const chain::Chain& chain) : m_chain(chain) {}

  /// nullopt for unknown blocks and for database errors (logged).
  std::optional<Header> header(const H256& hash) const override;
  BlockInfo best() const override { return m_chain.best(); }
  BlockInfo finalized() const override { return m_chain.finalized(); }
  /// The longest leaf descending from `base` (the best block on a tie);
  /// `base` itself when no leaf descends from it.
  std::optional<BlockInfo> best_containing(const BlockInfo& base) const override;
  bool is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const override;

 private:
  const chain::Chain& m_chain;
};

/// chain.finalize(block, justification); errors are the chain's.
FinalizeFn chain_finalizer(chain::Chain& chain);

}  // namespace bazaar::node::finality
