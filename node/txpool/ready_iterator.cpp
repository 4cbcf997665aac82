#include "node/txpool/ready_iterator.hpp"

#include <algorithm>

namespace bazaar::node::txpool {

ReadyIterator::ReadyIterator(std::vector<Node> nodes) : m_nodes(std::move(nodes)), m_skipped(m_nodes.size(), false) {
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    if (m_nodes[i].parents == 0) push(i);
  }
}

bool ReadyIterator::better(std::size_t a, std::size_t b) const {
  const auto& x = m_nodes[a].tx;
  const auto& y = m_nodes[b].tx;
  if (x->validity.priority != y->validity.priority) return x->validity.priority > y->validity.priority;
  return x->insertion_id < y->insertion_id;
}

void ReadyIterator::push(std::size_t index) {
  m_heap.push_back(index);
  // std heap functions keep the *largest* element first: "largest" = worse is smaller.
  std::push_heap(m_heap.begin(), m_heap.end(), [this](std::size_t a, std::size_t b) { return better(b, a); });
}

TxPtr ReadyIterator::next() {
  auto worse = [this](std::size_t a, std::size_t b) { return better(b, a); };
  while (!m_heap.empty()) {
    std::pop_heap(m_heap.begin(), m_heap.end(), worse);
    std::size_t index = m_heap.back();
    m_heap.pop_back();
    if (m_skipped[index]) continue;
    for (std::size_t child : m_nodes[index].children) {
      if (--m_nodes[child].parents == 0) push(child);
    }
    return m_nodes[index].tx;
  }
  return nullptr;
}

void ReadyIterator::report_invalid(const H256& hash) {
  auto it = std::find_if(m_nodes.begin(), m_nodes.end(), [&](const Node& n) { return n.tx->hash == hash; });
  if (it == m_nodes.end()) return;
  std::vector<std::size_t> work(it->children);
  while (!work.empty()) {
    std::size_t index = work.back();
    work.pop_back();
    if (m_skipped[index]) continue;
    m_skipped[index] = true;
    work.insert(work.end(), m_nodes[index].children.begin(), m_nodes[index].children.end());
  }
}

std::vector<TxPtr> ReadyIterator::collect() {
  std::vector<TxPtr> out;
  while (auto tx = next()) out.push_back(std::move(tx));
  return out;
}

}  // namespace bazaar::node::txpool
