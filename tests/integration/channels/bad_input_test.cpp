// Bad input against the real direct endpoint of bazaar-worker (issue 5): a
// state with a wrong channel id, a version that goes backwards, balances that
// do not sum, a forged signature, an underpaying proposal — each is refused
// with a clear JSON-RPC error and nothing is signed: the provider's latest
// state stays where it was, and the next correct proposal is accepted.

#include "node/offchain/channels/direct_service.hpp"
#include "node/offchain/channels/protocol.hpp"
#include "rpc/client/rpc_client.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "tests/integration/channels/channel_env.hpp"
#include "tools/bench/echo_program.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::channels;
using namespace std::chrono_literals;
using market::tail;
namespace ch = node::offchain::channels;

SCENARIO("the direct endpoint refuses bad proposals and signs nothing", "[integration][channels]") {
  GIVEN("a channel //Alice -> //Bob with 3 co-signed updates and a client on Bob's direct endpoint") {
    ChannelWorld world;
    INFO("node log:\n" << tail(world.node().log()));
    REQUIRE(world.node().started());
    REQUIRE(world.provider_ready());
    auto id = world.open_and_fund("1", "1", 4);
    REQUIRE(world.run_tasks(id, 3).exit_code == 0);
    const auto latest = world.stored(id).latest;
    REQUIRE(latest.has_value());
    REQUIRE(latest->state.version == 3);
    auto genesis = world.chain().genesis_hash().value();
    auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
    auto charlie = runtime::crypto::keypair_from_suri("//Charlie").value();
    auto client = rpc::RpcClient::connect(world.endpoint());
    REQUIRE(client.has_value());

    ch::DirectTask task;
    task.code = tools::bench::echo_program();
    task.program = runtime::crypto::blake2b_256(*task.code);
    task.input = {'h', 'i'};
    task.fuel = 100'000;
    // The next correct update: version 4, one price from Alice (A) to Bob (B).
    auto next = latest->state;
    next.version = 4;
    next.balance_a -= ChannelWorld::kPriceUnits;
    next.balance_b += ChannelWorld::kPriceUnits;

    auto submit = [&](const pc::ChannelState& s, const runtime::crypto::Keypair& signer, rpc::RpcCallError* error) {
      auto sig = pc::sign_state(signer, genesis, s);
      return client.value().call("direct_submitTask",
                                 {ch::task_to_json(task), ch::state_to_json(s), runtime::to_hex(sig)}, error);
    };
    auto provider_version = [&] {
      auto snap = client.value().call("direct_getChannel", {runtime::to_hex(id)});
      REQUIRE(snap.has_value());
      return snap.value()["latest"]["state"]["version"].get<uint64_t>();
    };
    auto expect_refusal = [&](const pc::ChannelState& s, const runtime::crypto::Keypair& signer, ch::ChannelError e,
                              const std::string& words) {
      rpc::RpcCallError error;
      auto r = submit(s, signer, &error);
      INFO("answer: " << (r ? r.value().dump() : error.to_string()));
      REQUIRE(!r.has_value());
      CHECK(error.code == ch::kRefusalCodeBase + static_cast<int>(e));
      CHECK(error.message == ch::to_string(e));
      CHECK(error.data.dump().find(words) != std::string::npos);
      CHECK(provider_version() == 3);
    };

    // (One section: each WHEN of Catch2 would start a new chain.)
    WHEN("a wrong channel id, a backward version, unbalanced balances, a forged signature, an underpayment and "
         "malformed parameters are sent") {
      THEN("each is refused with its error and the provider stays at version 3") {
        auto s = next;
        s.channel_id = pc::channel_id(alice.account_id(), charlie.account_id(), 7);
        expect_refusal(s, alice, ch::ChannelError::UnknownChannel, runtime::to_hex(s.channel_id));
        s = next;
        s.version = 2;
        expect_refusal(s, alice, ch::ChannelError::VersionNotNext, "expected 4");
        s = next;
        s.balance_b += 1;
        expect_refusal(s, alice, ch::ChannelError::BalanceMismatch, "!=");
        expect_refusal(next, charlie, ch::ChannelError::BadRequesterSignature, "not signed by");
        s = next;
        s.balance_a += 1;
        s.balance_b -= 1;
        expect_refusal(s, alice, ch::ChannelError::Underpaid, "the price is");
        rpc::RpcCallError error;
        auto r = client.value().call("direct_submitTask", {"not a task", 1, 2}, &error);
        REQUIRE(!r.has_value());
        CHECK(error.code == -32602);
        CHECK(provider_version() == 3);

        AND_WHEN("the correct update is proposed after all that") {
          auto ok_answer = submit(next, alice, nullptr);
          THEN("it is accepted with the echo output and Bob's signature over version 4") {
            REQUIRE(ok_answer.has_value());
            auto reply = ch::reply_from_json(ok_answer.value());
            REQUIRE(reply.has_value());
            auto& ok = std::get<ch::TaskReply>(*reply);
            CHECK(ok.output == task.input);
            CHECK(pc::verify_state(ok.provider_sig, genesis, next, market::account_of("//Bob")));
            CHECK(provider_version() == 4);
          }
        }
      }
    }
  }
}
