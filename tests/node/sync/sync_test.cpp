// SyncEngine against fake peers: a fake network that queues block requests
// and answers them from a peer's block tree (as Network::serve_blocks does),
// and a fake chain whose import checks the parent link and rejects blocks
// marked bad.

#include "node/sync/sync.hpp"

#include "node/network/error.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <map>
#include <set>

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
  BlockInfo best() const override { return m_best; }
  BlockInfo finalized() const override { return m_finalized; }
  bool has_block(const H256& hash) const override { return m_blocks.contains(hash); }
  node::chain::ImportResult import_block(const runtime::Block& block) override {
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
    std::vector<H256> hashes;
    for (const auto& b : blocks) hashes.push_back(runtime::header_hash(b.header));
    prepared.push_back({imported.size(), std::move(hashes)});
  }
  Result<void> import_justification(const BlockInfo& block, runtime::ByteSpan justification) override {
    if (justification.size() != 1 || justification[0] != 0x42) return node::chain::ChainError::CorruptDatabase;
    m_finalized = block;
    return outcome::success();
  }

  std::vector<H256> imported;
  /// Each prepare_import call: how many blocks were imported before it, and the blocks it announced.
  std::vector<std::pair<std::size_t, std::vector<H256>>> prepared;

 private:
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
    requests.push_back({peer, request, std::move(callback)});
  }
  void report_peer(const PeerId& peer, node::network::ReputationChange change) override {
    reports.emplace_back(peer, change.value);
  }
  /// Answers every queued request (and those they cause) from the peers' trees.
  void serve_all(const std::map<PeerId, const Tree*>& peers, std::size_t limit = 1000) {
    while (!requests.empty() && limit-- > 0) {
      auto p = std::move(requests.front());
      requests.pop_front();
      ++served;
      p.callback(peers.at(p.peer)->serve(p.request));
    }
  }
  std::deque<Pending> requests;
  std::vector<std::pair<PeerId, int32_t>> reports;
  std::size_t served = 0;
};

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
      net.serve_all({{peer, &remote}});
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
        net.serve_all({{peer, &remote}});
        auto next = remote.extend(remote.canonical.back(), 1);
        auto action = sync.on_block_announce(peer, announce(remote, next));
        THEN("sync asks the network to fetch it, and imports it") {
          REQUIRE(action == node::network::AnnounceAction::Fetch);
          sync.on_blocks(peer, remote.serve({0, next, node::network::Direction::Descending, 1}));
          CHECK(chain.best().hash == next);
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
      net.serve_all({{peer_id(2), &theirs}});
      THEN("the whole fork is fetched by hash and imported, and it becomes best") {
        CHECK(action == node::network::AnnounceAction::Ignore);
        CHECK(chain.best().hash == their_tip);
        CHECK(chain.has_block(theirs.canonical[11]));
      }
    }
    WHEN("the peer connects with its best (a range from our #21 does not connect)") {
      sync.on_peer_connected(peer_id(2), theirs.best());
      net.serve_all({{peer_id(2), &theirs}});
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
    liar.canonical.resize(5);
    auto parent = liar.canonical[4];
    Header bad;
    bad.parent_hash = parent;
    bad.number.value = 5;
    bad.state_root = kBadRoot;
    auto bad_hash = liar.add(bad);
    liar.extend(bad_hash, 40, 7);
    FakeChain chain(honest);
    FakeNetwork net;
    SyncEngine sync({}, chain, net);

    WHEN("both connect and the liar (higher) is asked first") {
      sync.on_peer_connected(liar.canonical.size() > 0 ? peer_id(9) : peer_id(9), liar.best());
      sync.on_peer_connected(peer_id(1), honest.best());
      net.serve_all({{peer_id(9), &liar}, {peer_id(1), &honest}});
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
          net.serve_all({{peer_id(1), &remote}});
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
      net.serve_all({{peer_id(3), &theirs}});
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
      net.serve_all({{peer, &remote}});
      THEN("each range was prepared whole, in order, before its first block was imported") {
        REQUIRE(chain.imported.size() == 100);
        REQUIRE(chain.prepared.size() == 3);
        std::size_t next = 0;
        for (const auto& [imported_before, hashes] : chain.prepared) {
          CHECK(imported_before == next);
          for (std::size_t i = 0; i < hashes.size(); ++i) CHECK(hashes[i] == remote.canonical[next + 1 + i]);
          next += hashes.size();
        }
        CHECK(next == 100);
      }
    }
  }
}
