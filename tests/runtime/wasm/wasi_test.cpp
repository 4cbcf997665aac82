#include "runtime/wasm/wasi.hpp"

#include "runtime/crypto/hash.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace bazaar::runtime;
using namespace bazaar::runtime::wasm;

namespace {

/// A WASI environment with a 4 KiB guest memory and helpers to call by name.
struct Fixture {
  Bytes input = to_bytes("abcdefghij");
  Bytes memory = Bytes(4096, 0xEE);
  WasiEnvironment env;

  explicit Fixture(WasiOptions options = {}) : env(with_input(std::move(options), input)) {}

  static WasiOptions with_input(WasiOptions o, const Bytes& input) {
    o.input = input;
    if (o.argv.empty()) o.argv = {"task", "-n", "42"};
    return o;
  }
  std::optional<uint32_t> call(std::string_view name, std::vector<uint64_t> args) {
    const WasiFunction* fn = find_wasi_function(name);
    REQUIRE(fn != nullptr);
    REQUIRE(args.size() == fn->sig.params.size());
    return env.call(*fn, args.data(), memory);
  }
  uint32_t u32_at(std::size_t ptr) const {
    uint32_t v;
    std::memcpy(&v, memory.data() + ptr, 4);
    return v;
  }
  uint64_t u64_at(std::size_t ptr) const {
    uint64_t v;
    std::memcpy(&v, memory.data() + ptr, 8);
    return v;
  }
  void put_iovec(std::size_t at, uint32_t buf, uint32_t len) {
    std::memcpy(memory.data() + at, &buf, 4);
    std::memcpy(memory.data() + at + 4, &len, 4);
  }
  std::string text_at(std::size_t ptr, std::size_t n) const {
    return std::string(memory.begin() + ptr, memory.begin() + ptr + n);
  }
};

}  // namespace

SCENARIO("the WASI table is sorted and complete") {
  const auto& fns = wasi_functions();
  CHECK(fns.size() == 18);
  for (std::size_t i = 1; i < fns.size(); ++i) CHECK(fns[i - 1].name < fns[i].name);
  CHECK(find_wasi_function("fd_write") != nullptr);
  CHECK(find_wasi_function("path_open") == nullptr);
  CHECK(find_wasi_function("proc_exit")->sig.results.empty());
}

SCENARIO("arguments and environment") {
  Fixture f;
  WHEN("the program asks for argv sizes and argv") {
    REQUIRE(f.call("args_sizes_get", {100, 104}) == 0u);
    REQUIRE(f.call("args_get", {200, 300}) == 0u);
    THEN("it sees task -n 42 as NUL-terminated strings") {
      CHECK(f.u32_at(100) == 3);
      CHECK(f.u32_at(104) == 5 + 3 + 3);
      CHECK(f.u32_at(200) == 300);
      CHECK(f.u32_at(204) == 305);
      CHECK(f.u32_at(208) == 308);
      CHECK(f.text_at(300, 11) == std::string("task\0-n\0" "42\0", 11));
    }
  }
  WHEN("it asks for the environment") {
    REQUIRE(f.call("environ_sizes_get", {100, 104}) == 0u);
    THEN("it is empty") {
      CHECK(f.u32_at(100) == 0);
      CHECK(f.u32_at(104) == 0);
      CHECK(f.call("environ_get", {200, 300}) == 0u);
    }
  }
  WHEN("a pointer is outside memory") {
    THEN("the call fails with EFAULT") {
      CHECK(f.call("args_sizes_get", {4094, 100}) == wasi_errno::kFault);
      CHECK(f.call("args_get", {200, 4090}) == wasi_errno::kFault);
    }
  }
}

SCENARIO("stdin, stdout and stderr") {
  Fixture f;
  WHEN("fd 0 is read with two iovecs of 4 bytes, twice") {
    f.put_iovec(16, 1000, 4);
    f.put_iovec(24, 1004, 4);
    REQUIRE(f.call("fd_read", {0, 16, 2, 8}) == 0u);
    CHECK(f.u32_at(8) == 8);
    CHECK(f.text_at(1000, 8) == "abcdefgh");
    REQUIRE(f.call("fd_read", {0, 16, 2, 8}) == 0u);
    THEN("the second read gets the last 2 bytes, then reads return 0 (EOF)") {
      CHECK(f.u32_at(8) == 2);
      CHECK(f.text_at(1000, 2) == "ij");
      REQUIRE(f.call("fd_read", {0, 16, 2, 8}) == 0u);
      CHECK(f.u32_at(8) == 0);
    }
  }
  WHEN("another fd is read or an iovec points outside memory") {
    f.put_iovec(16, 4090, 100);
    THEN("EBADF / EFAULT") {
      CHECK(f.call("fd_read", {1, 16, 1, 8}) == wasi_errno::kBadf);
      CHECK(f.call("fd_read", {3, 16, 1, 8}) == wasi_errno::kBadf);
      CHECK(f.call("fd_read", {0, 16, 1, 8}) == wasi_errno::kFault);
    }
  }
  WHEN("stdout and stderr are written") {
    std::memcpy(f.memory.data() + 1000, "hello world", 11);
    f.put_iovec(16, 1000, 5);
    f.put_iovec(24, 1005, 6);
    REQUIRE(f.call("fd_write", {1, 16, 2, 8}) == 0u);
    CHECK(f.u32_at(8) == 11);
    REQUIRE(f.call("fd_write", {2, 16, 1, 8}) == 0u);
    THEN("the bytes are captured per stream") {
      CHECK(f.env.stdout_bytes() == to_bytes("hello world"));
      CHECK(f.env.stderr_bytes() == to_bytes("hello"));
      CHECK(f.call("fd_write", {0, 16, 1, 8}) == wasi_errno::kBadf);
    }
  }
  WHEN("an fd is closed") {
    REQUIRE(f.call("fd_close", {1}) == 0u);
    THEN("it can no longer be used, and fds above 2 never existed") {
      f.put_iovec(16, 1000, 1);
      CHECK(f.call("fd_write", {1, 16, 1, 8}) == wasi_errno::kBadf);
      CHECK(f.call("fd_close", {1}) == wasi_errno::kBadf);
      CHECK(f.call("fd_close", {3}) == wasi_errno::kBadf);
    }
  }
}

SCENARIO("output bounds") {
  WasiOptions options;
  options.max_stdout_bytes = 4;
  options.max_stderr_bytes = 3;
  Fixture f(options);
  std::memcpy(f.memory.data() + 1000, "abcdef", 6);
  f.put_iovec(16, 1000, 6);
  WHEN("stderr is written beyond its bound") {
    THEN("the excess is dropped but the write succeeds") {
      CHECK(f.call("fd_write", {2, 16, 1, 8}) == 0u);
      CHECK(f.u32_at(8) == 6);
      CHECK(f.env.stderr_bytes() == to_bytes("abc"));
      CHECK(f.env.stop() == WasiStop::None);
    }
  }
  WHEN("stdout is written beyond its bound") {
    auto r = f.call("fd_write", {1, 16, 1, 8});
    THEN("the run must stop, keeping exactly the bound") {
      CHECK_FALSE(r);
      CHECK(f.env.stop() == WasiStop::StdoutFull);
      CHECK(f.env.stdout_bytes() == to_bytes("abcd"));
    }
  }
}

SCENARIO("fd metadata: stdio is not seekable, not a tty, no preopens") {
  Fixture f;
  CHECK(f.call("fd_seek", {0, 0, 0, 8}) == wasi_errno::kSpipe);
  CHECK(f.call("fd_seek", {5, 0, 0, 8}) == wasi_errno::kBadf);
  REQUIRE(f.call("fd_fdstat_get", {1, 64}) == 0u);
  CHECK(f.memory[64] == 0);  // filetype UNKNOWN
  CHECK((f.u64_at(72) & (1ull << 6)) != 0);  // FD_WRITE
  CHECK((f.u64_at(72) & ((1ull << 2) | (1ull << 5))) == 0);  // no SEEK / TELL
  CHECK(f.u64_at(80) == 0);
  CHECK(f.call("fd_fdstat_get", {3, 64}) == wasi_errno::kBadf);
  CHECK(f.call("fd_fdstat_set_flags", {1, 1}) == 0u);
  CHECK(f.call("fd_fdstat_set_flags", {1, 2}) == wasi_errno::kNotsup);
  CHECK(f.call("fd_prestat_get", {3, 64}) == wasi_errno::kBadf);
  CHECK(f.call("fd_prestat_dir_name", {3, 64, 10}) == wasi_errno::kBadf);
}

SCENARIO("clocks, randomness and the rest are deterministic") {
  WasiOptions options;
  options.random_seed = crypto::blake2b_256(to_bytes("seed"));
  Fixture f(options);
  WHEN("the clocks are read") {
    REQUIRE(f.call("clock_time_get", {0, 1000, 64}) == 0u);
    REQUIRE(f.call("clock_res_get", {1, 72}) == 0u);
    THEN("they return the fixed values, and unknown clocks are EINVAL") {
      CHECK(f.u64_at(64) == kFixedTimeNs);
      CHECK(f.u64_at(72) == kClockResolutionNs);
      CHECK(f.call("clock_time_get", {4, 0, 64}) == wasi_errno::kInval);
    }
  }
  WHEN("40 random bytes are drawn as 10 + 30") {
    REQUIRE(f.call("random_get", {100, 10}) == 0u);
    REQUIRE(f.call("random_get", {110, 30}) == 0u);
    THEN("they are blake2b_256(seed ++ u64_le(i)) blocks") {
      Bytes block0_input(options.random_seed.begin(), options.random_seed.end());
      block0_input.resize(40, 0);
      Bytes block1_input = block0_input;
      block1_input[32] = 1;
      H256 b0 = crypto::blake2b_256(block0_input), b1 = crypto::blake2b_256(block1_input);
      Bytes expected(40);
      std::memcpy(expected.data(), b0.data(), 32);
      std::memcpy(expected.data() + 32, b1.data(), 8);
      CHECK(Bytes(f.memory.begin() + 100, f.memory.begin() + 140) == expected);
      CHECK(f.call("random_get", {4000, 100}) == wasi_errno::kFault);
    }
  }
  THEN("sched_yield succeeds and poll_oneoff is not supported") {
    CHECK(f.call("sched_yield", {}) == 0u);
    CHECK(f.call("poll_oneoff", {0, 0, 1, 8}) == wasi_errno::kNotsup);
  }
  WHEN("proc_exit is called") {
    auto r = f.call("proc_exit", {0xFFFFFFFFu});
    THEN("the run stops with the code as a signed 32-bit value") {
      CHECK_FALSE(r);
      CHECK(f.env.stop() == WasiStop::Exit);
      CHECK(f.env.exit_code() == -1);
    }
  }
}
