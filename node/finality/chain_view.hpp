#pragma once
// What the finality gadget needs to know about the local chain. The node
// implements it on chain::Chain (chain_adapter.hpp); tests on a simulated
// block tree. Implementations must be thread-safe for reads.

#include "node/finality/messages.hpp"

#include <optional>
#include <vector>

namespace bazaar::node::finality {

class ChainView {
 public:
  virtual ~ChainView() = default;

  /// The header of a known block; nullopt if the block is not (yet) imported.
  virtual std::optional<Header> header(const H256& hash) const = 0;
  /// The best block (the longest chain containing the last finalized block).
  virtual BlockInfo best() const = 0;
  /// The last finalized block.
  virtual BlockInfo finalized() const = 0;
  /// The head of the best chain that contains `base` (base itself when it has
  /// no known descendant); nullopt if `base` is unknown. GRANDPA votes on it
  /// (SelectChain::finality_target in Substrate).
  virtual std::optional<BlockInfo> best_containing(const BlockInfo& base) const = 0;

  /// Whether `ancestor` is `block` or one of its ancestors (false if either is
  /// unknown). The default walks parent links with header().
  virtual bool is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const;

  /// The number of a known block.
  std::optional<BlockNumber> number_of(const H256& hash) const;
  /// The blocks from `block` down to, not including, `ancestor`, in descending
  /// order (empty when block == ancestor); nullopt when `block` does not
  /// descend from `ancestor` or a header on the way is unknown.
  std::optional<std::vector<BlockInfo>> route_to(const BlockInfo& block, const BlockInfo& ancestor) const;
  /// The headers of the blocks route_to() returns.
  std::optional<std::vector<Header>> headers_to(const BlockInfo& block, const BlockInfo& ancestor) const;
};

}  // namespace bazaar::node::finality
