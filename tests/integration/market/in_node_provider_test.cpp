// The in-node provider: `bazaar-node --dev --tmp --provider --provider-key //Bob`
// runs the same worker library on a thread of the node; the wallet's resize job
// completes without any separate worker process.

#include "tests/integration/market/market_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::market;
namespace tq = modules::task_queue;
using namespace std::chrono_literals;

SCENARIO("the node's own provider worker runs the demo job", "[integration][market]") {
  GIVEN("bazaar-node --dev --tmp --provider --provider-key //Bob") {
    TempDir dir;
    DevNode node({"--provider", "--provider-key", "//Bob"});
    if (!node.started() && node.log().find("no provider worker launcher") != std::string::npos) {
      WARN("skipped: this bazaar-node build has no provider launcher (node/main.cpp passes no "
           "ProviderLauncher hook), so --provider cannot start. Node output:\n"
           << node.log());
      return;
    }
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto& chain = node.chain();
    bool registered = eventually([&] { return read_provider(chain, account_of("//Bob")).has_value(); }, 30s);
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(registered);
    WalletCli wallet(node.rpc_url(), dir.path());

    WHEN("//Alice posts the resize task with --wait --accept --output") {
      auto out_png = dir / "resized.png";
      auto post = wallet({"--signer", "//Alice", "--json", "task", "post", "--program",
                          task_program("resize").string(), "--input", "/usr/share/pixmaps/debian-logo.png",
                          "--bounty", "5", "--fuel", "4000000000", "--deadline", "60", "--wait", "--accept",
                          "--output", out_png.string(), "--timeout", "120"},
                         150s);
      INFO("wallet stdout:\n" << tail(post.out) << "\nstderr:\n" << post.err << "\nnode log:\n" << tail(node.log()));
      REQUIRE(post.exit_code == 0);
      auto id = posted_task_id(post);
      REQUIRE(id.has_value());

      THEN("the in-node provider ran it: 128x128 output, Completed, claimed by //Bob") {
        auto info = run_command(binary("bazaar-image-info"), {out_png.string()}, dir.path());
        REQUIRE(info.exit_code == 0);
        CHECK(info.out == "128x128\n");
        auto task = read_task(chain, *id);
        REQUIRE(task.has_value());
        CHECK(task->status == tq::TaskStatus::Completed);
        REQUIRE(task->provider.has_value());
        CHECK(*task->provider == account_of("//Bob"));
        auto bob = read_provider(chain, account_of("//Bob"));
        REQUIRE(bob.has_value());
        CHECK(bob->stats.completed == 1);
        CHECK(bob->stats.in_flight == 0);

        AND_WHEN("the node is stopped with SIGTERM") {
          auto code = node.process().terminate(20s);
          THEN("it stops its worker and exits cleanly") { CHECK(code == 0); }
        }
      }
    }
  }
}
