// The gadget on real chains: two authorities (Alice, Bob of the "local" spec),
// each with its own database, finalize the blocks they both imported, store
// the justification with the block, and a third node finalizes from it.

#include "tests/node/chain/chain_fixture.hpp"

#include "node/finality/chain_adapter.hpp"
#include "node/finality/justification.hpp"
#include "node/log/log.hpp"

#include <deque>

using namespace bazaar;
using namespace bazaar::test;
namespace finality = bazaar::node::finality;

namespace {

/// Messages between voters of this test, delivered by hand.
struct Bus {
  struct Port final : finality::GossipOut {
    Bus* bus = nullptr;
    std::size_t index = 0;
    void broadcast(const H256&, runtime::Bytes m) override { bus->queue.push_back({index, std::move(m)}); }
    void send_to(const finality::PeerId&, const H256&, runtime::Bytes m) override {
      bus->queue.push_back({index, std::move(m)});
    }
  };
  std::deque<std::pair<std::size_t, runtime::Bytes>> queue;
  std::vector<finality::Voter*> voters;

  void deliver() {
    while (!queue.empty()) {
      auto [from, bytes] = std::move(queue.front());
      queue.pop_front();
      for (std::size_t i = 0; i < voters.size(); ++i) {
        if (i != from) CHECK(voters[i]->on_message(bytes, "peer").action != finality::MessageAction::Punish);
      }
    }
  }
};

}  // namespace

SCENARIO("two authorities finalize their chain through the adapter") {
  GIVEN("Alice's and Bob's nodes with the same three blocks imported") {
    node::log::set_default_level(node::log::Level::err);
    TempDir dir_a, dir_b, dir_c;
    auto clock = std::make_shared<node::consensus::ManualClock>(kStartMs);
    TestNode nodes[] = {TestNode::open(dir_a.path(), "local", clock), TestNode::open(dir_b.path(), "local", clock),
                        TestNode::open(dir_c.path(), "local", clock)};
    const runtime::crypto::Keypair keys[] = {dev_key("//Alice"), dev_key("//Bob"), dev_key("//Charlie")};
    BlockInfo tip = nodes[0].chain->genesis();
    for (Slot slot = kStartSlot; slot < kStartSlot + 3; ++slot) {
      clock->set(slot * 1000);
      const Block block = build_block(*nodes[0].chain, tip, slot, keys[slot % 3]);  // Aura: Alice, Bob, Charlie
      for (auto& n : nodes) tip = import_ok(*n.chain, block);
    }

    finality::AuthoritySet set{0, {keys[0].public_key(), keys[1].public_key()}};
    uint64_t now = 0;
    Bus bus;
    std::vector<std::unique_ptr<finality::ChainAdapter>> views;
    std::vector<std::unique_ptr<Bus::Port>> ports;
    std::vector<std::unique_ptr<finality::Voter>> voters;
    for (std::size_t i = 0; i < 2; ++i) {
      views.push_back(std::make_unique<finality::ChainAdapter>(*nodes[i].chain));
      ports.push_back(std::make_unique<Bus::Port>());
      ports.back()->bus = &bus;
      ports.back()->index = i;
      finality::VoterOptions o;
      o.authorities = set;
      o.genesis_hash = nodes[i].chain->genesis().hash;
      o.key = keys[i];
      o.now_ms = [&now] { return now; };
      o.gossip_duration_ms = 100;
      voters.push_back(std::make_unique<finality::Voter>(std::move(o), *views.back(), *ports.back(),
                                                         finality::chain_finalizer(*nodes[i].chain)));
      bus.voters.push_back(voters.back().get());
    }
    REQUIRE(views[0]->best_containing(nodes[0].chain->genesis()) == tip);
    REQUIRE(views[0]->is_descendant(tip, nodes[0].chain->genesis()));

    WHEN("their voters run for a few rounds") {
      for (auto& v : voters) v->start();
      for (int step = 0; step < 20; ++step) {
        now += 50;
        for (auto& v : voters) v->tick();
        bus.deliver();
      }
      THEN("both chains finalized the tip and stored a justification that verifies") {
        for (std::size_t i = 0; i < 2; ++i) {
          CHECK(nodes[i].chain->finalized() == tip);
          auto stored = nodes[i].chain->blocks().justification(tip.hash);
          REQUIRE(stored.has_value());
          REQUIRE(stored.value().has_value());
          CHECK(finality::verify_encoded_justification(set, nodes[i].chain->genesis().hash, *stored.value(), tip));
        }
        AND_WHEN("a third node imports that justification") {
          finality::ChainAdapter view(*nodes[2].chain);
          Bus::Port port;
          port.bus = &bus;
          finality::VoterOptions o;
          o.authorities = set;
          o.genesis_hash = nodes[2].chain->genesis().hash;
          finality::Voter observer(std::move(o), view, port, finality::chain_finalizer(*nodes[2].chain));
          const auto stored = nodes[0].chain->blocks().justification(tip.hash).value().value();
          REQUIRE(observer.import_justification(stored, tip));
          THEN("its chain is finalized at the tip too") { CHECK(nodes[2].chain->finalized() == tip); }
        }
      }
    }
  }
}
