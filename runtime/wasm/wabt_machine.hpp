#pragma once
// One instance of a WebAssembly module on WABT's interpreter, executed a
// counted number of instructions at a time (C++17 interface, see
// wabt_module.hpp for why WABT is wrapped).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace bazaar::runtime::wasm {

/// What a host function asks of the machine after it ran.
struct HostCallResult {
  bool stop = false;   ///< end the execution now (the run reports MachineState::Stopped)
  uint64_t value = 0;  ///< the function's result, when its signature has one (i32/i64)
};

/// Called for every call of an imported function. `args` holds the call's
/// arguments as raw bits (i32 zero-extended); `memory`/`memory_size` are the
/// instance's exported "memory" at the time of the call (null/0 without one).
using HostCallback = std::function<HostCallResult(uint32_t import_index, const uint64_t* args, std::size_t arg_count,
                                                  uint8_t* memory, uint64_t memory_size)>;

struct MachineLimits {
  uint32_t max_memory_pages = 1024;     ///< memory.grow beyond this fails inside the guest (returns -1)
  uint32_t max_table_elements = 65536;  ///< table.grow beyond this fails inside the guest
  /// Values (16 bytes each) on the interpreter's stack of locals and operands;
  /// more traps with "value stack exhausted". WABT bounds the call depth
  /// (about 1600 frames) but not this stack.
  std::size_t max_value_stack = 1024 * 1024;
};

enum class MachineState {
  Running,   ///< the instruction budget of this run was used up; call run() again
  Returned,  ///< the entry function returned
  Trapped,   ///< a WebAssembly trap (message set)
  Stopped,   ///< a host function asked to stop
};

/// An instantiated module with its entry function `_start` ready to run.
class WasmMachine {
 public:
  /// Parses, instantiates (imports bound in order to `host`, every import must
  /// be a function) and prepares a call of the exported function `_start`
  /// (which must take and return nothing) and finds the exported "memory".
  /// Returns null with a message on failure (invalid module, instantiation
  /// trap such as an out-of-bounds data segment, memory above the limit).
  static std::unique_ptr<WasmMachine> create(const uint8_t* code, std::size_t size, const MachineLimits& limits,
                                             HostCallback host, std::string* error);
  ~WasmMachine();
  WasmMachine(const WasmMachine&) = delete;
  WasmMachine& operator=(const WasmMachine&) = delete;

  /// Executes at most `max_instructions` WABT instructions; `*executed` gets
  /// the exact number executed (the instruction that traps or returns counts).
  /// After a state other than Running, further calls return that state again
  /// and execute nothing.
  MachineState run(uint64_t max_instructions, uint64_t* executed, std::string* trap_message);

  struct Impl;

 private:
  explicit WasmMachine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace bazaar::runtime::wasm
