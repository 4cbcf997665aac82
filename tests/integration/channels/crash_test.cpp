// Crash safety (issue 5): kill -9 of the provider and then of the requester in
// the middle of a pipelined run. Both persist every co-signed state before
// acknowledging it, so after restarting each still has the latest state it
// signed, the requester adopts the provider's newer one (answers lost in the
// crash) and both close cooperatively on the same final state.

#include "tests/integration/channels/channel_env.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace bazaar;
using namespace bazaar::test::channels;
using namespace std::chrono_literals;
using market::tail;

namespace {

constexpr runtime::Balance kCc = 1'000'000'000'000;

/// `bazaar task run` over the channel as a background process, `n` tasks from input number `first`.
std::unique_ptr<Process> start_run(ChannelWorld& world, const pc::ChannelId& id, std::size_t n, std::size_t first,
                                   const std::string& log) {
  auto inputs = world.dir() / ("crash-inputs-" + std::to_string(first) + ".txt");
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += "task-" + std::to_string(first + i) + "\n";
  market::write_text(inputs, text);
  return std::make_unique<Process>(
      market::binary("bazaar"),
      std::vector<std::string>{"--rpc", world.node().rpc_url(), "--signer", "//Alice", "--json", "task", "run",
                               "--channel", runtime::to_hex(id), "--program", world.echo().string(), "--input-lines",
                               inputs.string(), "--fuel", "100000", "--batch", "16", "--store",
                               world.store().string()},
      world.dir() / log);
}

std::size_t results_in(const std::string& log) {
  std::size_t n = 0;
  for (const auto& j : market::json_lines(log)) n += j.contains("taskId") && j["ok"] == true ? 1 : 0;
  return n;
}

std::set<std::string> task_ids_in(const std::string& log) {
  std::set<std::string> out;
  for (const auto& j : market::json_lines(log))
    if (j.contains("taskId") && j["ok"] == true) out.insert(j["taskId"].get<std::string>());
  return out;
}

}  // namespace

SCENARIO("the provider and then the requester are killed mid-stream and close on the latest state",
         "[integration][channels]") {
  GIVEN("a channel //Alice -> //Bob (3 CC + 1 CC) and a run of 2,000 tasks in batches of 16") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto& chain = world.chain();
    auto start = market::best_block(chain);
    auto id = world.open_and_fund("3", "1", 10);
    auto run1 = start_run(world, id, 2000, 0, "run-1.log");
    REQUIRE(market::eventually([&] { return results_in(run1->log()) >= 100; }, 120s));

    WHEN("the worker is killed with SIGKILL, restarted, and the requester killed in the next run") {
      world.kill_worker();
      auto exit1 = run1->wait_exit(60s);
      INFO("run 1 log:\n" << tail(run1->log()));
      REQUIRE(exit1.has_value());
      CHECK(*exit1 != 0);  // the run stopped: the provider went away
      world.start_worker();
      REQUIRE(world.provider_ready());
      auto run2 = start_run(world, id, 2000, 10'000, "run-2.log");
      REQUIRE(market::eventually([&] { return results_in(run2->log()) >= 100; }, 120s));
      run2->kill_hard();
      INFO("run 2 log:\n" << tail(run2->log()));
      const auto reported = task_ids_in(run1->log() + run2->log());

      AND_WHEN("Alice closes the channel") {
        auto close = world.alice({"channel", "close", runtime::to_hex(id)});
        INFO("close stdout:\n" << close.out << "\nstderr:\n" << close.err);
        INFO("worker log:\n" << tail(world.worker()->log()));

        THEN("both sides agree on the latest co-signed state and close cooperatively on it") {
          REQUIRE(close.exit_code == 0);
          auto closed = line_with(close, "closed");
          REQUIRE(closed.value("closed", "") == "cooperatively");
          const auto version = closed["version"].get<uint64_t>();
          auto stored = world.stored(id);
          // Every update paid one task: the final state is one version past the task log.
          REQUIRE(stored.leaves.size() == version - 1);
          REQUIRE(version - 1 >= reported.size());
          CHECK(market::json_u128(closed["payoutB"]) == 1 * kCc + (version - 1) * ChannelWorld::kPriceUnits);
          CHECK(market::json_u128(closed["payoutA"]) == 3 * kCc - (version - 1) * ChannelWorld::kPriceUnits);
          // Every result the wallet handed out before the crashes is in the closed task log.
          std::set<std::string> logged;
          for (const auto& e : stored.leaves) logged.insert(runtime::to_hex(e.task_id));
          for (const auto& t : reported) CHECK(logged.count(t) == 1);
          auto xts = channel_extrinsics(chain, start.number + 1, market::best_block(chain).number);
          REQUIRE(xts.size() == 3);
          CHECK(xts.back().call_index == pc::CooperativeClose::kIndex);
        }
      }
    }
  }
}
