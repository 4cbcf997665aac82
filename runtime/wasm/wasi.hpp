#pragma once
// The deterministic subset of WASI preview 1 (module `wasi_snapshot_preview1`)
// that task programs may import. Everything a wasi-libc C program needs for
// stdio works; nothing observes the host:
//
//   args_get, args_sizes_get    argv = {"task", ExecutionLimits::args...}
//   environ_get, environ_sizes_get  an empty environment
//   fd_read                     fd 0 reads the task input; other fds EBADF
//   fd_write                    fd 1 = stdout (bounded: over the bound ends the run),
//                               fd 2 = stderr (bounded: the excess is dropped)
//   fd_close                    closes fd 0-2 (later use: EBADF)
//   fd_seek                     ESPIPE on fd 0-2, EBADF otherwise
//   fd_fdstat_get               fd 0-2: filetype UNKNOWN (not a tty, so stdio is
//                               fully buffered), rights read (fd 0) / write (fd 1, 2)
//   fd_fdstat_set_flags         accepts APPEND and NONBLOCK as no-ops, else ENOTSUP
//   fd_prestat_get, fd_prestat_dir_name  EBADF: there are no preopened directories
//   proc_exit                   ends the run with the given exit code
//   clock_time_get              every clock always reads kFixedTimeNs
//   clock_res_get               every clock has resolution kClockResolutionNs
//   random_get                  deterministic bytes: block i (32 bytes) of the stream is
//                               blake2b_256(seed ++ u64_le(i)), seed = blake2b_256(code ++ input);
//                               successive calls continue the stream
//   sched_yield                 success, no effect
//   poll_oneoff                 ENOTSUP
//
// Guest pointers out of bounds give EFAULT. The table below is the single
// declaration of the subset: validation checks imports against it and the
// executor binds imports from it.

#include "runtime/codec/bytes.hpp"
#include "runtime/wasm/wabt_module.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::runtime::wasm {

/// WASI errno values (wasi_snapshot_preview1 `errno`) used by the subset.
namespace wasi_errno {
inline constexpr uint32_t kSuccess = 0;
inline constexpr uint32_t kBadf = 8;
inline constexpr uint32_t kFault = 21;
inline constexpr uint32_t kInval = 28;
inline constexpr uint32_t kNotsup = 58;
inline constexpr uint32_t kSpipe = 70;
}  // namespace wasi_errno

/// The value of every clock, in nanoseconds since the Unix epoch.
inline constexpr uint64_t kFixedTimeNs = 0;
/// The resolution reported for every clock, in nanoseconds.
inline constexpr uint64_t kClockResolutionNs = 1;
/// argv[0] of every task.
inline constexpr std::string_view kProgramName = "task";

/// Why a WASI call ended the run.
enum class WasiStop {
  None,
  Exit,        ///< proc_exit was called (exit_code() holds the code)
  StdoutFull,  ///< a write to stdout went over the output bound
};

struct WasiOptions {
  ByteSpan input;                   ///< what fd 0 reads (must outlive the environment)
  std::vector<std::string> argv;    ///< complete argv, argv[0] included
  std::size_t max_stdout_bytes = 256 * 1024;
  std::size_t max_stderr_bytes = 64 * 1024;
  H256 random_seed;                 ///< seed of random_get's stream
};

class WasiEnvironment;

/// One function of the subset: its name and signature, and its implementation.
struct WasiFunction {
  std::string_view name;
  WasmFuncSig sig;
  /// Runs the call on guest memory; returns the errno result (ignored for
  /// proc_exit, which has none).
  uint32_t (WasiEnvironment::*handler)(const uint64_t* args, std::span<uint8_t> memory);
};

/// All functions of the subset, sorted by name.
const std::vector<WasiFunction>& wasi_functions();
/// The function called `name`, or null when it is not in the subset.
const WasiFunction* find_wasi_function(std::string_view name);

/// The state of one run: stdin cursor, captured stdout/stderr, closed fds,
/// the random stream and the exit request.
class WasiEnvironment {
 public:
  explicit WasiEnvironment(WasiOptions options);

  /// Executes `fn` with raw argument bits `args` (as many as its signature
  /// has) on the guest's memory. Returns the result value, or nullopt when
  /// the run must end (see stop()).
  std::optional<uint32_t> call(const WasiFunction& fn, const uint64_t* args, std::span<uint8_t> memory);

  WasiStop stop() const { return m_stop; }
  int32_t exit_code() const { return m_exit_code; }
  Bytes& stdout_bytes() { return m_stdout; }
  Bytes& stderr_bytes() { return m_stderr; }

 private:
  friend const std::vector<WasiFunction>& wasi_functions();

  uint32_t args_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t args_sizes_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t environ_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t environ_sizes_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_read(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_write(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_close(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_seek(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_fdstat_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_fdstat_set_flags(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_prestat_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t fd_prestat_dir_name(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t proc_exit(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t clock_time_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t clock_res_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t random_get(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t sched_yield(const uint64_t* args, std::span<uint8_t> memory);
  uint32_t poll_oneoff(const uint64_t* args, std::span<uint8_t> memory);

  bool is_open(uint64_t fd) const { return fd < 3 && !m_closed[fd]; }
  void fill_random(uint8_t* out, std::size_t n);

  WasiOptions m_options;
  std::size_t m_input_pos = 0;
  bool m_closed[3] = {false, false, false};
  Bytes m_stdout;
  Bytes m_stderr;
  WasiStop m_stop = WasiStop::None;
  int32_t m_exit_code = 0;
  uint64_t m_random_block = 0;  ///< index of the next block of the random stream
  H256 m_random_buffer;         ///< the current block
  std::size_t m_random_used = 32;  ///< bytes of m_random_buffer already handed out
};

}  // namespace bazaar::runtime::wasm
