// The direct task protocol end to end in one process: a provider's
// DirectService behind a real DirectServer on loopback, a ChannelRequester
// with its own LevelDB store, and a fake chain (ChainView).
#include "node/offchain/channels/direct_service.hpp"
#include "node/offchain/channels/requester.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "tests/runtime/wasm/wat.hpp"
#include "tools/bench/echo_program.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace bazaar;
using namespace bazaar::node::offchain::channels;
using runtime::Balance;
using runtime::H256;

namespace {

runtime::crypto::Keypair key(const std::string& suri) { return runtime::crypto::keypair_from_suri(suri).value(); }

struct TempPath {
  std::filesystem::path path;
  TempPath() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() / ("bazaar-channels-test-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempPath() { std::filesystem::remove_all(path); }
};

class FakeChain final : public ChainView {
 public:
  std::map<pc::ChannelId, OnChainChannel> channels;
  std::map<H256, runtime::Bytes> programs;
  std::optional<OnChainChannel> channel(const pc::ChannelId& id) override {
    auto it = channels.find(id);
    if (it == channels.end()) return std::nullopt;
    return it->second;
  }
  std::optional<runtime::Bytes> program(const H256& hash) override {
    auto it = programs.find(hash);
    if (it == programs.end()) return std::nullopt;
    return it->second;
  }
};

constexpr Balance kPrice = 10;
constexpr Balance kDepositA = 1'000'000;
constexpr Balance kDepositB = 500;

/// Alice (requester, party A) and Bob (provider, party B) with a channel on the fake chain.
struct World {
  TempPath provider_dir, requester_dir;
  FakeChain chain;
  H256 genesis = runtime::crypto::blake2b_256(runtime::Bytes{1, 2, 3});
  runtime::crypto::Keypair alice = key("//Alice"), bob = key("//Bob"), charlie = key("//Charlie");
  pc::ChannelId id = pc::channel_id(alice.account_id(), bob.account_id(), 0);
  runtime::Bytes echo = tools::bench::echo_program();
  H256 echo_hash = runtime::crypto::blake2b_256(echo);
  std::unique_ptr<ChannelStore> provider_store, requester_store;
  std::unique_ptr<DirectService> service;
  std::unique_ptr<DirectServer> server;

  World() {
    chain.channels[id] = OnChainChannel{alice.account_id(), bob.account_id(), kDepositA, kDepositB, true, {}};
    chain.programs[echo_hash] = echo;
    start_provider();
    requester_store = ChannelStore::open(requester_dir.path).value();
  }
  void start_provider() {
    server.reset();
    service.reset();
    provider_store.reset();
    provider_store = ChannelStore::open(provider_dir.path).value();
    DirectServiceOptions options;
    options.price = kPrice;
    options.max_fuel = 100'000'000;
    service = std::make_unique<DirectService>(options, bob, genesis, *provider_store, chain);
    server = DirectServer::start(*service, "127.0.0.1", 0).value();
  }
  RequesterChannel channel() const {
    ChannelMeta meta{id, genesis, alice.account_id(), bob.account_id(), Role::Requester,
                     "ws://127.0.0.1:" + std::to_string(server->port()), LocalStatus::Open};
    return RequesterChannel{meta, opening_state(id, kDepositA, kDepositB), kPrice};
  }
  std::unique_ptr<ChannelRequester> requester(RequesterOptions options = {}) {
    return ChannelRequester::open(*requester_store, alice, channel(), options).value();
  }
  DirectTask task(const std::string& input) const {
    return DirectTask{echo_hash, runtime::Bytes(input.begin(), input.end()), 1'000'000, std::nullopt};
  }
  /// A proposal over the provider's latest state, signed by `signer`.
  SubmitRequest proposal(const pc::ChannelState& base, const runtime::crypto::Keypair& signer, Balance pay = kPrice) {
    pc::ChannelState s = base;
    s.version += 1;
    s.balance_a -= pay;
    s.balance_b += pay;
    return SubmitRequest{task("x"), s, pc::sign_state(signer, genesis, s)};
  }
  std::optional<SignedState> provider_latest() { return provider_store->load(id)->latest; }
};

std::vector<DirectTask> echo_tasks(const World& w, std::size_t n) {
  std::vector<DirectTask> tasks;
  for (std::size_t i = 0; i < n; ++i) tasks.push_back(w.task("task " + std::to_string(i)));
  return tasks;
}

}  // namespace

SCENARIO("a requester runs pipelined tasks over a channel and closes on the provider's final signature") {
  GIVEN("a channel between Alice (requester) and Bob (provider, price 10)") {
    World w;
    auto r = w.requester(RequesterOptions{64, 2});
    WHEN("Alice runs 300 echo tasks in batches of 64") {
      std::size_t seen = 0;
      auto out = r->run(echo_tasks(w, 300), [&](const TaskOutcome&) { ++seen; });
      REQUIRE(out);
      THEN("every task ran, in order, each paid by its own version, and both sides hold version 300") {
        REQUIRE(out.value().size() == 300);
        CHECK(seen == 300);
        for (std::size_t i = 0; i < 300; ++i) {
          const auto& o = out.value()[i];
          CHECK(o.ok);
          CHECK(o.version == i + 1);
          CHECK(std::string(o.output.begin(), o.output.end()) == "task " + std::to_string(i));
        }
        auto theirs = w.provider_latest();
        REQUIRE(theirs);
        CHECK(theirs->state == r->latest()->state);
        CHECK(theirs->state.version == 300);
        CHECK(theirs->state.balance_a == kDepositA - 300 * kPrice);
        CHECK(theirs->state.balance_b == kDepositB + 300 * kPrice);
        CHECK(pc::verify_state(theirs->sig_a, w.genesis, theirs->state, w.alice.account_id()));
        CHECK(pc::verify_state(theirs->sig_b, w.genesis, theirs->state, w.bob.account_id()));
      }
      AND_WHEN("Alice closes cooperatively") {
        auto final_state = r->close_cooperatively();
        REQUIRE(final_state);
        const auto& f = final_state.value();
        THEN("the final state keeps the balances, both close signatures verify and every result is provable") {
          CHECK(f.state.version == 301);
          CHECK(f.state.balance_b == kDepositB + 300 * kPrice);
          CHECK(pc::verify_close(f.sig_a, w.genesis, f.state, w.alice.account_id()));
          CHECK(pc::verify_close(f.sig_b, w.genesis, f.state, w.bob.account_id()));
          std::vector<H256> leaves;
          for (const auto& e : r->leaves()) leaves.push_back(pc::task_leaf(e));
          REQUIRE(leaves.size() == 300);
          for (std::size_t i = 0; i < leaves.size(); i += 37) {
            auto proof = pc::merkle_proof(leaves, i);
            REQUIRE(proof);
            CHECK(pc::verify_merkle_proof(f.state.tasks_root, leaves[i], i, leaves.size(), proof.value()));
            CHECK(r->leaves()[i].result_hash == out.value()[i].result_hash);
          }
        }
        THEN("the provider takes no more tasks") {
          auto more = r->run(echo_tasks(w, 1));
          CHECK_FALSE(more);
          auto refused = w.service->submit({w.proposal(w.provider_latest()->state, w.alice)});
          REQUIRE(std::holds_alternative<Refusal>(refused.front()));
          CHECK(std::get<Refusal>(refused.front()).error == ChannelError::ChannelNotOpen);
        }
      }
    }
  }
}

SCENARIO("bad proposals are refused with a clear error and nothing is signed or stored") {
  GIVEN("a channel with 5 co-signed updates") {
    World w;
    REQUIRE(w.requester()->run(echo_tasks(w, 5)));
    auto base = w.provider_latest()->state;
    auto refused = [&](SubmitRequest req) {
      auto out = w.service->submit({std::move(req)});
      REQUIRE(out.size() == 1);
      REQUIRE(std::holds_alternative<Refusal>(out.front()));
      CHECK(w.provider_latest()->state == base);  // nothing stored
      return std::get<Refusal>(out.front());
    };
    WHEN("the state names an unknown channel") {
      auto req = w.proposal(base, w.alice);
      req.proposed.channel_id = pc::channel_id(w.alice.account_id(), w.bob.account_id(), 9);
      req.requester_sig = pc::sign_state(w.alice, w.genesis, req.proposed);
      THEN("UnknownChannel") { CHECK(refused(req).error == ChannelError::UnknownChannel); }
    }
    WHEN("a batch mixes another channel's state in") {
      auto first = w.proposal(base, w.alice);
      auto second = w.proposal(first.proposed, w.alice);
      second.proposed.channel_id = pc::channel_id(w.bob.account_id(), w.alice.account_id(), 0);
      auto out = w.service->submit({first, second});
      THEN("the foreign one is refused with WrongChannelId") {
        REQUIRE(std::holds_alternative<TaskReply>(out[0]));
        REQUIRE(std::holds_alternative<Refusal>(out[1]));
        CHECK(std::get<Refusal>(out[1]).error == ChannelError::WrongChannelId);
      }
    }
    WHEN("the version goes backwards") {
      auto req = w.proposal(base, w.alice);
      req.proposed.version = base.version - 1;
      req.requester_sig = pc::sign_state(w.alice, w.genesis, req.proposed);
      auto r = refused(req);
      THEN("VersionNotNext, naming the expected version") {
        CHECK(r.error == ChannelError::VersionNotNext);
        CHECK_THAT(r.reason, Catch::Contains("expected 6"));
      }
    }
    WHEN("the balances do not sum to the deposits") {
      auto req = w.proposal(base, w.alice);
      req.proposed.balance_b += 1;
      req.requester_sig = pc::sign_state(w.alice, w.genesis, req.proposed);
      THEN("BalanceMismatch") { CHECK(refused(req).error == ChannelError::BalanceMismatch); }
    }
    WHEN("the signature is forged (Charlie signs Alice's update)") {
      THEN("BadRequesterSignature") {
        CHECK(refused(w.proposal(base, key("//Charlie"))).error == ChannelError::BadRequesterSignature);
      }
    }
    WHEN("the proposal pays less than the price") {
      THEN("Underpaid") { CHECK(refused(w.proposal(base, w.alice, kPrice - 1)).error == ChannelError::Underpaid); }
    }
    WHEN("the proposal pays the requester") {
      auto req = w.proposal(base, w.alice, 0);
      req.proposed.balance_a += 5;
      req.proposed.balance_b -= 5;
      req.requester_sig = pc::sign_state(w.alice, w.genesis, req.proposed);
      THEN("WrongDirection") { CHECK(refused(req).error == ChannelError::WrongDirection); }
    }
    WHEN("the tasks root is not a prefix of the task log") {
      auto req = w.proposal(base, w.alice);
      req.proposed.tasks_root = runtime::crypto::blake2b_256(runtime::Bytes{9});
      req.requester_sig = pc::sign_state(w.alice, w.genesis, req.proposed);
      THEN("UnknownTasksRoot") { CHECK(refused(req).error == ChannelError::UnknownTasksRoot); }
    }
  }
}

SCENARIO("a failed run is answered with its reason and no payment; the tasks after it are proposed again") {
  GIVEN("a trapping program among echo tasks") {
    World w;
    auto trap = test::wat_to_wasm(R"((module (memory (export "memory") 1) (func (export "_start") unreachable)))");
    auto tasks = echo_tasks(w, 40);
    tasks[17] = DirectTask{runtime::crypto::blake2b_256(trap), {}, 1'000'000, trap};
    WHEN("they run in batches of 8") {
      auto out = w.requester(RequesterOptions{8, 2})->run(tasks);
      REQUIRE(out);
      THEN("task 17 failed with the trap, the other 39 were paid, one version each") {
        CHECK_FALSE(out.value()[17].ok);
        CHECK_THAT(out.value()[17].error, Catch::Contains("Trapped"));
        std::size_t ok = 0;
        for (const auto& o : out.value()) ok += o.ok ? 1 : 0;
        CHECK(ok == 39);
        auto theirs = w.provider_latest();
        CHECK(theirs->state.version == 39);
        CHECK(theirs->state.balance_b == kDepositB + 39 * kPrice);
      }
    }
  }
}

SCENARIO("both sides keep the latest co-signed state across restarts") {
  GIVEN("50 tasks run") {
    World w;
    REQUIRE(w.requester()->run(echo_tasks(w, 50)));
    WHEN("the provider restarts (a new service on the same store)") {
      w.start_provider();
      auto out = w.requester()->run(echo_tasks(w, 10));
      THEN("the requester continues at version 51") {
        REQUIRE(out);
        CHECK(out.value().front().version == 51);
        CHECK(w.provider_latest()->state.version == 60);
      }
    }
    WHEN("the requester loses its store and syncs from the provider") {
      w.requester_store.reset();
      std::filesystem::remove_all(w.requester_dir.path);
      w.requester_store = ChannelStore::open(w.requester_dir.path).value();
      auto r = w.requester();
      REQUIRE(r->sync());
      THEN("it adopts version 50 with the whole task log and can close on it") {
        REQUIRE(r->latest());
        CHECK(r->latest()->state.version == 50);
        CHECK(r->leaves().size() == 50);
        auto f = r->close_cooperatively();
        REQUIRE(f);
        CHECK(f.value().state.version == 51);
      }
    }
  }
}

SCENARIO("a requester that lost the provider's answers in a crash adopts the newer state first") {
  GIVEN("10 tasks run, then Alice's proposal of version 11 stored, sent, counter-signed and the answer lost") {
    World w;
    RequesterOptions small;  // batches of 2, one in flight: version 10's root covers 8 tasks
    small.batch_size = 2;
    small.max_batches_in_flight = 1;
    REQUIRE(w.requester(small)->run(echo_tasks(w, 10)));
    auto base = w.provider_latest()->state;
    auto lost = w.proposal(base, w.alice);
    REQUIRE(w.requester_store->commit(
        {ChannelUpdate{w.id, std::nullopt, std::nullopt, 0, {}, SignedProposal{lost.proposed, lost.requester_sig}}}));
    REQUIRE(std::holds_alternative<TaskReply>(w.service->submit({lost}).front()));
    auto r = w.requester();
    THEN("after a restart the stored proposal is newer than the last co-signed state") {
      CHECK(r->has_unconfirmed_proposal());
      CHECK(r->current_state().version == 10);
    }
    WHEN("it syncs with the provider") {
      REQUIRE(r->sync());
      THEN("it holds version 11 with its task (a root that is a prefix of its own log is accepted)") {
        CHECK(!r->has_unconfirmed_proposal());
        CHECK(r->latest()->state == lost.proposed);
        CHECK(r->leaves().size() == 11);
      }
    }
    WHEN("it runs more tasks") {
      auto out = r->run(echo_tasks(w, 3));
      THEN("the run syncs first and continues at version 12") {
        REQUIRE(out);
        CHECK(out.value().front().version == 12);
        CHECK(w.provider_latest()->state.version == 14);
      }
    }
  }
}

SCENARIO("top-ups made after the last co-signed state are counted for whoever made them") {
  GIVEN("deposits A 1,000,000 and B 500, then a top-up of 300 by A") {
    const std::vector<pc::DepositRecord> deposits{
        {pc::Party::A, kDepositA, 1}, {pc::Party::B, kDepositB, 2}, {pc::Party::A, 300, 3}};
    pc::ChannelState before_top_up{pc::ChannelId{}, 7, kDepositA - 70, kDepositB + 70, H256{}};
    THEN("a state signed before the top-up gets it added to A's side; a state after it is unchanged") {
      auto rebased = rebase_on_deposits(before_top_up, deposits);
      REQUIRE(rebased);
      CHECK(rebased->balance_a == kDepositA - 70 + 300);
      CHECK(rebased->balance_b == kDepositB + 70);
      CHECK(rebase_on_deposits(*rebased, deposits) == rebased);
      auto odd = before_top_up;
      odd.balance_b += 1;
      CHECK(!rebase_on_deposits(odd, deposits));
      pc::ChannelState after_opening{pc::ChannelId{}, 1, kDepositA - 10, 10, H256{}};  // before B funded
      CHECK(rebase_on_deposits(after_opening, deposits)->balance_b == 10 + kDepositB);
    }
    AND_GIVEN("a channel with 5 tasks paid when A tops up on chain") {
      World w;
      REQUIRE(w.requester()->run(echo_tasks(w, 5)));
      auto& record = w.chain.channels[w.id];
      record.deposit_a += 300;
      record.deposits = deposits;
      WHEN("Alice knows the deposits and runs 3 more tasks") {
        auto r = w.requester();
        r->set_deposits(deposits);
        auto out = r->run(echo_tasks(w, 3));
        THEN("the provider accepts states over the new total, with the top-up on Alice's side") {
          REQUIRE(out);
          auto latest = w.provider_latest()->state;
          CHECK(latest.version == 8);
          CHECK(latest.balance_a == kDepositA + 300 - 8 * kPrice);
          CHECK(latest.balance_b == kDepositB + 8 * kPrice);
          auto f = r->close_cooperatively();
          REQUIRE(f);
          CHECK(f.value().state.balance_a + f.value().state.balance_b == kDepositA + kDepositB + 300);
        }
      }
      WHEN("Alice does not know of the top-up") {
        auto out = w.requester()->run(echo_tasks(w, 3));
        THEN("her states keep the old total, which the provider and the chain still accept") {
          REQUIRE(out);
          CHECK(w.provider_latest()->state.balance_a == kDepositA - 8 * kPrice);
        }
      }
    }
  }
}

SCENARIO("one signature check covers a batch of cumulative proposals; a bad one is never counter-signed") {
  GIVEN("five chained proposals of Alice, each paying the price") {
    World w;
    auto trap = test::wat_to_wasm(R"((module (memory (export "memory") 1) (func (export "_start") unreachable)))");
    std::vector<SubmitRequest> batch;
    auto prev = opening_state(w.id, kDepositA, kDepositB);
    for (int i = 0; i < 5; ++i) {
      batch.push_back(w.proposal(prev, w.alice));
      prev = batch.back().proposed;
    }
    auto forge = [&](std::size_t k) { batch[k].requester_sig = pc::sign_state(w.charlie, w.genesis, batch[k].proposed); };
    auto refusal = [](const SubmitOutcome& o) { return std::get<Refusal>(o).error; };
    WHEN("the last one is forged") {
      forge(4);
      auto out = w.service->submit(batch);
      THEN("the first four are counter-signed and the fifth is refused") {
        for (int k = 0; k < 4; ++k) CHECK(std::holds_alternative<TaskReply>(out[k]));
        CHECK(refusal(out[4]) == ChannelError::BadRequesterSignature);
        CHECK(w.provider_latest()->state.version == 4);
      }
    }
    WHEN("only the third one is forged") {
      forge(2);
      auto out = w.service->submit(batch);
      THEN("all five are counter-signed: Alice's signature on the fifth pays for all of them") {
        for (const auto& o : out) CHECK(std::holds_alternative<TaskReply>(o));
        CHECK(w.provider_latest()->state.version == 5);
        CHECK(pc::verify_state(w.provider_latest()->sig_a, w.genesis, w.provider_latest()->state,
                               w.alice.account_id()));
      }
    }
    WHEN("the third one is forged and the fourth task traps") {
      forge(2);
      batch[3].task = DirectTask{runtime::crypto::blake2b_256(trap), {}, 1'000'000, trap};
      auto out = w.service->submit(batch);
      THEN("the run stops at a state with a valid signature: two kept, the third refused, the rest void") {
        CHECK(std::holds_alternative<TaskReply>(out[0]));
        CHECK(std::holds_alternative<TaskReply>(out[1]));
        CHECK(refusal(out[2]) == ChannelError::BadRequesterSignature);
        CHECK(refusal(out[3]) == ChannelError::VersionNotNext);
        CHECK(refusal(out[4]) == ChannelError::VersionNotNext);
        CHECK(w.provider_latest()->state.version == 2);
        CHECK(pc::verify_state(w.provider_latest()->sig_a, w.genesis, w.provider_latest()->state,
                               w.alice.account_id()));
      }
    }
  }
}
