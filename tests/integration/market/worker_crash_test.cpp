// kill -9 of the standalone worker in the middle of a task (issue 2: "restart:
// the task completes once"): the worker journals every stage in its own
// LevelDB, so a restart on the same --db resumes the task and the chain sees
// exactly one claim and one result.

#include "tests/integration/market/market_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::market;
namespace tq = modules::task_queue;
using namespace std::chrono_literals;

namespace {

/// Posts primes(N) as //Alice without waiting; the task id.
std::optional<tq::TaskId> post_primes(const WalletCli& wallet, const TempDir& dir, const std::string& n) {
  auto input = dir / ("primes-" + n + ".in");
  write_text(input, n);
  auto post = wallet({"--signer", "//Alice", "--json", "task", "post", "--program", task_program("primes").string(),
                      "--input", input.string(), "--bounty", "2", "--fuel", "8000000000", "--deadline", "60"});
  UNSCOPED_INFO("task post stdout:\n" << tail(post.out) << "\nstderr:\n" << post.err);
  if (post.exit_code != 0) return std::nullopt;
  return posted_task_id(post);
}

/// Waits for the result, accepts it as //Alice, and waits for Completed.
std::optional<tq::Task> accept_when_submitted(rpc::ChainClient& chain, const WalletCli& wallet, tq::TaskId id) {
  auto task = wait_for_task(chain, id, tq::TaskStatus::Submitted, 90s);
  if (!task || task->status != tq::TaskStatus::Submitted) return task;
  auto accept = wallet({"--signer", "//Alice", "task", "accept", std::to_string(id)});
  UNSCOPED_INFO("task accept stdout:\n" << tail(accept.out) << "\nstderr:\n" << accept.err);
  return wait_for_task(chain, id, tq::TaskStatus::Completed, 30s);
}

std::size_t count(const std::string& text, const std::regex& pattern) {
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), pattern), std::sregex_iterator()));
}

}  // namespace

SCENARIO("the worker is killed with SIGKILL in the middle of a task and restarted", "[integration][market]") {
  GIVEN("a dev chain and bazaar-worker as //Bob with its journal in a --db directory") {
    TempDir dir;
    DevNode node;
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto& chain = node.chain();
    const auto bob = account_of("//Bob");
    auto db = dir / "worker-db";
    auto worker = start_worker(node.rpc_url(), "//Bob", db, dir / "worker-1.log");
    REQUIRE(eventually([&] { return read_provider(chain, bob).has_value(); }, 30s));
    WalletCli wallet(node.rpc_url(), dir.path());
    auto start = best_block(chain);

    WHEN("a long task (primes below 4000000, ~130M instructions) is claimed by //Bob and the worker is killed "
         "while it runs") {
      auto id = post_primes(wallet, dir, "4000000");
      REQUIRE(id.has_value());
      auto claimed = wait_for_task(chain, *id, tq::TaskStatus::Claimed, 30s);
      std::string first_log = worker->log();
      worker->kill_hard();
      INFO("first worker log:\n" << tail(first_log));
      REQUIRE(claimed.has_value());
      REQUIRE(claimed->status == tq::TaskStatus::Claimed);
      REQUIRE(claimed->provider == bob);
      // The kill landed during the run: nothing was executed or submitted yet.
      REQUIRE(first_log.find("ran task " + std::to_string(*id)) == std::string::npos);
      auto still = read_task(chain, *id);
      REQUIRE(still.has_value());
      REQUIRE(still->status == tq::TaskStatus::Claimed);

      AND_WHEN("it restarts on the same database") {
        worker = start_worker(node.rpc_url(), "//Bob", db, dir / "worker-2.log");
        auto done = accept_when_submitted(chain, wallet, *id);
        INFO("second worker log:\n" << tail(worker->log()));

        THEN("the task completes exactly once with the right output, and //Bob's stats count one completion") {
          REQUIRE(done.has_value());
          REQUIRE(done->status == tq::TaskStatus::Completed);
          auto output = wallet({"task", "status", std::to_string(*id), "--output", (dir / "primes.out").string()});
          REQUIRE(output.exit_code == 0);
          CHECK(read_text(dir / "primes.out") == "283146\n");

          auto events = events_in(chain, start.number + 1, best_block(chain).number);
          CHECK(select_events(events, "TaskQueue", "TaskClaimed", "taskId", *id).size() == 1);
          CHECK(select_events(events, "TaskQueue", "ResultSubmitted", "taskId", *id).size() == 1);
          CHECK(select_events(events, "TaskQueue", "TaskCompleted", "taskId", *id).size() == 1);
          auto second_log = worker->log();
          std::regex submitted("submitted the result of task " + std::to_string(*id) + " ");
          CHECK(count(first_log, submitted) == 0);
          CHECK(count(second_log, submitted) == 1);
          CHECK(count(second_log, std::regex("claimed task " + std::to_string(*id) + " ")) == 0);

          auto provider = read_provider(chain, bob);
          REQUIRE(provider.has_value());
          CHECK(provider->stats.completed == 1);
          CHECK(provider->stats.failed == 0);
          CHECK(provider->stats.in_flight == 0);
        }
      }
    }

    WHEN("the worker is killed as soon as it starts claiming a task (before the claim lands)") {
      auto id = post_primes(wallet, dir, "1000000");
      REQUIRE(id.has_value());
      auto claiming = worker->wait_for_log(std::regex("claiming task " + std::to_string(*id) + " "), 30s);
      worker->kill_hard();
      INFO("first worker log:\n" << tail(worker->log()));
      REQUIRE(claiming.has_value());

      AND_WHEN("it restarts on the same database") {
        worker = start_worker(node.rpc_url(), "//Bob", db, dir / "worker-2.log");
        auto done = accept_when_submitted(chain, wallet, *id);
        INFO("second worker log:\n" << tail(worker->log()));

        THEN("the task is claimed once, its result submitted once, and it completes") {
          REQUIRE(done.has_value());
          CHECK(done->status == tq::TaskStatus::Completed);
          CHECK(done->provider == bob);
          auto events = events_in(chain, start.number + 1, best_block(chain).number);
          CHECK(select_events(events, "TaskQueue", "TaskClaimed", "taskId", *id).size() == 1);
          CHECK(select_events(events, "TaskQueue", "ResultSubmitted", "taskId", *id).size() == 1);
          auto output = wallet({"task", "status", std::to_string(*id), "--output", (dir / "primes.out").string()});
          REQUIRE(output.exit_code == 0);
          CHECK(read_text(dir / "primes.out") == "78498\n");
          auto provider = read_provider(chain, bob);
          REQUIRE(provider.has_value());
          CHECK(provider->stats.completed == 1);
          CHECK(provider->stats.in_flight == 0);
        }
      }
    }
  }
}
