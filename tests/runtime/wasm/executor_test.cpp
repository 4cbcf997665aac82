#include "runtime/wasm/executor.hpp"

#include "tests/runtime/wasm/wat.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace bazaar::runtime;
using namespace bazaar::runtime::wasm;
using bazaar::test::wat_to_wasm;

namespace {

// Imports shared by the small hand-written programs below.
const std::string kImports = R"(
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  ;; write(fd, ptr, len) through an iovec at address 0
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
)";

Bytes program(const std::string& body, const std::string& memory = R"((memory (export "memory") 1))") {
  return wat_to_wasm("(module " + kImports + memory + body + ")");
}

ExecutionOutcome run(const Bytes& code, const std::string& input = "", ExecutionLimits limits = {}) {
  auto outcome = execute(code, to_bytes(input), limits);
  REQUIRE(outcome);
  return std::move(outcome.value());
}

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

const char* kHello = R"(
  (data (i32.const 64) "hi\n")
  (func (export "_start") (call $write (i32.const 1) (i32.const 64) (i32.const 3))))";

const char* kEcho = R"(
  (func (export "_start")
    (loop $again
      (i32.store (i32.const 16) (i32.const 1024))
      (i32.store (i32.const 20) (i32.const 7))
      (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
      (if (i32.eqz (i32.load (i32.const 24))) (then (return)))
      (call $write (i32.const 1) (i32.const 1024) (i32.load (i32.const 24)))
      (br $again))))";

const char* kSpin = R"((func (export "_start") (loop (br 0))))";

}  // namespace

SCENARIO("a program that returns from _start ends Ok with its output") {
  WHEN("it writes to stdout") {
    auto out = run(program(kHello));
    THEN("the output is captured, the exit code is 0 and fuel was used") {
      CHECK(out.status == ExitStatus::Ok);
      CHECK(out.exit_code == 0);
      CHECK(text(out.output) == "hi\n");
      CHECK(out.stderr_output.empty());
      CHECK(out.fuel_used > 0);
      CHECK(out.trap_message.empty());
    }
  }
  WHEN("it copies stdin to stdout in 7-byte reads") {
    std::string input(1000, 'x');
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<char>('a' + i % 26);
    auto out = run(program(kEcho), input);
    THEN("stdout equals stdin") {
      CHECK(out.status == ExitStatus::Ok);
      CHECK(text(out.output) == input);
    }
  }
}

SCENARIO("fuel is the exact number of instructions executed") {
  Bytes code = program(kHello);
  const uint64_t needed = run(code).fuel_used;
  WHEN("the fuel is exactly what the program needs") {
    ExecutionLimits limits;
    limits.fuel = needed;
    auto out = run(code, "", limits);
    THEN("it completes") {
      CHECK(out.status == ExitStatus::Ok);
      CHECK(out.fuel_used == needed);
    }
  }
  WHEN("the fuel is one instruction short") {
    ExecutionLimits limits;
    limits.fuel = needed - 1;
    auto out = run(code, "", limits);
    THEN("it runs out of fuel") {
      CHECK(out.status == ExitStatus::OutOfFuel);
      CHECK(out.fuel_used == needed - 1);
    }
  }
  WHEN("an infinite loop runs with 2.5 million instructions of fuel") {
    ExecutionLimits limits;
    limits.fuel = 2'500'000;
    auto out = run(program(kSpin), "", limits);
    THEN("it ends OutOfFuel having used all of it") {
      CHECK(out.status == ExitStatus::OutOfFuel);
      CHECK(out.fuel_used == 2'500'000);
      CHECK(out.exit_code == -1);
    }
  }
}

SCENARIO("traps and exits") {
  WHEN("the program executes unreachable") {
    auto out = run(program(R"((func (export "_start") unreachable))"));
    THEN("it is Trapped with WABT's message") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK_THAT(out.trap_message, Catch::Contains("unreachable"));
      CHECK(out.exit_code == -1);
    }
  }
  WHEN("the program recurses without end") {
    auto out = run(program(R"((func $f (call $f)) (func (export "_start") (call $f)))"));
    THEN("it is Trapped when the call stack is full") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK_THAT(out.trap_message, Catch::Contains("call stack exhausted"));
    }
  }
  WHEN("the program recurses through a function with 20000 locals") {
    std::string locals;
    for (int i = 0; i < 20000; ++i) locals += " i64";
    auto out = run(program("(func $f (local" + locals + ") (call $f)) (func (export \"_start\") (call $f))"));
    THEN("it is Trapped on the value stack bound long before the host runs out of memory") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK_THAT(out.trap_message, Catch::Contains("value stack exhausted"));
    }
  }
  WHEN("the program loads outside its memory") {
    auto out = run(program(R"((func (export "_start") (drop (i32.load (i32.const 70000)))))"));
    THEN("it is Trapped") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK_THAT(out.trap_message, Catch::Contains("out of bounds"));
    }
  }
  WHEN("the program calls proc_exit(3) after writing") {
    auto out = run(program(R"(
      (data (i32.const 64) "bye")
      (func (export "_start") (call $write (i32.const 2) (i32.const 64) (i32.const 3))
        (call $proc_exit (i32.const 3)) unreachable))"));
    THEN("it is Trapped with exit code 3 and its stderr") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK(out.exit_code == 3);
      CHECK(out.trap_message == "exit code 3");
      CHECK(text(out.stderr_output) == "bye");
    }
  }
  WHEN("the program calls proc_exit(0)") {
    auto out = run(program(R"((func (export "_start") (call $proc_exit (i32.const 0)) unreachable))"));
    THEN("it is Ok") {
      CHECK(out.status == ExitStatus::Ok);
      CHECK(out.exit_code == 0);
    }
  }
}

SCENARIO("memory growth is bounded inside the guest") {
  // Grows one page at a time until memory.grow fails, then exits with the
  // number of pages it has.
  const std::string grow = R"(
    (func (export "_start")
      (block $done (loop $more
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
      (if (i32.ne (memory.grow (i32.const 65536)) (i32.const -1)) (then unreachable))
      (call $proc_exit (memory.size))))";
  ExecutionLimits limits;
  limits.max_memory_pages = 8;
  WHEN("a module without a declared maximum grows") {
    auto out = run(program(grow), "", limits);
    THEN("growth stops at the limit and the program ends cleanly") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK(out.exit_code == 8);
    }
  }
  WHEN("a module declaring a larger maximum grows") {
    auto out = run(program(grow, R"((memory (export "memory") 1 100))"), "", limits);
    THEN("the execution limit still applies") { CHECK(out.exit_code == 8); }
  }
  WHEN("a module declaring a smaller maximum grows") {
    auto out = run(program(grow, R"((memory (export "memory") 1 3))"), "", limits);
    THEN("its own maximum applies") { CHECK(out.exit_code == 3); }
  }
  WHEN("the initial memory is above the execution limit") {
    auto r = execute(program(kHello, R"((memory (export "memory") 9))"), {}, limits);
    THEN("the program is refused") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == make_error_code(ExecutionError::InvalidProgram));
    }
  }
}

SCENARIO("stdout over the bound ends the run") {
  ExecutionLimits limits;
  limits.max_output_bytes = 1000;
  auto out = run(program(R"(
    (data (i32.const 64) "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    (func (export "_start") (loop (call $write (i32.const 1) (i32.const 64) (i32.const 62)) (br 0))))"),
                 "", limits);
  CHECK(out.status == ExitStatus::OutputTooLarge);
  CHECK(out.output.size() == 1000);
  CHECK(text(out.output).substr(0, 62) == "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

SCENARIO("should_abort ends the run between instruction chunks") {
  int polls = 0;
  ExecutionLimits limits;
  limits.should_abort = [&polls] { return ++polls == 3; };
  auto out = run(program(kSpin), "", limits);
  CHECK(out.status == ExitStatus::Aborted);
  CHECK(polls == 3);
  CHECK(out.fuel_used == 2 * kAbortPollInstructions);
}

SCENARIO("randomness, clocks and arguments are deterministic") {
  const std::string body = R"(
    (func (export "_start")
      (drop (call $random_get (i32.const 100) (i32.const 16)))
      (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 116)))
      (call $write (i32.const 1) (i32.const 100) (i32.const 24))
      (drop (call $args_sizes_get (i32.const 200) (i32.const 204)))
      (drop (call $args_get (i32.const 300) (i32.const 400)))
      (call $write (i32.const 1) (i32.const 400) (i32.load (i32.const 204)))))";
  Bytes code = program(body);
  ExecutionLimits limits;
  limits.args = {"a", "bc"};
  auto first = run(code, "input one", limits);
  auto second = run(code, "input one", limits);
  auto other = run(code, "input two", limits);
  REQUIRE(first.status == ExitStatus::Ok);
  THEN("the same program and input give the same bytes and fuel") {
    CHECK(first.output == second.output);
    CHECK(first.fuel_used == second.fuel_used);
  }
  THEN("the random bytes depend on the input, the clock is fixed at 0, argv is task a bc") {
    CHECK(Bytes(first.output.begin(), first.output.begin() + 16) !=
          Bytes(other.output.begin(), other.output.begin() + 16));
    CHECK(Bytes(first.output.begin() + 16, first.output.begin() + 24) == Bytes(8, 0));
    CHECK(text(Bytes(first.output.begin() + 24, first.output.end())) == std::string("task\0a\0bc\0", 10));
  }
}

SCENARIO("programs that cannot run are errors, not outcomes") {
  WHEN("the code is not a valid program") {
    auto r = execute(to_bytes("not wasm"), {}, {});
    THEN("InvalidProgram") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == make_error_code(ExecutionError::InvalidProgram));
    }
  }
  WHEN("a data segment lies outside the memory") {
    auto r = execute(program(R"((data (i32.const 65535) "ab") (func (export "_start")))"), {}, {});
    THEN("InstantiationFailed") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == make_error_code(ExecutionError::InstantiationFailed));
    }
  }
}

SCENARIO("damaged programs that still validate run to some outcome without harming the host") {
  GIVEN("the echo program with random byte flips") {
    Bytes code = program(kEcho);
    std::mt19937 rng(777);
    ExecutionLimits limits;
    limits.fuel = 50'000;
    limits.max_memory_pages = 16;
    std::size_t ran = 0;
    for (int i = 0; i < 3000; ++i) {
      Bytes mutated = code;
      mutated[rng() % mutated.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      auto first = execute(mutated, to_bytes("some input"), limits);
      if (!first) continue;
      ++ran;
      auto second = execute(mutated, to_bytes("some input"), limits);
      REQUIRE(second);
      CHECK(first.value().status == second.value().status);
      CHECK(first.value().output == second.value().output);
      CHECK(first.value().fuel_used == second.value().fuel_used);
      CHECK(first.value().fuel_used <= limits.fuel);
    }
    THEN("some of them ran, each twice with the same outcome") { CHECK(ran > 0); }
  }
}
