#include "runtime/wasm/program.hpp"

#include "runtime/crypto/hash.hpp"
#include "tests/runtime/wasm/wat.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace bazaar::runtime;
using namespace bazaar::runtime::wasm;
using bazaar::test::wat_to_wasm;

namespace {

const char* kMinimal = R"((module
  (memory (export "memory") 2 16)
  (func (export "_start"))))";

ProgramRejection rejection_of(const Bytes& code, const ProgramLimits& limits = {}) {
  ProgramRejection rejection;
  auto result = validate_program(code, limits, &rejection);
  REQUIRE_FALSE(result);
  CHECK(result.error() == make_error_code(rejection.code));
  return rejection;
}

}  // namespace

SCENARIO("a minimal command module is accepted") {
  GIVEN("a module exporting memory and _start, importing fd_write") {
    Bytes code = wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
      (memory (export "memory") 2 16)
      (func (export "_start"))))");
    WHEN("it is validated") {
      auto info = validate_program(code);
      THEN("validation reports its hash, size, imports and memory") {
        REQUIRE(info);
        CHECK(info.value().hash == crypto::blake2b_256(code));
        CHECK(info.value().code_size == code.size());
        CHECK(info.value().imports == std::vector<std::string>{"fd_write", "proc_exit"});
        CHECK(info.value().initial_pages == 2);
        CHECK(info.value().max_pages == std::optional<uint32_t>(16));
      }
    }
  }
  GIVEN("a module without a declared memory maximum") {
    Bytes code = wat_to_wasm(R"((module (memory (export "memory") 1) (func (export "_start"))))");
    THEN("max_pages is empty") {
      auto info = validate_program(code);
      REQUIRE(info);
      CHECK_FALSE(info.value().max_pages);
    }
  }
}

SCENARIO("bytes that are not a valid module are Malformed") {
  GIVEN("text, empty input, a bare header and a module that does not type-check") {
    std::vector<Bytes> inputs = {
        to_bytes("hello, world"),
        Bytes{},
        Bytes{0x00, 0x61, 0x73, 0x6d},
        wat_to_wasm(R"((module (memory (export "memory") 1)
                         (func (export "_start") (drop (i32.add (i32.const 1) (f32.const 2))))))"),
    };
    THEN("each is rejected as Malformed with a message") {
      for (const auto& bytes : inputs) {
        auto r = rejection_of(bytes);
        CHECK(r.code == ProgramError::Malformed);
        CHECK_FALSE(r.detail.empty());
      }
    }
  }
}

SCENARIO("imports outside the WASI subset are forbidden") {
  WHEN("a module imports a function from another module") {
    auto r = rejection_of(wat_to_wasm(R"((module
      (import "env" "now" (func (result i64)))
      (memory (export "memory") 1) (func (export "_start"))))"));
    THEN("it is ForbiddenImport naming the import") {
      CHECK(r.code == ProgramError::ForbiddenImport);
      CHECK_THAT(r.detail, Catch::Contains("env.now"));
    }
  }
  WHEN("a module imports a WASI function outside the subset (path_open)") {
    auto r = rejection_of(wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "path_open"
        (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start"))))"));
    THEN("it is ForbiddenImport") {
      CHECK(r.code == ProgramError::ForbiddenImport);
      CHECK_THAT(r.detail, Catch::Contains("wasi_snapshot_preview1.path_open"));
    }
  }
  WHEN("a module imports fd_write with the wrong signature") {
    auto r = rejection_of(wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
      (memory (export "memory") 1) (func (export "_start"))))"));
    THEN("it is ForbiddenImport and says both types") {
      CHECK(r.code == ProgramError::ForbiddenImport);
      CHECK_THAT(r.detail, Catch::Contains("(i32) -> (i32)") && Catch::Contains("(i32, i32, i32, i32) -> (i32)"));
    }
  }
  WHEN("a module imports its memory") {
    auto r = rejection_of(wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "memory" (memory 1))
      (export "memory" (memory 0)) (func (export "_start"))))"));
    THEN("it is ForbiddenImport") {
      CHECK(r.code == ProgramError::ForbiddenImport);
      CHECK_THAT(r.detail, Catch::Contains("memory"));
    }
  }
  WHEN("a module imports a global") {
    auto r = rejection_of(wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "g" (global i32))
      (memory (export "memory") 1) (func (export "_start"))))"));
    THEN("it is ForbiddenImport") { CHECK(r.code == ProgramError::ForbiddenImport); }
  }
}

SCENARIO("the required exports are checked") {
  WHEN("there is no _start") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1) (func (export "main"))))"));
    THEN("it is MissingStart") { CHECK(r.code == ProgramError::MissingStart); }
  }
  WHEN("_start takes a parameter") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1) (func (export "_start") (param i32))))"));
    THEN("it is MissingStart, naming the type") {
      CHECK(r.code == ProgramError::MissingStart);
      CHECK_THAT(r.detail, Catch::Contains("(i32) -> ()"));
    }
  }
  WHEN("_start is a global") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1) (global (export "_start") i32 (i32.const 0))))"));
    THEN("it is MissingStart") { CHECK(r.code == ProgramError::MissingStart); }
  }
  WHEN("the memory is not exported") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory 1) (func (export "_start"))))"));
    THEN("it is MissingMemory") { CHECK(r.code == ProgramError::MissingMemory); }
  }
  WHEN("`memory` names a function") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory 1) (func (export "_start")) (func (export "memory"))))"));
    THEN("it is MissingMemory") { CHECK(r.code == ProgramError::MissingMemory); }
  }
}

SCENARIO("size limits are enforced") {
  Bytes minimal = wat_to_wasm(kMinimal);
  WHEN("the code is larger than max_code_bytes") {
    ProgramLimits limits;
    limits.max_code_bytes = minimal.size() - 1;
    auto r = rejection_of(minimal, limits);
    THEN("it is TooLarge") { CHECK(r.code == ProgramError::TooLarge); }
    THEN("exactly max_code_bytes is accepted") {
      limits.max_code_bytes = minimal.size();
      CHECK(validate_program(minimal, limits));
    }
  }
  WHEN("more bytes than the default limit of 2 MiB are given") {
    Bytes big(2 * 1024 * 1024 + 1, 0);
    THEN("it is TooLarge before any parsing") { CHECK(rejection_of(big).code == ProgramError::TooLarge); }
  }
  WHEN("the initial memory is above max_memory_pages") {
    ProgramLimits limits;
    limits.max_memory_pages = 1;
    auto r = rejection_of(minimal, limits);
    THEN("it is MemoryTooLarge") {
      CHECK(r.code == ProgramError::MemoryTooLarge);
      CHECK_THAT(r.detail, Catch::Contains("2 pages"));
    }
  }
  WHEN("a table starts larger than max_table_elements") {
    auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1) (table 70000 funcref)
                                            (func (export "_start"))))"));
    THEN("it is TableTooLarge") { CHECK(r.code == ProgramError::TableTooLarge); }
  }
  WHEN("a function declares more locals than max_function_locals") {
    ProgramLimits limits;
    limits.max_function_locals = 3;
    auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1)
                                            (func (export "_start") (local i32 i32 i64 f32))))"),
                          limits);
    THEN("it is TooManyLocals") {
      CHECK(r.code == ProgramError::TooManyLocals);
      CHECK_THAT(r.detail, Catch::Contains("4 params and locals"));
    }
  }
}

SCENARIO("a start section is refused: no code may run during instantiation") {
  auto r = rejection_of(wat_to_wasm(R"((module (memory (export "memory") 1)
                                          (func $init (loop (br 0))) (start $init) (func (export "_start"))))"));
  CHECK(r.code == ProgramError::StartSection);
}

SCENARIO("validation never crashes on damaged input and is deterministic") {
  GIVEN("a valid module with imports, data and a table") {
    Bytes code = wat_to_wasm(R"((module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1 4)
      (table 4 funcref) (elem (i32.const 0) $f)
      (data (i32.const 16) "hello")
      (global $g (mut i32) (i32.const 7))
      (func $f (result i32) (global.get $g))
      (func (export "_start") (local i32) (local.set 0 (call $f))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))))");
    REQUIRE(validate_program(code));
    WHEN("it is truncated at every length, has bytes flipped, or is replaced by random bytes") {
      std::mt19937 rng(12345);
      std::vector<Bytes> inputs;
      for (std::size_t n = 0; n < code.size(); ++n) inputs.emplace_back(code.begin(), code.begin() + n);
      for (int i = 0; i < 2000; ++i) {
        Bytes mutated = code;
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) mutated[rng() % mutated.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
        inputs.push_back(std::move(mutated));
      }
      for (int i = 0; i < 500; ++i) {
        Bytes random(rng() % 256);
        for (auto& b : random) b = static_cast<uint8_t>(rng());
        if (random.size() >= 8 && i % 2 == 0) std::copy(code.begin(), code.begin() + 8, random.begin());
        inputs.push_back(std::move(random));
      }
      THEN("every input gets an answer, the same one twice") {
        std::size_t accepted = 0;
        for (const auto& input : inputs) {
          ProgramRejection first, second;
          auto a = validate_program(input, {}, &first);
          auto b = validate_program(input, {}, &second);
          REQUIRE(bool(a) == bool(b));
          if (a) {
            ++accepted;
            CHECK(a.value().hash == b.value().hash);
          } else {
            CHECK(first.code == second.code);
            CHECK(first.detail == second.detail);
          }
        }
        CHECK(accepted < inputs.size());
      }
    }
  }
}
