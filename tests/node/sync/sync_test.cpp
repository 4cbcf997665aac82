// SyncEngine against fake peers: a fake network that queues block requests
// and answers them from a peer's block tree (as Network::serve_blocks does),
// and a fake chain whose import checks the parent link and rejects blocks
// marked bad. Most scenarios run the import queue by hand (import_next()) so
// downloads and imports interleave deterministically; the last ones run the
// engine's import thread.

#include "node/sync/sync.hpp"

#include "node/network/error.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace {

using namespace bazaar;
using node::chain::BlockInfo;
using node::chain::ImportError;
using node::network::BlockData;
using node::network::BlockRequest;
using node::network::PeerId;
using node::sync::SyncEngine;
using runtime::H256;
using runtime::Header;

/// State root marking a block that fails execution (a bad block).
const H256 kBadRoot = [] {
  H256 h;
  h.bytes.fill(0xBB);
  return h;
}();

/// A block tree with a canonical chain, shared by the fake peers and the fake chain.
struct Tree {
  std::map<H256, runtime::Block> blocks;
  std::map<H256, runtime::Bytes> justifications;
  std::vector<H256> canonical;  // number -> hash

  Tree() {
    Header genesis;
    add(genesis, false);
  }
  H256 add(Header header, bool canonical_block = true) {
    auto hash = runtime::header_hash(header);
    blocks[hash] = runtime::Block{header, {}};
    if (canonical_block || canonical.empty()) {
      canonical.resize(header.number.value + 1);
      canonical[header.number.value] = hash;
    }
    return hash;
  }
  /// Extends the block `parent` by `n` blocks (tag distinguishes forks); returns the last hash.
  H256 extend(H256 parent, int n, uint8_t tag = 0, bool canonical_blocks = true) {
    for (int i = 0; i < n; ++i) {
      Header h;
      h.parent_hash = parent;
      h.number.value = blocks.at(parent).header.number.value + 1;
      h.state_root.bytes[0] = tag;
      parent = add(h, canonical_blocks);
    }
    return parent;
  }
  BlockInfo info(const H256& hash) const { return {hash, blocks.at(hash).header.number.value}; }
  BlockInfo best() const { return info(canonical.back()); }
  /// Makes the canonical chain leave at #number: a block there whose state
  /// root import rejects (kBadRoot), then `after` blocks on it. Returns the bad block's hash.
  H256 fork_with_bad_block(runtime::BlockNumber number, int after) {
    canonical.resize(number);
    Header bad;
    bad.parent_hash = canonical[number - 1];
    bad.number.value = number;
    bad.state_root = kBadRoot;
    const auto bad_hash = add(bad);
    extend(bad_hash, after, 7);
    return bad_hash;
  }

  std::vector<BlockData> serve(const BlockRequest& request) const {
    std::vector<BlockData> out;
    std::optional<H256> next;
    if (auto* hash = std::get_if<H256>(&request.from)) {
      if (blocks.contains(*hash)) next = *hash;
    } else if (auto n = std::get<runtime::BlockNumber>(request.from); n < canonical.size()) {
      next = canonical[n];
    }
    while (next && out.size() < request.max_blocks) {
      const auto& b = blocks.at(*next);
      std::optional<runtime::Bytes> just;
      if (auto it = justifications.find(*next); it != justifications.end()) just = it->second;
      out.push_back(BlockData{*next, b.header, b.extrinsics, just});
      const auto number = b.header.number.value;
      if (request.direction == node::network::Direction::Descending) {
        if (number == 0) break;
        next = b.header.parent_hash;
      } else {
        next = number + 1 < canonical.size() ? std::optional<H256>(canonical[number + 1]) : std::nullopt;
      }
    }
    return out;
  }
};

class FakeChain : public node::sync::SyncChain {
 public:
  explicit FakeChain(const Tree& genesis_tree) {
    auto g = genesis_tree.canonical[0];
    m_blocks[g] = genesis_tree.blocks.at(g).header;
    m_best = m_finalized = {g, 0};
  }
  BlockInfo best() const override {
    std::lock_guard lock(m_mutex);
    return m_best;
  }
  BlockInfo finalized() const override {
    std::lock_guard lock(m_mutex);
    return m_finalized;
  }
  bool has_block(const H256& hash) const override {
    std::lock_guard lock(m_mutex);
    return m_blocks.contains(hash);
  }
  node::chain::ImportResult import_block(const runtime::Block& block) override {
    if (before_import) before_import();
    std::lock_guard lock(m_mutex);
    auto hash = runtime::header_hash(block.header);
    if (m_blocks.contains(hash)) return node::chain::ImportFailure{ImportError::AlreadyKnown, "known"};
    if (!m_blocks.contains(block.header.parent_hash))
      return node::chain::ImportFailure{ImportError::UnknownParent, "parent"};
    if (block.header.state_root == kBadRoot) return node::chain::ImportFailure{ImportError::StateRootMismatch, "bad"};
    m_blocks[hash] = block.header;
    imported.push_back(hash);
    BlockInfo info{hash, block.header.number.value};
    if (info.number > m_best.number) m_best = info;
    return node::chain::ImportedBlock{info, info == m_best};
  }
  void prepare_import(std::span<const runtime::Block> blocks) override {
    std::lock_guard lock(m_mutex);
    std::vector<H256> hashes;
    for (const auto& b : blocks) hashes.push_back(runtime::header_hash(b.header));
    prepared.push_back({imported.size(), std::move(hashes)});
  }
  Result<void> import_justification(const BlockInfo& block, runtime::ByteSpan justification) override {
    if (justification.size() != 1 || justification[0] != 0x42) return node::chain::ChainError::CorruptDatabase;
    std::lock_guard lock(m_mutex);
    m_finalized = block;
    return outcome::success();
  }
  std::size_t imported_count() const {
    std::lock_guard lock(m_mutex);
    return imported.size();
  }

  /// Runs at the start of each import_block, on the importing thread (a gate for shutdown tests).
  std::function<void()> before_import;
  std::vector<H256> imported;
  /// Each prepare_import call: how many blocks were imported before it, and the blocks it announced.
  std::vector<std::pair<std::size_t, std::vector<H256>>> prepared;

 private:
  mutable std::mutex m_mutex;
  std::map<H256, Header> m_blocks;
  BlockInfo m_best, m_finalized;
};

class FakeNetwork : public node::sync::SyncNetwork {
 public:
  struct Pending {
    PeerId peer;
    BlockRequest request;
    node::network::BlocksCallback callback;
  };
  void request_blocks(const PeerId& peer, BlockRequest request, node::network::BlocksCallback callback) override {
    std::lock_guard lock(m_mutex);
    requests.push_back({peer, request, std::move(callback)});
  }
  void report_peer(const PeerId& peer, node::network::ReputationChange change) override {
    std::lock_guard lock(m_mutex);
    reports.emplace_back(peer, change.value);
  }
  /// Takes the oldest request (nullopt if none).
  std::optional<Pending> take() {
    std::lock_guard lock(m_mutex);
    if (requests.empty()) return std::nullopt;
    auto p = std::move(requests.front());
    requests.pop_front();
    ++served;
    return p;
  }
  /// Answers the oldest request from its peer's tree (on the calling thread, as the host thread would).
  bool serve_one(const std::map<PeerId, const Tree*>& peers) {
    auto p = take();
    if (!p) return false;
    p->callback(peers.at(p->peer)->serve(p->request));
    return true;
  }
  /// Answers every queued request (and those they cause) from the peers' trees.
  void serve_all(const std::map<PeerId, const Tree*>& peers, std::size_t limit = 1000) {
    while (limit-- > 0 && serve_one(peers)) {
    }
  }
  std::size_t pending() const {
    std::lock_guard lock(m_mutex);
    return requests.size();
  }
  std::deque<Pending> requests;
  std::vector<std::pair<PeerId, int32_t>> reports;
  std::size_t served = 0;

 private:
  mutable std::mutex m_mutex;
};

/// Answers requests and runs the import queue by hand until neither has work
/// left: downloads first, so ranges are fetched ahead of their import.
void drive(FakeNetwork& net, SyncEngine& sync, const std::map<PeerId, const Tree*>& peers, std::size_t limit = 10000) {
  while (limit-- > 0) {
    if (net.serve_one(peers)) continue;
    if (!sync.import_next()) return;
  }
}

/// Polls `done` until it holds or 10 s have passed.
bool eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling, not waiting a fixed time
  }
  return true;
}

PeerId peer_id(uint8_t n) {
  H256 h;
  h.bytes[0] = n;
  return PeerId(h);
}

node::network::BlockAnnounce announce(const Tree& tree, const H256& hash) {
  return {tree.blocks.at(hash).header, true};
}

}  // namespace

SCENARIO("a node behind its peer syncs the chain in bounded ranges and follows the tip") {
  GIVEN("a peer 150 blocks ahead, with a justification on block 100") {
    Tree remote;
    remote.extend(remote.canonical[0], 150);
    remote.justifications[remote.canonical[100]] = {0x42};
    FakeChain chain(remote);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 64;
    SyncEngine sync(options, chain, net);
    const auto peer = peer_id(1);

    WHEN("the peer connects") {
      sync.on_peer_connected(peer, remote.best());
      THEN("sync reports syncing towards its best") {
        auto s = sync.status();
        CHECK(s.starting == 0);
        CHECK(s.highest == 150);
        CHECK(s.is_syncing);
      }
      drive(net, sync, {{peer, &remote}});
      THEN("every block is imported in order with requests of at most 64 blocks, and finality follows") {
        CHECK(chain.best() == remote.best());
        CHECK(chain.imported.size() == 150);
        CHECK(chain.imported.front() == remote.canonical[1]);
        CHECK(net.served == 3);
        CHECK(chain.finalized().number == 100);
        CHECK_FALSE(sync.status().is_syncing);
        CHECK(sync.totals().justifications == 1);
      }
      AND_WHEN("the peer announces a new block on top") {
        drive(net, sync, {{peer, &remote}});
        auto next = remote.extend(remote.canonical.back(), 1);
        auto action = sync.on_block_announce(peer, announce(remote, next));
        THEN("sync asks the network to fetch it, and imports it") {
          REQUIRE(action == node::network::AnnounceAction::Fetch);
          sync.on_blocks(peer, remote.serve({0, next, node::network::Direction::Descending, 1}));
          CHECK(sync.queued_blocks() == 1);
          CHECK(sync.import_next());
          CHECK(chain.best().hash == next);
          CHECK(sync.queued_blocks() == 0);
        }
      }
    }
  }
}

SCENARIO("an announced block on an unknown fork is fetched back to a known ancestor") {
  GIVEN("a node at #20 and a peer whose chain forked at #10 and is at #25") {
    Tree tree;
    auto common = tree.extend(tree.canonical[0], 10);
    Tree ours = tree;
    ours.extend(common, 10, 1);
    Tree theirs = tree;
    auto their_tip = theirs.extend(common, 15, 2);
    FakeChain chain(tree);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 4;
    SyncEngine sync(options, chain, net);
    for (std::size_t n = 1; n <= 20; ++n) REQUIRE(chain.import_block(ours.blocks.at(ours.canonical[n])));
    REQUIRE(chain.best().number == 20);

    WHEN("the peer announces its tip") {
      auto action = sync.on_block_announce(peer_id(2), announce(theirs, their_tip));
      drive(net, sync, {{peer_id(2), &theirs}});
      THEN("the whole fork is fetched by hash and imported, and it becomes best") {
        CHECK(action == node::network::AnnounceAction::Ignore);
        CHECK(chain.best().hash == their_tip);
        CHECK(chain.has_block(theirs.canonical[11]));
      }
    }
    WHEN("the peer connects with its best (a range from our #21 does not connect)") {
      sync.on_peer_connected(peer_id(2), theirs.best());
      drive(net, sync, {{peer_id(2), &theirs}});
      THEN("sync searches the ancestors and imports the fork") {
        CHECK(chain.best().hash == their_tip);
        CHECK(net.reports.empty());
      }
    }
  }
}

SCENARIO("a peer that sends a bad block is reported and sync goes on with an honest peer") {
  GIVEN("an honest peer and a liar at the same height whose block #5 is bad") {
    Tree honest;
    honest.extend(honest.canonical[0], 30);
    Tree liar = honest;
    const auto bad_hash = liar.fork_with_bad_block(5, 40);
    FakeChain chain(honest);
    FakeNetwork net;
    SyncEngine sync({}, chain, net);

    WHEN("both connect and the liar (higher) is asked first") {
      sync.on_peer_connected(peer_id(9), liar.best());
      sync.on_peer_connected(peer_id(1), honest.best());
      drive(net, sync, {{peer_id(9), &liar}, {peer_id(1), &honest}});
      THEN("the liar is reported with the bad-block penalty") {
        REQUIRE(net.reports.size() == 1);
        CHECK(net.reports[0].first == peer_id(9));
        CHECK(net.reports[0].second == node::network::rep::kBadBlock.value);
      }
      THEN("the good prefix and then the honest chain are imported") {
        CHECK(chain.best() == honest.best());
        CHECK_FALSE(chain.has_block(bad_hash));
      }
    }
  }
}

SCENARIO("failed requests and a restarted node") {
  GIVEN("a node that already has 10 of the peer's 12 blocks (restarted from its database)") {
    Tree remote;
    remote.extend(remote.canonical[0], 12);
    FakeChain chain(remote);
    for (std::size_t n = 1; n <= 10; ++n) REQUIRE(chain.import_block(remote.blocks.at(remote.canonical[n])));
    FakeNetwork net;
    SyncEngine sync({}, chain, net);
    CHECK(sync.status().starting == 10);

    WHEN("the peer connects") {
      sync.on_peer_connected(peer_id(1), remote.best());
      THEN("sync asks from #11 only") {
        REQUIRE(net.requests.size() == 1);
        CHECK(std::get<runtime::BlockNumber>(net.requests.front().request.from) == 11);
      }
      AND_WHEN("the request times out") {
        auto p = std::move(net.requests.front());
        net.requests.clear();
        p.callback(node::network::NetworkError::RequestTimeout);
        THEN("sync does not hammer the peer, but asks again after its next announce") {
          sync.tick();
          CHECK(net.requests.empty());
          auto next = remote.extend(remote.canonical.back(), 1);
          sync.on_block_announce(peer_id(1), announce(remote, next));
          sync.tick();
          drive(net, sync, {{peer_id(1), &remote}});
          CHECK(chain.best().hash == next);
        }
      }
    }
  }
}

SCENARIO("a block referred to (by a finality vote) but never announced is fetched with its ancestors") {
  GIVEN("a node at #6 and a peer's fork from #3 that the node never saw") {
    Tree tree;
    auto common = tree.extend(tree.canonical[0], 3);
    Tree ours = tree;
    ours.extend(common, 3, 1);
    Tree theirs = tree;
    auto fork_tip = theirs.extend(common, 2, 2);
    FakeChain chain(tree);
    FakeNetwork net;
    SyncEngine sync({}, chain, net);
    for (std::size_t n = 1; n <= 6; ++n) REQUIRE(chain.import_block(ours.blocks.at(ours.canonical[n])));

    WHEN("fetch_block is asked for the fork's tip") {
      sync.fetch_block(peer_id(3), fork_tip, 5);
      drive(net, sync, {{peer_id(3), &theirs}});
      THEN("the fork is imported (our best stays, being longer)") {
        CHECK(chain.has_block(fork_tip));
        CHECK(chain.best().number == 6);
      }
    }
    WHEN("it is asked for a known block or one at the finalized height") {
      sync.fetch_block(peer_id(3), ours.canonical[2], 2);
      sync.fetch_block(peer_id(3), fork_tip, 0);
      THEN("nothing is requested") { CHECK(net.requests.empty()); }
    }
  }
}

SCENARIO("sync hands each downloaded range to the chain before importing it, so signatures are verified ahead") {
  GIVEN("a peer 100 blocks ahead and ranges of at most 40 blocks") {
    Tree remote;
    remote.extend(remote.canonical[0], 100);
    FakeChain chain(remote);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 40;
    SyncEngine sync(options, chain, net);
    const auto peer = peer_id(1);
    WHEN("the node syncs") {
      sync.on_peer_connected(peer, remote.best());
      drive(net, sync, {{peer, &remote}});
      THEN("each range was prepared whole, in order, as soon as it arrived: before any block was imported") {
        REQUIRE(chain.imported.size() == 100);
        REQUIRE(chain.prepared.size() == 3);
        std::size_t next = 0;
        for (const auto& [imported_before, hashes] : chain.prepared) {
          CHECK(imported_before == 0);
          for (std::size_t i = 0; i < hashes.size(); ++i) CHECK(hashes[i] == remote.canonical[next + 1 + i]);
          next += hashes.size();
        }
        CHECK(next == 100);
      }
    }
  }
}

SCENARIO("range sync downloads ahead of the import, within the queue's bound") {
  GIVEN("a peer 300 blocks ahead, ranges of 40 blocks and room for 80 queued blocks") {
    Tree remote;
    remote.extend(remote.canonical[0], 300);
    FakeChain chain(remote);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 40;
    options.max_blocks_queued = 80;
    SyncEngine sync(options, chain, net);
    const auto peer = peer_id(1);
    const std::map<PeerId, const Tree*> peers{{peer, &remote}};
    const auto next_from = [&net] { return std::get<runtime::BlockNumber>(net.requests.front().request.from); };

    WHEN("the peer connects and its answers come while nothing is imported") {
      sync.on_peer_connected(peer, remote.best());
      REQUIRE(net.pending() == 1);
      REQUIRE(net.serve_one(peers));
      THEN("the next range is asked for at once, from the last queued block") {
        CHECK(sync.queued_blocks() == 40);
        REQUIRE(net.pending() == 1);
        CHECK(next_from() == 41);
        CHECK(chain.imported.empty());
      }
      REQUIRE(net.serve_one(peers));
      THEN("no more than the bound is asked for") {
        CHECK(sync.queued_blocks() == 80);
        CHECK(net.pending() == 0);
        sync.tick();
        CHECK(net.pending() == 0);
      }
      THEN("a fork block announced above queued blocks starts no ancestor search (range sync is on its way)") {
        Tree fork = remote;
        const auto fork_block = fork.extend(remote.canonical[29], 1, 3, false);
        CHECK(sync.on_block_announce(peer, announce(fork, fork_block)) == node::network::AnnounceAction::Ignore);
        CHECK(net.pending() == 0);
      }
      AND_WHEN("one queued range is imported") {
        REQUIRE(sync.import_next());
        THEN("the room it made was filled by a request for the next range") {
          CHECK(chain.imported.size() == 40);
          CHECK(sync.queued_blocks() == 40);
          REQUIRE(net.pending() == 1);
          CHECK(next_from() == 81);
        }
      }
      AND_WHEN("downloads and imports go on to the end") {
        std::size_t most_queued = 0;
        for (int steps = 0; steps < 1000; ++steps) {
          most_queued = std::max(most_queued, sync.queued_blocks());
          if (net.serve_one(peers)) continue;
          if (!sync.import_next()) break;
        }
        THEN("the whole chain is imported in order, never holding more than bound + one range - 1 blocks") {
          CHECK(chain.best() == remote.best());
          REQUIRE(chain.imported.size() == 300);
          for (std::size_t n = 1; n <= 300; ++n) CHECK(chain.imported[n - 1] == remote.canonical[n]);
          CHECK(most_queued <= 80 + 40 - 1);
          CHECK(sync.queued_blocks() == 0);
          CHECK(net.reports.empty());
        }
      }
    }
  }
}

SCENARIO("a bad block in a queued range drops what was queued behind it, and a stale answer is ignored") {
  GIVEN("an honest peer at #100 and a higher liar whose block #50 is bad, ranges of 20, room for 80") {
    Tree honest;
    honest.extend(honest.canonical[0], 100);
    Tree liar = honest;
    const auto bad_hash = liar.fork_with_bad_block(50, 70);
    FakeChain chain(honest);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 20;
    options.max_blocks_queued = 80;
    SyncEngine sync(options, chain, net);
    const std::map<PeerId, const Tree*> peers{{peer_id(9), &liar}, {peer_id(1), &honest}};
    sync.on_peer_connected(peer_id(9), liar.best());
    sync.on_peer_connected(peer_id(1), honest.best());

    WHEN("the liar's ranges #1-#80 are queued and the import reaches #50") {
      net.serve_all(peers);
      REQUIRE(sync.queued_blocks() == 80);
      REQUIRE(sync.import_next());  // #1-#20; makes room: the liar is asked for #81..
      REQUIRE(net.pending() == 1);
      CHECK(net.requests.front().peer == peer_id(9));
      REQUIRE(sync.import_next());  // #21-#40
      REQUIRE(sync.import_next());  // #41-#49, then #50 fails
      THEN("the liar is reported, the rest is dropped and the honest peer is asked from #50") {
        CHECK(chain.best().number == 49);
        REQUIRE(net.reports.size() == 1);
        CHECK(net.reports[0] == std::pair{peer_id(9), node::network::rep::kBadBlock.value});
        CHECK(sync.queued_blocks() == 0);
        REQUIRE(net.pending() == 2);
        CHECK(net.requests.back().peer == peer_id(1));
        CHECK(std::get<runtime::BlockNumber>(net.requests.back().request.from) == 50);
      }
      AND_WHEN("the liar's answer to the dropped request comes first, then the honest peer's") {
        REQUIRE(net.serve_one(peers));
        THEN("the stale answer is ignored") { CHECK(sync.queued_blocks() == 0); }
        drive(net, sync, peers);
        THEN("the honest chain is imported, without the bad block") {
          CHECK(chain.best() == honest.best());
          CHECK_FALSE(chain.has_block(bad_hash));
          CHECK(net.reports.size() == 1);
        }
      }
    }
  }
}

SCENARIO("a failed request while blocks are queued") {
  GIVEN("a peer 100 blocks ahead, ranges of 20") {
    Tree remote;
    remote.extend(remote.canonical[0], 100);
    FakeChain chain(remote);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 20;
    SyncEngine sync(options, chain, net);
    const std::map<PeerId, const Tree*> peers{{peer_id(1), &remote}, {peer_id(2), &remote}};
    sync.on_peer_connected(peer_id(1), remote.best());
    REQUIRE(net.serve_one(peers));
    REQUIRE(net.pending() == 1);

    WHEN("the request for the next range times out") {
      auto p = net.take();
      p->callback(node::network::NetworkError::RequestTimeout);
      THEN("the queued range is still imported, and the peer is not asked again until it announces") {
        CHECK(sync.import_next());
        CHECK(chain.best().number == 20);
        sync.tick();
        CHECK(net.pending() == 0);
      }
      AND_WHEN("another peer ahead connects") {
        sync.on_peer_connected(peer_id(2), remote.best());
        THEN("it is asked for the range after the queued one, and sync completes") {
          REQUIRE(net.pending() == 1);
          CHECK(net.requests.front().peer == peer_id(2));
          CHECK(std::get<runtime::BlockNumber>(net.requests.front().request.from) == 21);
          drive(net, sync, peers);
          CHECK(chain.best() == remote.best());
          CHECK(net.reports.empty());
        }
      }
    }
  }
}

SCENARIO("the engine's import thread imports while the host thread downloads, and stops cleanly") {
  GIVEN("a peer 200 blocks ahead, ranges of 20") {
    Tree remote;
    remote.extend(remote.canonical[0], 200);
    FakeChain chain(remote);
    FakeNetwork net;
    node::sync::SyncOptions options;
    options.max_blocks_per_request = 20;
    const std::map<PeerId, const Tree*> peers{{peer_id(1), &remote}};

    WHEN("the engine is started and this thread answers the requests") {
      SyncEngine sync(options, chain, net);
      sync.start();
      sync.on_peer_connected(peer_id(1), remote.best());
      const bool synced = eventually([&] {
        net.serve_one(peers);
        return chain.best() == remote.best();
      });
      THEN("the chain is imported in order") {
        CHECK(synced);
        CHECK(chain.imported_count() == 200);
        CHECK(chain.imported.front() == remote.canonical[1]);
        CHECK(chain.imported.back() == remote.canonical[200]);
        CHECK(eventually([&] { return sync.queued_blocks() == 0; }));
      }
    }

    WHEN("it is stopped while a block imports and more are queued, with a request in flight") {
      std::mutex gate_mutex;
      std::condition_variable gate;
      bool entered = false;
      bool released = false;
      chain.before_import = [&] {
        std::unique_lock lock(gate_mutex);
        entered = true;
        gate.notify_all();
        gate.wait(lock, [&] { return released; });
      };
      SyncEngine sync(options, chain, net);
      sync.start();
      sync.on_peer_connected(peer_id(1), remote.best());
      REQUIRE(net.serve_one(peers));
      REQUIRE(net.serve_one(peers));
      bool importing = false;
      {
        std::unique_lock lock(gate_mutex);
        importing = gate.wait_for(lock, std::chrono::seconds(10), [&] { return entered; });
      }
      const std::size_t queued_before = sync.queued_blocks();
      std::thread stopper([&] { sync.stop(); });
      // stop() drops the queued range at once, then waits for the block being imported.
      const bool dropped = eventually([&] { return sync.queued_blocks() == 20; });
      {
        std::lock_guard lock(gate_mutex);
        released = true;
      }
      gate.notify_all();
      stopper.join();
      THEN("the import thread finishes that block only, and nothing is queued or requested any more") {
        CHECK(importing);
        CHECK(queued_before == 40);
        CHECK(dropped);
        CHECK(chain.imported_count() == 1);
        CHECK(sync.queued_blocks() == 0);
        REQUIRE(net.pending() == 1);  // the request for #41, made before stop()
        REQUIRE(net.serve_one(peers));
        CHECK(sync.queued_blocks() == 0);
        sync.tick();
        sync.on_peer_connected(peer_id(2), remote.best());
        CHECK(net.pending() == 0);
        CHECK_FALSE(sync.import_next());
        CHECK(chain.imported_count() == 1);
      }
    }
  }
}
