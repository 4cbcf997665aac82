#pragma once
// The votes of one kind (prevotes or precommits) of one round, as a tree of
// the voted blocks and their ancestors above the round's base, each block
// carrying the set of voters that voted for it or a descendant (GRANDPA's
// "votes for B" = votes for B's chain). A voter who equivocates supports
// every block any of its votes supports, yet counts once per block.

#include "node/finality/messages.hpp"

#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace bazaar::node::finality {

class VoteGraph {
 public:
  /// `voters`: the size of the authority set.
  VoteGraph(BlockInfo base, std::size_t voters);

  /// Adds `voter`'s vote; `route` is the voted block and its ancestors down
  /// to, not including, the base, in descending order (ChainView::route_to).
  void insert(std::size_t voter, const std::vector<BlockInfo>& route);

  const BlockInfo& base() const { return m_base; }
  /// Distinct voters with at least one vote.
  std::size_t voters() const { return support(m_base.hash); }
  /// Distinct voters that voted for `hash` or a descendant (0 if not in the graph).
  std::size_t support(const H256& hash) const;
  bool contains(const H256& hash) const { return m_nodes.contains(hash); }
  /// The parent of a block in the graph (nullopt for the base or unknown blocks).
  std::optional<BlockInfo> parent(const H256& hash) const;
  /// The children of a block in the graph.
  std::vector<BlockInfo> children(const H256& hash) const;

  /// GRANDPA's GHOST: from the base, repeatedly step to the child with the
  /// most support among those for which `ok(support)` holds (ties: the lower
  /// hash); the block where no child qualifies. nullopt if the base does not
  /// qualify.
  std::optional<BlockInfo> ghost(const std::function<bool(std::size_t)>& ok) const;
  /// ghost() with ok = support >= threshold.
  std::optional<BlockInfo> ghost(std::size_t threshold) const;
  /// The highest block on the chain from `from` (in the graph) down to the
  /// base whose support satisfies `ok`; nullopt if none does or `from` is unknown.
  std::optional<BlockInfo> find_ancestor(const H256& from, const std::function<bool(std::size_t)>& ok) const;

 private:
  struct Node {
    BlockInfo info;
    std::optional<H256> parent;
    std::vector<H256> children;
    std::vector<bool> supporters;
    std::size_t count = 0;
  };
  Node& node(const BlockInfo& info);
  static void mark(Node& n, std::size_t voter);

  BlockInfo m_base;
  std::size_t m_voters;
  std::unordered_map<H256, Node> m_nodes;
};

}  // namespace bazaar::node::finality
