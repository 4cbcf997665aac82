// 1,000 tasks over one payment channel (issue 5): the chain sees exactly
// open_channel, fund_channel and cooperative_close; the payouts move exactly
// the sum of the task prices; every task's result hash is provable against
// the final tasks_root that the cooperative close put on chain.

#include "runtime/crypto/hash.hpp"
#include "tests/integration/channels/channel_env.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::channels;
using namespace std::chrono_literals;
using market::account_of;
using market::address_of;
using market::tail;

SCENARIO("1,000 tasks over one channel settle in three on-chain transactions", "[integration][channels]") {
  GIVEN("a dev chain and bazaar-worker as //Bob serving direct tasks at 0.001 CC each") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto& chain = world.chain();
    const auto alice = account_of("//Alice"), bob = account_of("//Bob");
    const auto start = market::best_block(chain);
    const auto alice_before = market::free_balance(chain, alice, start.hash);
    const auto bob_before = market::free_balance(chain, bob, start.hash);

    WHEN("//Alice opens a channel with 2 CC, //Bob funds 1 CC, Alice runs 1,000 echo tasks and closes") {
      auto id = world.open_and_fund("2", "1", 5);
      auto run = world.run_tasks(id, 1000);
      INFO("task run stderr:\n" << run.err << "\nstdout tail:\n" << tail(run.out));
      INFO("worker log:\n" << tail(world.worker()->log()));
      REQUIRE(run.exit_code == 0);
      auto close = world.alice({"channel", "close", runtime::to_hex(id)});
      INFO("close stdout:\n" << close.out << "\nstderr:\n" << close.err);
      REQUIRE(close.exit_code == 0);
      auto closed = line_with(close, "closed");
      REQUIRE(closed.value("closed", "") == "cooperatively");
      const auto end = market::best_block(chain);

      THEN("the chain saw exactly open_channel, fund_channel and cooperative_close") {
        auto xts = channel_extrinsics(chain, start.number + 1, end.number);
        std::vector<uint8_t> calls;
        for (const auto& x : xts) calls.push_back(x.call_index);
        REQUIRE(calls == std::vector<uint8_t>{pc::OpenChannel::kIndex, pc::FundChannel::kIndex,
                                              pc::CooperativeClose::kIndex});

        AND_THEN("the payouts move exactly 1,000 task prices from Alice to Bob, fees apart") {
          const runtime::Balance paid = 1000 * ChannelWorld::kPriceUnits;
          REQUIRE(market::json_u128(closed["payoutA"]) == 2'000'000'000'000 - paid);
          REQUIRE(market::json_u128(closed["payoutB"]) == 1'000'000'000'000 + paid);
          auto events = market::events_in(chain, start.number + 1, end.number);
          // //Alice authors every dev block, so she pays her own fees to herself and collects the others'.
          auto others_fees = market::fees_paid(events, address_of("//Alice"), true);
          auto bob_fees = market::fees_paid(events, address_of("//Bob"));
          REQUIRE(bob_fees > 0);
          REQUIRE(market::free_balance(chain, alice, end.hash) == alice_before - paid + others_fees);
          REQUIRE(market::free_balance(chain, bob, end.hash) == bob_before + paid - bob_fees);
          REQUIRE(!world.chain().read<pc::Channels>(id).value().has_value());
        }
        AND_THEN("each task's result hash is provable against the closing state's tasks_root") {
          auto args = runtime::codec::decode<pc::CooperativeClose>(xts.back().args);
          REQUIRE(args.has_value());
          const auto& final_state = args.value().state;
          REQUIRE(final_state.channel_id == id);
          REQUIRE(final_state.version == 1001);

          std::vector<pc::TaskEntry> entries;
          for (const auto& j : market::json_lines(run.out)) {
            if (!j.contains("taskId")) continue;
            REQUIRE(j["ok"] == true);
            auto output = runtime::from_hex(j["output"].get<std::string>());
            REQUIRE(output.has_value());
            auto result_hash = runtime::crypto::blake2b_256(*output);
            REQUIRE(runtime::to_hex(result_hash) == j["resultHash"].get<std::string>());
            entries.push_back(pc::TaskEntry{*runtime::fixed_from_hex<runtime::H256>(j["taskId"].get<std::string>()),
                                            result_hash, ChannelWorld::kPriceUnits});
          }
          REQUIRE(entries.size() == 1000);
          std::vector<runtime::H256> leaves;
          for (const auto& e : entries) leaves.push_back(pc::task_leaf(e));
          REQUIRE(pc::tasks_root(leaves) == final_state.tasks_root);
          for (uint64_t i : {0ull, 1ull, 499ull, 998ull, 999ull}) {
            auto proof = pc::merkle_proof(leaves, i);
            REQUIRE(proof.has_value());
            CHECK(pc::verify_merkle_proof(final_state.tasks_root, leaves[i], i, leaves.size(), proof.value()));
          }
          // Every proof, against the root the chain saw.
          std::size_t proven = 0;
          for (uint64_t i = 0; i < leaves.size(); ++i)
            proven += pc::verify_merkle_proof(final_state.tasks_root, leaves[i], i, leaves.size(),
                                              pc::merkle_proof(leaves, i).value())
                          ? 1
                          : 0;
          REQUIRE(proven == 1000);
          // The outputs are the inputs (the echo program).
          auto first = market::json_lines(run.out).front();
          REQUIRE(runtime::from_hex(first["output"].get<std::string>()).value() ==
                  runtime::Bytes{'t', 'a', 's', 'k', '-', '0'});
          auto stored = world.stored(id);
          REQUIRE(stored.leaves == entries);
        }
      }
    }
  }
}
