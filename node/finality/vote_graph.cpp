#include "node/finality/vote_graph.hpp"

#include <cassert>

namespace bazaar::node::finality {

VoteGraph::VoteGraph(BlockInfo base, std::size_t voters) : m_base(base), m_voters(voters) { node(base); }

VoteGraph::Node& VoteGraph::node(const BlockInfo& info) {
  auto [it, inserted] = m_nodes.try_emplace(info.hash);
  if (inserted) {
    it->second.info = info;
    it->second.supporters.assign(m_voters, false);
  }
  return it->second;
}

void VoteGraph::mark(Node& n, std::size_t voter) {
  if (!n.supporters[voter]) {
    n.supporters[voter] = true;
    ++n.count;
  }
}

void VoteGraph::insert(std::size_t voter, const std::vector<BlockInfo>& route) {
  assert(voter < m_voters);
  for (std::size_t i = 0; i < route.size(); ++i) {
    const BlockInfo parent = i + 1 < route.size() ? route[i + 1] : m_base;
    Node& n = node(route[i]);
    if (!n.parent) {
      n.parent = parent.hash;
      node(parent).children.push_back(route[i].hash);
    }
    mark(n, voter);
  }
  mark(node(m_base), voter);
}

std::size_t VoteGraph::support(const H256& hash) const {
  const auto it = m_nodes.find(hash);
  return it == m_nodes.end() ? 0 : it->second.count;
}

std::optional<BlockInfo> VoteGraph::parent(const H256& hash) const {
  const auto it = m_nodes.find(hash);
  if (it == m_nodes.end() || !it->second.parent) return std::nullopt;
  return m_nodes.at(*it->second.parent).info;
}

std::vector<BlockInfo> VoteGraph::children(const H256& hash) const {
  std::vector<BlockInfo> out;
  const auto it = m_nodes.find(hash);
  if (it == m_nodes.end()) return out;
  for (const auto& child : it->second.children) out.push_back(m_nodes.at(child).info);
  return out;
}

std::optional<BlockInfo> VoteGraph::ghost(const std::function<bool(std::size_t)>& ok) const {
  const Node* at = &m_nodes.at(m_base.hash);
  if (!ok(at->count)) return std::nullopt;
  for (;;) {
    const Node* next = nullptr;
    for (const auto& child_hash : at->children) {
      const Node& child = m_nodes.at(child_hash);
      if (!ok(child.count)) continue;
      if (!next || child.count > next->count || (child.count == next->count && child.info.hash < next->info.hash)) {
        next = &child;
      }
    }
    if (!next) return at->info;
    at = next;
  }
}

std::optional<BlockInfo> VoteGraph::ghost(std::size_t threshold) const {
  return ghost([threshold](std::size_t support) { return support >= threshold; });
}

std::optional<BlockInfo> VoteGraph::find_ancestor(const H256& from, const std::function<bool(std::size_t)>& ok) const {
  auto it = m_nodes.find(from);
  while (it != m_nodes.end()) {
    if (ok(it->second.count)) return it->second.info;
    if (!it->second.parent) return std::nullopt;
    it = m_nodes.find(*it->second.parent);
  }
  return std::nullopt;
}

}  // namespace bazaar::node::finality
