#include "node/finality/chain_adapter.hpp"

#include "node/log/log.hpp"

namespace bazaar::node::finality {

std::optional<Header> ChainAdapter::header(const H256& hash) const {
  auto h = m_chain.blocks().header(hash);
  if (!h) {
    log::logger("finality")->error("reading header {} failed: {}", runtime::to_hex(hash), h.error().message());
    return std::nullopt;
  }
  return std::move(h.value());
}

std::optional<BlockInfo> ChainAdapter::best_containing(const BlockInfo& base) const {
  if (!header(base.hash)) return std::nullopt;
  const auto head = m_chain.blocks().head();
  if (is_descendant(head.best, base)) return head.best;
  std::optional<BlockInfo> best;
  for (const auto& leaf : head.leaves) {
    if (is_descendant(leaf, base) && (!best || leaf.number > best->number)) best = leaf;
  }
  return best ? best : std::optional<BlockInfo>{base};
}

bool ChainAdapter::is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const {
  auto r = m_chain.blocks().is_descendant(block, ancestor);
  return r && r.value();
}

FinalizeFn chain_finalizer(chain::Chain& chain) {
  return [&chain](const BlockInfo& block, Bytes justification) -> Result<void> {
    return chain.finalize(block.hash, std::move(justification));
  };
}

}  // namespace bazaar::node::finality
