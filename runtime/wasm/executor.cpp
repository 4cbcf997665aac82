#include "runtime/wasm/executor.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/wasm/program.hpp"
#include "runtime/wasm/wabt_machine.hpp"
#include "runtime/wasm/wasi.hpp"

#include <algorithm>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::wasm, ExecutionError, "wasm.execution", to_string)

namespace bazaar::runtime::wasm {

const char* to_string(ExecutionError e) {
  switch (e) {
    case ExecutionError::InvalidProgram: return "the program is not a valid task program";
    case ExecutionError::InstantiationFailed: return "the program could not be instantiated";
  }
  return "unknown execution error";
}

const char* to_string(ExitStatus s) {
  switch (s) {
    case ExitStatus::Ok: return "Ok";
    case ExitStatus::Trapped: return "Trapped";
    case ExitStatus::OutOfFuel: return "OutOfFuel";
    case ExitStatus::Aborted: return "Aborted";
    case ExitStatus::OutputTooLarge: return "OutputTooLarge";
  }
  return "Unknown";
}

Result<ExecutionOutcome> execute(ByteSpan code, ByteSpan input, const ExecutionLimits& limits) {
  ProgramLimits program_limits;
  program_limits.max_memory_pages = limits.max_memory_pages;
  auto validated = validate_program(code, program_limits);
  if (!validated) return ExecutionError::InvalidProgram;
  const ProgramInfo& info = validated.value();

  std::vector<const WasiFunction*> bindings;
  for (const auto& name : info.imports) bindings.push_back(find_wasi_function(name));  // all exist: validated

  WasiOptions options;
  options.input = input;
  options.argv.emplace_back(kProgramName);
  options.argv.insert(options.argv.end(), limits.args.begin(), limits.args.end());
  options.max_stdout_bytes = limits.max_output_bytes;
  options.max_stderr_bytes = limits.max_stderr_bytes;
  options.random_seed = crypto::blake2b_256_concat({code, input});
  WasiEnvironment wasi(std::move(options));

  HostCallback host = [&](uint32_t index, const uint64_t* args, std::size_t, uint8_t* memory, uint64_t size) {
    auto result = wasi.call(*bindings[index], args, std::span<uint8_t>(memory, size));
    return result ? HostCallResult{false, *result} : HostCallResult{true, 0};
  };
  MachineLimits machine_limits;
  machine_limits.max_memory_pages = limits.max_memory_pages;
  machine_limits.max_table_elements = program_limits.max_table_elements;
  std::string error;
  auto machine = WasmMachine::create(code.data(), code.size(), machine_limits, std::move(host), &error);
  if (!machine) return ExecutionError::InstantiationFailed;

  ExecutionOutcome outcome;
  outcome.exit_code = -1;
  MachineState state = MachineState::Running;
  while (state == MachineState::Running) {
    if (outcome.fuel_used >= limits.fuel) {
      outcome.status = ExitStatus::OutOfFuel;
      outcome.trap_message = "out of fuel after " + std::to_string(limits.fuel) + " instructions";
      break;
    }
    if (limits.should_abort && limits.should_abort()) {
      outcome.status = ExitStatus::Aborted;
      outcome.trap_message = "aborted by the host";
      break;
    }
    const uint64_t budget = std::min(kAbortPollInstructions, limits.fuel - outcome.fuel_used);
    uint64_t executed = 0;
    std::string message;
    state = machine->run(budget, &executed, &message);
    outcome.fuel_used += executed;
    switch (state) {
      case MachineState::Running:
        break;
      case MachineState::Returned:
        outcome.status = ExitStatus::Ok;
        outcome.exit_code = 0;
        break;
      case MachineState::Trapped:
        outcome.status = ExitStatus::Trapped;
        outcome.trap_message = message;
        break;
      case MachineState::Stopped:
        if (wasi.stop() == WasiStop::Exit) {
          outcome.exit_code = wasi.exit_code();
          outcome.status = outcome.exit_code == 0 ? ExitStatus::Ok : ExitStatus::Trapped;
          if (outcome.exit_code != 0) outcome.trap_message = "exit code " + std::to_string(outcome.exit_code);
        } else {
          outcome.status = ExitStatus::OutputTooLarge;
          outcome.trap_message = "output over " + std::to_string(limits.max_output_bytes) + " bytes";
        }
        break;
    }
  }
  outcome.output = std::move(wasi.stdout_bytes());
  outcome.stderr_output = std::move(wasi.stderr_bytes());
  return outcome;
}

}  // namespace bazaar::runtime::wasm
