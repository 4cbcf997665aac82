#pragma once
// A snapshot of the ready transactions in block-building order (Substrate's
// BestIterator): a transaction comes only after every ready transaction that
// provides one of its requires tags; among those available, highest priority
// first, then oldest. The snapshot does not change when the pool does.

#include "node/txpool/types.hpp"

#include <cstddef>
#include <vector>

namespace bazaar::node::txpool {

class ReadyIterator {
 public:
  /// One ready transaction and the indices (into the same vector) of the ready
  /// transactions that depend on it.
  struct Node {
    TxPtr tx;
    std::vector<std::size_t> children;
    std::size_t parents = 0;  ///< ready transactions it depends on
  };

  ReadyIterator() = default;
  explicit ReadyIterator(std::vector<Node> nodes);

  /// The next transaction to put in the block, or nullptr when none is left.
  TxPtr next();

  /// The block builder could not apply `hash` (invalid, or it exhausted the block):
  /// skip every transaction that depends on it.
  void report_invalid(const H256& hash);

  /// Drains the iterator into a vector (for RPC listings and tests).
  std::vector<TxPtr> collect();

 private:
  bool better(std::size_t a, std::size_t b) const;
  void push(std::size_t index);

  std::vector<Node> m_nodes;
  std::vector<bool> m_skipped;
  std::vector<std::size_t> m_heap;  ///< available nodes; a max-heap by `better`
};

}  // namespace bazaar::node::txpool
