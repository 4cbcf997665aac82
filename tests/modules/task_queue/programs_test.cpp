// TaskQueue: upload_program, the genesis params and permill arithmetic.

#include "tests/modules/task_queue/fixture.hpp"

#include <limits>

using namespace bazaar::test;
using namespace bazaar::test::task_fixture;
using bazaar::runtime::crypto::blake2b_256;
namespace framework = bazaar::runtime::framework;

SCENARIO("upload_program stores a valid program content-addressed, with a deposit") {
  MockRuntime rt(genesis());
  const Bytes code = valid_program();
  const auto hash = blake2b_256(code);
  const Balance deposit = Balance{code.size()} * test_params().program_deposit_per_byte;
  WHEN("Alice uploads it") {
    REQUIRE(upload(rt, kAlice, code));
    THEN("code and record are stored, the deposit held, ProgramUploaded emitted") {
      CHECK(task_queue::ProgramCode::get(rt.state(), hash) == std::optional(code));
      auto program = task_queue::Programs::get(rt.state(), hash);
      REQUIRE(program);
      CHECK(program->owner == kAlice);
      CHECK(program->size == code.size());
      CHECK(program->deposit == deposit);
      CHECK(program->uploaded_at == 1);
      CHECK(credits::held(rt.state(), credits::HoldReason::ProgramDeposit, kAlice) == deposit);
      CHECK(rt.last_event<TQ>() ==
            tq_event(task_queue::ProgramUploaded{hash, kAlice, static_cast<uint32_t>(code.size()), deposit, 1}));
      check_invariants(rt.state());
    }
    AND_WHEN("Bob uploads the same code") {
      const ChangeSet before = rt.state().changes();
      REQUIRE(upload(rt, kBob, code));
      THEN("nothing happens: no second deposit, no event") {
        CHECK(rt.state().changes() == before);
        CHECK(credits::held(rt.state(), credits::HoldReason::ProgramDeposit, kBob) == 0);
        CHECK(task_queue::Programs::get(rt.state(), hash)->owner == kAlice);
      }
    }
  }
  WHEN("the uploader cannot afford the deposit") {
    THEN("the credits error, nothing stored") {
      auto params = test_params();
      params.program_deposit_per_byte = cc(1);
      MockRuntime pricey(genesis(params));
      assert_noop(
          pricey, [&] { return upload(pricey, kDave, code); }, credits_error(credits::Error::InsufficientBalance));
      assert_noop(
          pricey, [&] { return upload(pricey, kNobody, code); }, credits_error(credits::Error::InsufficientBalance));
    }
  }
  WHEN("the origin is not signed") {
    THEN("BadOrigin") {
      assert_noop(
          rt, [&] { return rt.dispatch<TQ>(Origin::root(), task_queue::UploadProgram{code}); },
          DispatchError::bad_origin());
    }
  }
  THEN("the call's weight grows with the code") {
    CHECK(task_queue::UploadProgram{Bytes(1000)}.weight().ref_time >
          task_queue::UploadProgram{Bytes(10)}.weight().ref_time);
  }
}

SCENARIO("upload_program rejects programs with a named error") {
  MockRuntime rt(genesis());
  auto rejects = [&](const Bytes& code, task_queue::Error e) {
    assert_noop(
        rt, [&] { return upload(rt, kAlice, code); }, tq_error(e));
  };
  WHEN("the bytes are not WebAssembly, or the module has a start section") {
    THEN("InvalidProgram") {
      rejects(bazaar::runtime::to_bytes("#!/bin/sh\necho hi\n"), task_queue::Error::InvalidProgram);
      rejects(wat_to_wasm(R"((module (memory (export "memory") 1)
                               (func $init) (start $init) (func (export "_start"))))"),
              task_queue::Error::InvalidProgram);
    }
  }
  WHEN("the module is larger than max_program_bytes") {
    THEN("ProgramTooLarge") {
      const std::string blob(5000, 'a');
      rejects(wat_to_wasm(R"((module (memory (export "memory") 1) (data (i32.const 0) ")" + blob +
                          R"(") (func (export "_start"))))"),
              task_queue::Error::ProgramTooLarge);
    }
  }
  WHEN("it imports a function outside the WASI subset") {
    THEN("ForbiddenImport") {
      rejects(wat_to_wasm(R"((module (import "env" "now" (func (result i64)))
                               (memory (export "memory") 1) (func (export "_start"))))"),
              task_queue::Error::ForbiddenImport);
    }
  }
  WHEN("it lacks _start or memory") {
    THEN("MissingExport") {
      rejects(wat_to_wasm(R"((module (memory (export "memory") 1)))"), task_queue::Error::MissingExport);
      rejects(wat_to_wasm(R"((module (func (export "_start"))))"), task_queue::Error::MissingExport);
    }
  }
  WHEN("its initial memory is above the limit") {
    THEN("ProgramLimitsExceeded") {
      rejects(wat_to_wasm(R"((module (memory (export "memory") 2000) (func (export "_start"))))"),
              task_queue::Error::ProgramLimitsExceeded);
    }
  }
}

SCENARIO("the params come from genesis and are validated") {
  GIVEN("genesis JSON with every field") {
    auto j = nlohmann::json::parse(R"({"params": {"minimumStake": "10000000000000", "programDepositPerByte": 1000000,
      "maxProgramBytes": 2097152, "maxInputBytes": 262144, "maxOutputBytes": 262144, "protocolFee": 10000,
      "acceptanceWindow": 10, "claimTimeout": 30, "unbondingPeriod": 20, "slashFraction": 100000,
      "maxFuel": 10000000000}})");
    task_queue::GenesisConfig config;
    THEN("it maps onto Params, and the defaults are the same values") {
      REQUIRE(framework::json::from_json(j, config, "taskQueue"));
      CHECK(config.params == task_queue::Params{});
      CHECK(config.params.max_input_bytes == 262144);
      MockRuntime rt(genesis(config.params));
      CHECK(task_queue::params(rt.state()) == config.params);
    }
    AND_WHEN("a field is missing") {
      j["params"].erase("maxFuel");
      THEN("the JSON mapping names it") {
        auto r = framework::json::from_json(j, config, "taskQueue");
        REQUIRE_FALSE(r);
        CHECK(r.error().find("maxFuel") != std::string::npos);
      }
    }
  }
  GIVEN("invalid params") {
    auto check = [](auto mutate, const std::string& message) {
      task_queue::GenesisConfig config{test_params()};
      mutate(config.params);
      auto r = TQ::validate_genesis(config);
      REQUIRE_FALSE(r);
      CHECK(r.error() == message);
    };
    THEN("each is rejected with the field named") {
      check([](auto& p) { p.protocol_fee = 1'000'001; }, "params.protocolFee: above 1000000 (100%)");
      check([](auto& p) { p.slash_fraction = 2'000'000; }, "params.slashFraction: above 1000000 (100%)");
      check([](auto& p) { p.acceptance_window = 0; }, "params.acceptanceWindow: must be at least 1 block");
      check([](auto& p) { p.claim_timeout = 0; }, "params.claimTimeout: must be at least 1 block");
      check([](auto& p) { p.max_fuel = 0; }, "params.maxFuel: must be at least 1");
      check([](auto& p) { p.max_input_bytes = 0; }, "params.maxInputBytes: must be at least 1");
      CHECK(TQ::validate_genesis({test_params()}));
    }
  }
}

SCENARIO("permill_of is an exact floor without overflow") {
  CHECK(task_queue::permill_of(cc(100), 10'000) == cc(1));
  CHECK(task_queue::permill_of(999'999, 1) == 0);
  CHECK(task_queue::permill_of(1'000'000, 1) == 1);
  CHECK(task_queue::permill_of(1'999'999, 500'000) == 999'999);
  CHECK(task_queue::permill_of(std::numeric_limits<Balance>::max(), 1'000'000) == std::numeric_limits<Balance>::max());
  CHECK(task_queue::permill_of(std::numeric_limits<Balance>::max(), 500'000) ==
        std::numeric_limits<Balance>::max() / 2);
  CHECK(task_queue::permill_of(cc(5), 0) == 0);
}
