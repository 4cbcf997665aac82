#pragma once
// Deterministic execution of a task program (DESIGN.md, "The worker and the
// compute runtime"): the same program, input and limits give the same
// outcome — status, exit code, output bytes and fuel — on every machine.
//
// The program (a wasm32 WASI command module accepted by validate_program)
// runs on WABT's interpreter from its `_start` export with the WASI subset of
// runtime/wasm/wasi.hpp: stdin is `input`, stdout is captured, there is no
// clock, no ambient randomness and no file system. Fuel is the number of WABT
// interpreter instructions executed (a call to a WASI function counts as one).
// Besides the limits below, the interpreter's call depth (about 1600 frames,
// WABT's) and its value stack (1M values, 16 MiB) are bounded: exceeding
// either is a trap.

#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bazaar::runtime::wasm {

/// Host-side failures: the program could not be run at all.
enum class ExecutionError {
  InvalidProgram = 1,   ///< validate_program rejects the code (with max_memory_pages of the limits)
  InstantiationFailed,  ///< instantiation trapped (e.g. a data segment outside memory)
};
const char* to_string(ExecutionError e);

}  // namespace bazaar::runtime::wasm

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::wasm, ExecutionError)

namespace bazaar::runtime::wasm {

/// Bounds of one run. Only `should_abort` may differ between machines: it is
/// the worker's wall-clock guard and ends a run as Aborted, an outcome that is
/// not deterministic and must never be settled as a result.
struct ExecutionLimits {
  uint64_t fuel = 10'000'000'000;         ///< instructions
  uint32_t max_memory_pages = 1024;       ///< 64 KiB pages (64 MiB); memory.grow beyond returns -1
  std::size_t max_output_bytes = 256 * 1024;  ///< stdout; more ends the run as OutputTooLarge
  std::size_t max_stderr_bytes = 64 * 1024;   ///< stderr keeps this many bytes, the rest is dropped
  std::vector<std::string> args;          ///< argv[1..]; argv[0] is "task"
  std::function<bool()> should_abort;     ///< polled every kAbortPollInstructions (and before starting)
};

/// How often ExecutionLimits::should_abort is polled, in instructions.
inline constexpr uint64_t kAbortPollInstructions = 1'000'000;

enum class ExitStatus {
  Ok,              ///< _start returned, or proc_exit(0)
  Trapped,         ///< a WebAssembly trap, or proc_exit with a non-zero code
  OutOfFuel,       ///< the fuel was used up
  Aborted,         ///< should_abort returned true
  OutputTooLarge,  ///< stdout went over max_output_bytes
};
const char* to_string(ExitStatus s);

struct ExecutionOutcome {
  ExitStatus status = ExitStatus::Ok;
  /// The proc_exit code; 0 when _start returned; -1 for every other end
  /// (trap, fuel, abort, output bound), which trap_message then describes.
  int32_t exit_code = 0;
  Bytes output;         ///< stdout (at most max_output_bytes: truncated there on OutputTooLarge)
  Bytes stderr_output;  ///< stderr, at most max_stderr_bytes
  uint64_t fuel_used = 0;  ///< instructions executed (= fuel on OutOfFuel)
  std::string trap_message;  ///< empty on Ok; "exit code N", the WABT trap message, or the reason
};

/// Validates and runs `code` on `input`. An invalid program or a failed
/// instantiation is an error; everything the program does is an outcome.
Result<ExecutionOutcome> execute(ByteSpan code, ByteSpan input, const ExecutionLimits& limits = {});

}  // namespace bazaar::runtime::wasm
