// The demo path end to end: a dev node, the standalone bazaar-worker as //Bob,
// and the wallet as //Alice posting real jobs (resize a real image, count
// primes, word frequencies of the GPL) and following them to completion.

#include "runtime/primitives/units.hpp"
#include "tests/integration/market/market_env.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace bazaar;
using namespace bazaar::test::market;
namespace tq = modules::task_queue;
using namespace std::chrono_literals;

namespace {

const std::string kImage = "/usr/share/pixmaps/debian-logo.png";
const std::string kGpl = "/usr/share/common-licenses/GPL-3";

/// `bazaar --signer //Alice --json task post ... --wait --accept --output OUT`.
CommandResult post_and_wait(const WalletCli& wallet, const std::string& program, const std::string& input,
                            const std::string& bounty, const std::filesystem::path& output) {
  return wallet({"--signer", "//Alice", "--json", "task", "post", "--program", task_program(program).string(),
                 "--input", input, "--bounty", bounty, "--fuel", "4000000000", "--deadline", "60", "--wait",
                 "--accept", "--output", output.string(), "--timeout", "120"},
                150s);
}

}  // namespace

SCENARIO("a requester's jobs run on a standalone provider worker and are paid on chain", "[integration][market]") {
  GIVEN("a dev chain and bazaar-worker providing as //Bob with its own database") {
    TempDir dir;
    DevNode node;
    INFO("node log:\n" << tail(node.log()));
    REQUIRE(node.started());
    auto worker = start_worker(node.rpc_url(), "//Bob", dir / "worker-db", dir / "worker.log");
    auto& chain = node.chain();
    const auto alice = account_of("//Alice");
    const auto bob = account_of("//Bob");
    bool registered = eventually([&] { return read_provider(chain, bob).has_value(); }, 30s);
    INFO("worker log:\n" << tail(worker->log()));
    REQUIRE(registered);
    WalletCli wallet(node.rpc_url(), dir.path());

    auto before = best_block(chain);
    auto alice_before = free_balance(chain, alice, before.hash);
    auto bob_before = free_balance(chain, bob, before.hash);

    WHEN("//Alice posts the resize task with a real PNG, waits, accepts and writes the output") {
      auto out_png = dir / "resized.png";
      auto post = post_and_wait(wallet, "resize", kImage, "5", out_png);
      INFO("wallet stdout:\n" << tail(post.out) << "\nstderr:\n" << post.err << "\nworker log:\n" << tail(worker->log()));
      REQUIRE(post.exit_code == 0);
      auto id = posted_task_id(post);
      REQUIRE(id.has_value());

      THEN("the output decodes as a 128x128 image and the task is Completed with //Bob as provider") {
        auto info = run_command(binary("bazaar-image-info"), {out_png.string()}, dir.path());
        REQUIRE(info.exit_code == 0);
        CHECK(info.out == "128x128\n");

        auto status = wallet({"--json", "task", "status", std::to_string(*id)});
        REQUIRE(status.exit_code == 0);
        auto lines = json_lines(status.out);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]["status"] == "Completed");
        CHECK(lines[0]["provider"] == address_of("//Bob"));
        CHECK(lines[0]["result"]["status"] == "Ok");
        CHECK(lines[0]["result"]["outputSize"] == std::filesystem::file_size(out_png));

        AND_THEN("//Bob earned the bounty less the protocol fee and his own fees; //Alice paid") {
          auto after = best_block(chain);
          auto alice_after = free_balance(chain, alice, after.hash);
          auto bob_after = free_balance(chain, bob, after.hash);
          auto events = events_in(chain, before.number + 1, after.number);
          const runtime::Balance bounty = 5 * runtime::kUnitsPerCC;
          const runtime::Balance protocol_fee = bounty * market_params(chain).protocol_fee / 1'000'000;

          auto completed = select_events(events, "TaskQueue", "TaskCompleted", "taskId", *id);
          REQUIRE(completed.size() == 1);
          CHECK(json_u128(completed[0]["fields"]["payout"]) == bounty - protocol_fee);
          CHECK(json_u128(completed[0]["fields"]["protocolFee"]) == protocol_fee);
          CHECK(select_events(events, "TaskQueue", "TaskClaimed", "taskId", *id).size() == 1);
          CHECK(select_events(events, "TaskQueue", "ResultSubmitted", "taskId", *id).size() == 1);

          runtime::Balance bob_fees = fees_paid(events, address_of("//Bob"));
          CHECK(bob_fees > 0);  // claim_task and submit_result
          CHECK(bob_after == bob_before + (bounty - protocol_fee) - bob_fees);

          // //Alice authors every block of the dev chain, so she collects every fee, her own
          // included: she is down the bounty and the program deposit, up the others' fees.
          runtime::Balance deposits = 0;
          for (const auto& e : select_events(events, "TaskQueue", "ProgramUploaded"))
            deposits += json_u128(e["fields"]["deposit"]);
          CHECK(alice_after < alice_before);
          CHECK(alice_after == alice_before - bounty - deposits + fees_paid(events, address_of("//Alice"), true));

          AND_WHEN("//Alice counts the primes below 1000000") {
            auto input = dir / "primes.in";
            write_text(input, "1000000");
            auto out = dir / "primes.out";
            auto primes = post_and_wait(wallet, "primes", input.string(), "1", out);
            INFO("wallet stdout:\n" << tail(primes.out) << "\nstderr:\n" << primes.err);
            REQUIRE(primes.exit_code == 0);

            THEN("the output file says 78498") {
              CHECK(read_text(out) == "78498\n");

              AND_WHEN("//Alice asks for the word frequencies of the GPL-3") {
                auto words_out = dir / "wordfreq.out";
                auto words = post_and_wait(wallet, "wordfreq", kGpl, "1", words_out);
                INFO("wallet stdout:\n" << tail(words.out) << "\nstderr:\n" << words.err);
                REQUIRE(words.exit_code == 0);

                THEN("it completes with the 20 most frequent words, 'the' first") {
                  auto wid = posted_task_id(words);
                  REQUIRE(wid.has_value());
                  auto task = read_task(chain, *wid);
                  REQUIRE(task.has_value());
                  CHECK(task->status == tq::TaskStatus::Completed);
                  auto text = read_text(words_out);
                  CHECK(std::count(text.begin(), text.end(), '\n') == 20);
                  CHECK(std::regex_search(text, std::regex(R"(^\d+ the\n)")));
                  CHECK(std::regex_search(text, std::regex(R"(^(\d+ [a-z]+\n){20}$)")));
                }
              }
            }
          }
        }
      }
    }
  }
}
