#pragma once
// Accounts, params, programs and shortcuts shared by the task_queue tests.

#include "tests/modules/support/mock_runtime.hpp"
#include "tests/runtime/wasm/wat.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::test::task_fixture {

using task_queue::TaskId;
using TQ = task_queue::Module;

inline const AccountId32 kAlice = account(1);    ///< requester, 1000 CC
inline const AccountId32 kBob = account(2);      ///< provider, 100 CC
inline const AccountId32 kCharlie = account(3);  ///< second provider, 100 CC
inline const AccountId32 kDave = account(4);     ///< poor: 1 CC
inline const AccountId32 kNobody = account(9);   ///< does not exist
inline const AccountId32 kTreasury = credits::treasury_account();
inline constexpr Balance kEd = credits::kExistentialDeposit;

/// Small bounds so that every limit is easy to reach.
inline task_queue::Params test_params() {
  task_queue::Params p;
  p.minimum_stake = cc(10);
  p.program_deposit_per_byte = 1'000'000;
  p.max_program_bytes = 4096;
  p.max_input_bytes = 64;
  p.max_output_bytes = 64;
  p.protocol_fee = 10'000;  // 1%
  p.acceptance_window = 5;
  p.claim_timeout = 3;
  p.unbonding_period = 4;
  p.slash_fraction = 100'000;  // 10%
  p.max_fuel = 1'000'000;
  return p;
}

inline MockGenesis genesis(task_queue::Params params = test_params()) {
  MockGenesis g;
  g.credits.balances = {{kAlice, cc(1000)}, {kBob, cc(100)}, {kCharlie, cc(100)}, {kDave, cc(1)}};
  g.task_queue.params = params;
  return g;
}

/// A valid program: exports memory and _start, imports proc_exit.
inline Bytes valid_program() {
  return wat_to_wasm(R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
    (memory (export "memory") 1)
    (func (export "_start"))))");
}

inline std::string tq_event(const task_queue::Event& e) { return event_string<TQ>(e); }
inline DispatchError tq_error(task_queue::Error e) { return module_error<TQ>(e); }
inline DispatchError credits_error(credits::Error e) { return module_error<credits::Module>(e); }

inline DispatchResult upload(MockRuntime& rt, const AccountId32& who, Bytes code) {
  return rt.dispatch<TQ>(signed_by(who), task_queue::UploadProgram{std::move(code)});
}

inline DispatchResult register_provider(MockRuntime& rt, const AccountId32& who, Balance stake, Balance price) {
  return rt.dispatch<TQ>(signed_by(who), task_queue::RegisterProvider{{stake}, {price}, {}, {}});
}

inline task_queue::PostTask post(const runtime::H256& program, Balance bounty, runtime::BlockNumber deadline_blocks,
                                 Bytes input = runtime::to_bytes("input"), uint64_t fuel = 1000) {
  return task_queue::PostTask{program, std::move(input), {fuel}, {bounty}, deadline_blocks};
}

inline task_queue::Task task(MockRuntime& rt, TaskId id) { return *task_queue::Tasks::get(rt.state(), id); }
inline task_queue::Provider provider(MockRuntime& rt, const AccountId32& who) {
  return *task_queue::Providers::get(rt.state(), who);
}

/// A runtime with Alice's program uploaded and Bob and Charlie registered (stake 20 CC, price 1 CC).
struct Market {
  MockRuntime rt{genesis()};
  Bytes code = valid_program();
  runtime::H256 program = runtime::crypto::blake2b_256(code);
  Market() {
    REQUIRE(upload(rt, kAlice, code));
    REQUIRE(register_provider(rt, kBob, cc(20), cc(1)));
    REQUIRE(register_provider(rt, kCharlie, cc(20), cc(1)));
  }
};

}  // namespace bazaar::test::task_fixture
