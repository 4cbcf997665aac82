// Bad input to the wallet gets a clear error and the right exit code: command
// line mistakes (exit 2 for an unknown command, 1 otherwise) before anything
// is sent, and the chain's dispatch errors by name (Module.Error), with the
// fee still charged and no other state change.

#include "runtime/primitives/units.hpp"
#include "tests/integration/market/market_env.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>

using namespace bazaar;
using namespace bazaar::test::market;
namespace tq = modules::task_queue;
using namespace std::chrono_literals;

namespace {

/// A loopback port that nothing listens on (bound, then released).
uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

/// The wallet's one JSON report of a failed extrinsic.
nlohmann::json failed_report(const CommandResult& r) {
  for (const auto& j : json_lines(r.out))
    if (j.contains("success") && j["success"] == false) return j;
  return nullptr;
}

}  // namespace

SCENARIO("the wallet rejects bad command lines with a clear message", "[integration][market]") {
  TempDir dir;
  WalletCli wallet("ws://127.0.0.1:" + std::to_string(closed_port()), dir.path());

  WHEN("the command is unknown") {
    auto r = wallet({"frobnicate"});
    THEN("it exits 2 and prints the usage") {
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("unknown command 'frobnicate'") != std::string::npos);
      CHECK(r.err.find("usage: bazaar") != std::string::npos);
    }
  }
  WHEN("an amount is not a number of CC") {
    auto r = wallet({"--signer", "//Alice", "transfer", "//Bob", "1.2.3"});
    THEN("it exits 1 naming the argument") {
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("AMOUNT: expected an amount in CC") != std::string::npos);
    }
  }
  WHEN("a transaction is given no --signer") {
    auto r = wallet({"transfer", "//Bob", "1"});
    THEN("it exits 1 asking for --signer") {
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("give --signer") != std::string::npos);
    }
  }
  WHEN("nothing listens at --rpc") {
    auto r = wallet({"balance", "//Alice"});
    THEN("it exits 1 saying it cannot connect") {
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("cannot connect") != std::string::npos);
    }
  }
}

SCENARIO("the chain's errors reach the wallet by name", "[integration][market]") {
  GIVEN("a dev chain") {
    TempDir dir;
    DevNode node;
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto& chain = node.chain();
    WalletCli wallet(node.rpc_url(), dir.path());

    WHEN("//Dave transfers more than his balance") {
      const auto dave = account_of("//Dave");
      const auto bob = account_of("//Bob");
      auto dave_before = free_balance(chain, dave);
      auto bob_before = free_balance(chain, bob);
      auto r = wallet({"--signer", "//Dave", "--json", "transfer", "//Bob", "2000000"});
      INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
      THEN("ExtrinsicFailed names Credits.InsufficientBalance, the exit code is 1, and only the fee moved") {
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("transfer failed: Credits.InsufficientBalance") != std::string::npos);
        auto report = failed_report(r);
        REQUIRE(report.is_object());
        CHECK(report["error"] == "Credits.InsufficientBalance");
        CHECK(!select_events(report["events"].get<std::vector<nlohmann::json>>(), "System", "ExtrinsicFailed").empty());
        auto fee = runtime::u128_from_string(report["fee"].get<std::string>());
        REQUIRE(fee.has_value());
        CHECK(*fee > 0);
        CHECK(free_balance(chain, dave) == dave_before - *fee);
        CHECK(free_balance(chain, bob) == bob_before);
      }
    }

    WHEN("//Bob cancels a task //Alice posted") {
      auto input = dir / "n.in";
      write_text(input, "1000");
      auto post = wallet({"--signer", "//Alice", "--json", "task", "post", "--program",
                          task_program("primes").string(), "--input", input.string(), "--bounty", "1"});
      INFO("post stdout:\n" << tail(post.out) << "\nstderr:\n" << post.err);
      REQUIRE(post.exit_code == 0);
      auto id = posted_task_id(post);
      REQUIRE(id.has_value());
      auto r = wallet({"--signer", "//Bob", "task", "cancel", std::to_string(*id)});
      INFO("cancel stdout:\n" << r.out << "\nstderr:\n" << r.err);
      THEN("it fails with TaskQueue.NotRequester and the task stays open") {
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("cancel failed: TaskQueue.NotRequester") != std::string::npos);
        auto task = read_task(chain, *id);
        REQUIRE(task.has_value());
        CHECK(task->status == tq::TaskStatus::Open);
      }
    }

    WHEN("a file that is not WebAssembly is uploaded as a program") {
      auto r = wallet({"--signer", "//Alice", "program", "upload", "/usr/share/common-licenses/GPL-3"});
      INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
      THEN("it fails with TaskQueue.InvalidProgram") {
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("upload failed: TaskQueue.InvalidProgram") != std::string::npos);
        auto holds = wallet({"--json", "balance", "//Alice"});
        auto j = json_lines(holds.out);
        REQUIRE(j.size() == 1);
        CHECK(!j[0]["holds"].contains("ProgramDeposit"));
      }
    }

    WHEN("a task is posted with an input of 256 KiB + 1 byte") {
      auto input = dir / "big.in";
      write_text(input, std::string(256 * 1024 + 1, '7'));
      auto r = wallet({"--signer", "//Alice", "task", "post", "--program", task_program("primes").string(), "--input",
                       input.string(), "--bounty", "1"});
      INFO("stdout:\n" << tail(r.out) << "\nstderr:\n" << r.err);
      THEN("it fails with TaskQueue.InputTooLarge and no task exists") {
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("post task failed: TaskQueue.InputTooLarge") != std::string::npos);
        CHECK_FALSE(read_task(chain, 0).has_value());
      }
    }
  }
}
