// State pruning (--state-pruning N): finalized states past the window and the
// states of abandoned forks are removed; everything retained stays whole.

#include "modules/system/system.hpp"
#include "tests/node/chain/chain_fixture.hpp"

using namespace bazaar;
using namespace bazaar::test;
using node::chain::ChainError;

namespace {

bool state_readable(const Chain& chain, const BlockInfo& b) { return chain.state_at(b.hash).has_value(); }

/// Reads every key and value of the state at `b`; false if any node is missing.
bool state_whole(const Chain& chain, const BlockInfo& b) {
  auto state = chain.state_at(b.hash);
  if (!state) return false;
  std::size_t keys = 0;
  for (auto k = state.value()->next_key({}); k; k = state.value()->next_key(*k)) {
    if (!state.value()->get(*k)) return false;
    ++keys;
  }
  return keys > 0 && !state.value()->failure();
}

runtime::BlockNumber number_in_state(const Chain& chain, const BlockInfo& b) {
  auto state = chain.state_at(b.hash);
  REQUIRE(state.has_value());
  return modules::system::Number::get(*state.value());
}

}  // namespace

SCENARIO("state pruning keeps the last N finalized states and every unfinalized one") {
  GIVEN("a node keeping 2 finalized states, a chain of 5 blocks and a fork of one block on genesis") {
    TempDir dir;
    auto node = TestNode::open(dir.path(), "dev", nullptr, 2);
    node.clock->set(kStartMs + 60'000);
    Chain& chain = *node.chain;
    const auto alice = dev_key("//Alice");
    const BlockInfo g = chain.genesis();
    std::vector<BlockInfo> a{g};
    for (int i = 1; i <= 5; ++i) a.push_back(import_ok(chain, build_block(chain, a.back(), kStartSlot + 2 * i, alice)));
    const BlockInfo b1 = import_ok(chain, build_block(chain, g, kStartSlot + 3, alice));
    REQUIRE(state_readable(chain, b1));
    REQUIRE(state_readable(chain, g));

    WHEN("block #4 is finalized") {
      REQUIRE(chain.finalize(a[4].hash).has_value());
      THEN("the states of #3 and #4 stay, #5 (unfinalized) stays, older ones and the fork are pruned") {
        CHECK_FALSE(state_readable(chain, g));
        CHECK_FALSE(state_readable(chain, a[1]));
        CHECK_FALSE(state_readable(chain, a[2]));
        CHECK_FALSE(state_readable(chain, b1));
        for (int i : {3, 4, 5}) {
          CHECK(state_whole(chain, a[i]));
          CHECK(number_in_state(chain, a[i]) == static_cast<runtime::BlockNumber>(i));
        }
        CHECK(chain.state_at(a[2].hash).error() == ChainError::StateUnavailable);
      }
      THEN("headers and bodies are kept") {
        CHECK(chain.blocks().block(a[1].hash).value().has_value());
        CHECK(chain.blocks().block(b1.hash).value().has_value());
      }
      AND_WHEN("the chain grows and #5 is finalized") {
        const BlockInfo a6 = import_ok(chain, build_block(chain, a[5], kStartSlot + 12, alice));
        REQUIRE(chain.finalize(a[5].hash).has_value());
        THEN("the window moves by one") {
          CHECK_FALSE(state_readable(chain, a[3]));
          CHECK(state_whole(chain, a[4]));
          CHECK(state_whole(chain, a[5]));
          CHECK(state_whole(chain, a6));
        }
      }
      AND_WHEN("the node restarts with pruning") {
        node.close();
        auto again = TestNode::open(dir.path(), "dev", nullptr, 2);
        THEN("it resumes and the retained states are whole") {
          CHECK(again.chain->best() == a[5]);
          CHECK(state_whole(*again.chain, a[4]));
        }
      }
      AND_WHEN("the node restarts in archive mode") {
        node.close();
        auto [again, message] = TestNode::try_open(dir.path(), "dev", nullptr, std::nullopt);
        THEN("it refuses with a message naming the mode") {
          CHECK(again.chain == nullptr);
          CHECK(message.find("archive") != std::string::npos);
        }
      }
    }
    WHEN("everything up to the tip is finalized with a window of 2") {
      REQUIRE(chain.finalize(a[5].hash).has_value());
      node.close();
      THEN("a restart re-checks the best block although its parent's state is gone... or kept") {
        auto again = TestNode::open(dir.path(), "dev", nullptr, 2);
        CHECK(again.chain->best() == a[5]);
        CHECK(state_whole(*again.chain, a[5]));
      }
    }
  }
}

SCENARIO("an archive node keeps every state") {
  TempDir dir;
  auto node = TestNode::open(dir.path());
  node.clock->set(kStartMs + 60'000);
  Chain& chain = *node.chain;
  const auto alice = dev_key("//Alice");
  std::vector<BlockInfo> a{chain.genesis()};
  for (int i = 1; i <= 4; ++i) a.push_back(import_ok(chain, build_block(chain, a.back(), kStartSlot + i, alice)));
  REQUIRE(chain.finalize(a[4].hash).has_value());
  for (const auto& b : a) CHECK(state_whole(chain, b));
  node.close();
  auto [again, message] = TestNode::try_open(dir.path(), "dev", nullptr, 8);
  CHECK(again.chain == nullptr);
  CHECK(message.find("archive") != std::string::npos);
}
