#pragma once
// An in-process simulation for the finality gadget: a shared tree of blocks
// (real headers, real hashes), one ChainView per node over it (each with its
// own finalized block, fork preference and not-yet-imported blocks), a
// message bus standing in for gossip, and a simulated clock. Nothing sleeps:
// tests move the clock and deliver messages until the bus is empty.

#include "node/finality/voter.hpp"
#include "node/log/log.hpp"
#include "runtime/crypto/hash.hpp"

#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace bazaar::test::finality {

using namespace bazaar::node::finality;
using runtime::crypto::Keypair;

inline Keypair authority_key(std::size_t i) {
  runtime::Bytes secret(32, 0);
  secret[31] = static_cast<uint8_t>(i + 1);
  secret[0] = 0x42;
  return Keypair::from_secret(secret).value();
}

inline AuthoritySet authority_set(std::size_t n, SetId set_id = 0) {
  AuthoritySet set{set_id, {}};
  for (std::size_t i = 0; i < n; ++i) set.authorities.push_back(authority_key(i).public_key());
  return set;
}

/// The shared block tree.
class SimChain {
 public:
  SimChain() {
    Header genesis;
    genesis.state_root = runtime::crypto::blake2b_256(runtime::Bytes{'g'});
    m_genesis = add_header(genesis);
  }

  BlockInfo genesis() const { return m_genesis; }

  /// A new child of `parent` (distinct from its siblings).
  BlockInfo add(const BlockInfo& parent) {
    Header h;
    h.parent_hash = parent.hash;
    h.number = {parent.number + 1};
    h.state_root = runtime::crypto::blake2b_256(runtime::codec::encode(++m_salt));
    return add_header(h);
  }
  /// `count` blocks on top of `parent`; returns the last.
  BlockInfo extend(BlockInfo parent, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) parent = add(parent);
    return parent;
  }

  std::optional<Header> header(const H256& hash) const {
    const auto it = m_headers.find(hash);
    if (it == m_headers.end()) return std::nullopt;
    return it->second;
  }
  /// Blocks without children, in creation order.
  std::vector<BlockInfo> leaves() const {
    std::vector<BlockInfo> out;
    for (const auto& b : m_order) {
      if (!m_has_child.contains(b.hash)) out.push_back(b);
    }
    return out;
  }

 private:
  BlockInfo add_header(const Header& h) {
    const BlockInfo info{runtime::header_hash(h), h.number.value};
    m_headers.emplace(info.hash, h);
    if (info.number > 0) m_has_child.insert(h.parent_hash);
    m_order.push_back(info);
    return info;
  }

  std::map<H256, Header> m_headers;
  std::set<H256> m_has_child;
  std::vector<BlockInfo> m_order;
  BlockInfo m_genesis;
  uint64_t m_salt = 0;
};

/// One node's view of the shared tree.
class SimView final : public ChainView {
 public:
  explicit SimView(const SimChain& chain) : m_chain(chain), m_finalized(chain.genesis()) {
    m_finalized_history.push_back(m_finalized);
  }

  std::optional<Header> header(const H256& hash) const override {
    if (m_hidden.contains(hash)) return std::nullopt;
    return m_chain.header(hash);
  }
  BlockInfo finalized() const override { return m_finalized; }
  BlockInfo best() const override { return *best_containing(m_finalized); }
  std::optional<BlockInfo> best_containing(const BlockInfo& base) const override {
    if (!header(base.hash)) return std::nullopt;
    if (m_preferred && is_descendant(*m_preferred, base)) return m_preferred;
    std::optional<BlockInfo> best;
    for (const auto& leaf : m_chain.leaves()) {
      // The longest visible chain above `base` through this leaf.
      BlockInfo at = leaf;
      while (m_hidden.contains(at.hash) && at.number > 0) {
        at = BlockInfo{m_chain.header(at.hash)->parent_hash, at.number - 1};
      }
      if (!is_descendant(at, base)) continue;
      if (!best || at.number > best->number) best = at;
    }
    return best;
  }

  /// What the chain's finalize does: only descendants of the last finalized block.
  Result<void> finalize(const BlockInfo& block, const runtime::Bytes& justification) {
    if (block.number <= m_finalized.number || !is_descendant(block, m_finalized)) {
      ++m_violations;
      return FinalityError::NotDescendant;
    }
    m_finalized = block;
    m_finalized_history.push_back(block);
    m_justifications.push_back(justification);
    return success();
  }

  void prefer(std::optional<BlockInfo> tip) { m_preferred = tip; }
  void hide(const H256& hash) { m_hidden.insert(hash); }
  void reveal(const H256& hash) { m_hidden.erase(hash); }

  const std::vector<BlockInfo>& finalized_history() const { return m_finalized_history; }
  const std::vector<runtime::Bytes>& justifications() const { return m_justifications; }
  std::size_t violations() const { return m_violations; }

 private:
  const SimChain& m_chain;
  BlockInfo m_finalized;
  std::optional<BlockInfo> m_preferred;
  std::set<H256> m_hidden;
  std::vector<BlockInfo> m_finalized_history;
  std::vector<runtime::Bytes> m_justifications;
  std::size_t m_violations = 0;
};

struct Sent {
  std::size_t from;
  std::optional<std::size_t> to;  ///< nullopt = broadcast
  runtime::Bytes bytes;
};

class SimNetwork;

/// A node's gossip port: messages go to the network's queue.
class SimGossip final : public GossipOut {
 public:
  SimGossip(SimNetwork& net, std::size_t index) : m_net(net), m_index(index) {}
  void broadcast(const H256& topic, runtime::Bytes message) override;
  void send_to(const PeerId& peer, const H256& topic, runtime::Bytes message) override;

 private:
  SimNetwork& m_net;
  std::size_t m_index;
};

inline PeerId peer_name(std::size_t i) { return "node" + std::to_string(i); }

/// N authorities (or fewer nodes running a voter), fully connected.
class SimNetwork {
 public:
  static constexpr uint64_t kGossipMs = 100;

  struct Node {
    std::unique_ptr<SimView> view;
    std::unique_ptr<SimGossip> gossip;
    std::unique_ptr<Voter> voter;  ///< null for a Byzantine node driven by the test
    bool online = true;
  };

  SimNetwork(std::size_t n, std::size_t honest) : m_set(authority_set(n)) {
    node::log::set_default_level(node::log::Level::err);
    for (std::size_t i = 0; i < n; ++i) {
      Node node;
      node.view = std::make_unique<SimView>(chain);
      node.gossip = std::make_unique<SimGossip>(*this, i);
      m_nodes.push_back(std::move(node));
      if (i < honest) start_voter(i);
    }
  }
  explicit SimNetwork(std::size_t n) : SimNetwork(n, n) {}

  VoterOptions options(std::size_t i) const {
    VoterOptions o;
    o.authorities = m_set;
    o.genesis_hash = chain.genesis().hash;
    o.key = authority_key(i);
    o.now_ms = [this] { return now; };
    o.gossip_duration_ms = kGossipMs;
    o.rebroadcast_ms = 8 * kGossipMs;
    o.catch_up_interval_ms = 4 * kGossipMs;
    o.vote_behind_best = vote_behind_best;
    return o;
  }

  /// (Re)creates node i's voter with a fresh state (a restart) and starts it.
  void start_voter(std::size_t i, RoundNumber start_round = 1) {
    auto o = options(i);
    o.start_round = start_round;
    auto& node = m_nodes[i];
    SimView* view = node.view.get();
    node.voter = std::make_unique<Voter>(std::move(o), *view, *node.gossip,
                                         [view](const BlockInfo& b, runtime::Bytes j) { return view->finalize(b, j); });
    node.voter->start();
    deliver();
  }

  Node& node(std::size_t i) { return m_nodes[i]; }
  Voter& voter(std::size_t i) { return *m_nodes[i].voter; }
  SimView& view(std::size_t i) { return *m_nodes[i].view; }
  std::size_t size() const { return m_nodes.size(); }
  const AuthoritySet& set() const { return m_set; }

  void set_online(std::size_t i, bool online) { m_nodes[i].online = online; }

  void enqueue(Sent s) {
    if (!m_nodes[s.from].online) return;
    m_queue.push_back(std::move(s));
  }

  /// From now on deliver messages in a random order and lose each delivery with probability `drop`.
  void set_chaos(uint32_t seed, double drop) {
    m_rng.emplace(seed);
    m_drop = drop;
  }

  /// Delivers queued messages (and those they cause) until the queue is empty.
  void deliver() {
    while (!m_queue.empty()) {
      std::size_t pick = m_rng ? (*m_rng)() % m_queue.size() : 0;
      Sent s = std::move(m_queue[pick]);
      m_queue.erase(m_queue.begin() + static_cast<std::ptrdiff_t>(pick));
      for (std::size_t to = 0; to < m_nodes.size(); ++to) {
        if (to == s.from || (s.to && *s.to != to)) continue;
        if (m_rng && std::uniform_real_distribution<double>(0, 1)(*m_rng) < m_drop) continue;
        auto& node = m_nodes[to];
        if (!node.online || !node.voter) continue;
        const Verdict v = node.voter->on_message(s.bytes, peer_name(s.from));
        if (v.action == MessageAction::Punish) ++punished;
      }
    }
  }

  /// Moves the clock in steps of T/2 for `ms`, ticking online voters and delivering.
  /// `each_step` (optional) runs before every step (e.g. to author blocks).
  void run_for(uint64_t ms, const std::function<void()>& each_step = {}) {
    const uint64_t end = now + ms;
    while (now < end) {
      if (each_step) each_step();
      now += kGossipMs / 2;
      for (auto& node : m_nodes) {
        if (node.online && node.voter) node.voter->tick();
      }
      deliver();
    }
  }

  /// Every node's finalized blocks lie on one chain (no two conflicting finalized blocks anywhere).
  bool finality_consistent() const {
    std::vector<BlockInfo> all;
    for (const auto& node : m_nodes) {
      if (node.view->violations() != 0) return false;
      for (const auto& b : node.view->finalized_history()) all.push_back(b);
    }
    for (const auto& a : all) {
      for (const auto& b : all) {
        const auto& low = a.number <= b.number ? a : b;
        const auto& high = a.number <= b.number ? b : a;
        if (!m_nodes[0].view->is_descendant(high, low)) return false;
      }
    }
    return true;
  }

  SimChain chain;
  uint64_t now = 1'000'000;
  /// VoterOptions::vote_behind_best of voters started from now on.
  BlockNumber vote_behind_best = 0;
  std::size_t punished = 0;

 private:
  AuthoritySet m_set;
  std::vector<Node> m_nodes;
  std::deque<Sent> m_queue;
  std::optional<std::mt19937> m_rng;
  double m_drop = 0;
};

inline void SimGossip::broadcast(const H256&, runtime::Bytes message) {
  m_net.enqueue(Sent{m_index, std::nullopt, std::move(message)});
}

inline void SimGossip::send_to(const PeerId& peer, const H256&, runtime::Bytes message) {
  for (std::size_t i = 0; i < m_net.size(); ++i) {
    if (peer_name(i) == peer) m_net.enqueue(Sent{m_index, i, std::move(message)});
  }
}

}  // namespace bazaar::test::finality
