#include "runtime/wasm/program.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/wasm/wabt_module.hpp"
#include "runtime/wasm/wasi.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::wasm, ProgramError, "wasm.program", to_string)

namespace bazaar::runtime::wasm {

const char* to_string(ProgramError e) {
  switch (e) {
    case ProgramError::TooLarge: return "program is larger than the code size limit";
    case ProgramError::Malformed: return "program is not a valid WebAssembly module";
    case ProgramError::MissingStart: return "program does not export a function _start of type () -> ()";
    case ProgramError::MissingMemory: return "program does not export its memory as \"memory\"";
    case ProgramError::ForbiddenImport: return "program imports something outside the WASI subset";
    case ProgramError::MemoryTooLarge: return "program's initial memory is above the limit";
    case ProgramError::TableTooLarge: return "program's initial table size is above the limit";
    case ProgramError::TooManyLocals: return "a function of the program has more locals than the limit";
    case ProgramError::StartSection: return "program has a start section";
  }
  return "unknown program error";
}

namespace {

std::string describe(const WasmFuncSig& sig) {
  auto name = [](WasmValType t) {
    switch (t) {
      case WasmValType::I32: return "i32";
      case WasmValType::I64: return "i64";
      case WasmValType::F32: return "f32";
      case WasmValType::F64: return "f64";
      case WasmValType::V128: return "v128";
      case WasmValType::FuncRef: return "funcref";
      case WasmValType::ExternRef: return "externref";
      case WasmValType::Other: break;
    }
    return "?";
  };
  auto list = [&](const std::vector<WasmValType>& types) {
    std::string out = "(";
    for (std::size_t i = 0; i < types.size(); ++i) out += (i ? ", " : "") + std::string(name(types[i]));
    return out + ")";
  };
  return list(sig.params) + " -> " + list(sig.results);
}

const char* kind_name(WasmExternKind kind) {
  switch (kind) {
    case WasmExternKind::Func: return "function";
    case WasmExternKind::Table: return "table";
    case WasmExternKind::Memory: return "memory";
    case WasmExternKind::Global: return "global";
    case WasmExternKind::Tag: return "tag";
  }
  return "?";
}

Result<ProgramInfo> reject(ProgramRejection* out, ProgramError code, std::string detail) {
  if (out) *out = {code, std::move(detail)};
  return code;
}

}  // namespace

Result<ProgramInfo> validate_program(ByteSpan code, const ProgramLimits& limits, ProgramRejection* rejection) {
  if (code.size() > limits.max_code_bytes) {
    return reject(rejection, ProgramError::TooLarge,
                  "program is " + std::to_string(code.size()) + " bytes, the limit is " +
                      std::to_string(limits.max_code_bytes));
  }
  WasmModuleFacts facts;
  std::string error;
  if (!read_wasm_module(code.data(), code.size(), &facts, &error))
    return reject(rejection, ProgramError::Malformed, "not a valid WebAssembly module: " + error);

  if (facts.has_start_section)
    return reject(rejection, ProgramError::StartSection,
                  "the module has a start section; a task's code runs only from _start");

  ProgramInfo info;
  for (const auto& import : facts.imports) {
    const std::string full_name = import.module + "." + import.name;
    if (import.kind != WasmExternKind::Func)
      return reject(rejection, ProgramError::ForbiddenImport,
                    "import " + full_name + " is a " + kind_name(import.kind) + "; only WASI functions may be imported");
    const WasiFunction* fn = import.module == kWasiModule ? find_wasi_function(import.name) : nullptr;
    if (!fn)
      return reject(rejection, ProgramError::ForbiddenImport, "import " + full_name + " is not in the WASI subset");
    if (import.sig != fn->sig)
      return reject(rejection, ProgramError::ForbiddenImport,
                    "import " + full_name + " has type " + describe(import.sig) + ", WASI declares " +
                        describe(fn->sig));
    info.imports.push_back(import.name);
  }

  const WasmExport* start = nullptr;
  const WasmExport* memory = nullptr;
  for (const auto& exp : facts.exports) {
    if (exp.name == "_start") start = &exp;
    if (exp.name == "memory") memory = &exp;
  }
  if (!start) return reject(rejection, ProgramError::MissingStart, "no export named _start");
  if (start->kind != WasmExternKind::Func)
    return reject(rejection, ProgramError::MissingStart,
                  std::string("export _start is a ") + kind_name(start->kind) + ", not a function");
  if (!start->sig.params.empty() || !start->sig.results.empty())
    return reject(rejection, ProgramError::MissingStart,
                  "export _start has type " + describe(start->sig) + ", expected () -> ()");
  if (!memory) return reject(rejection, ProgramError::MissingMemory, "no export named memory");
  if (memory->kind != WasmExternKind::Memory)
    return reject(rejection, ProgramError::MissingMemory,
                  std::string("export memory is a ") + kind_name(memory->kind) + ", not a memory");
  if (facts.memories.size() != 1)
    return reject(rejection, ProgramError::MissingMemory,
                  "the module defines " + std::to_string(facts.memories.size()) + " memories, expected one");

  const WasmLimits& mem = facts.memories.front();
  if (mem.initial > limits.max_memory_pages)
    return reject(rejection, ProgramError::MemoryTooLarge,
                  "initial memory is " + std::to_string(mem.initial) + " pages, the limit is " +
                      std::to_string(limits.max_memory_pages));
  for (std::size_t i = 0; i < facts.tables.size(); ++i) {
    if (facts.tables[i].initial > limits.max_table_elements)
      return reject(rejection, ProgramError::TableTooLarge,
                    "table " + std::to_string(i) + " starts with " + std::to_string(facts.tables[i].initial) +
                        " elements, the limit is " + std::to_string(limits.max_table_elements));
  }
  const std::size_t imported = facts.imports.size();
  for (std::size_t i = 0; i < facts.function_locals.size(); ++i) {
    if (facts.function_locals[i] > limits.max_function_locals)
      return reject(rejection, ProgramError::TooManyLocals,
                    "function " + std::to_string(imported + i) + " has " + std::to_string(facts.function_locals[i]) +
                        " params and locals, the limit is " + std::to_string(limits.max_function_locals));
  }

  info.hash = crypto::blake2b_256(code);
  info.code_size = static_cast<uint32_t>(code.size());
  info.initial_pages = static_cast<uint32_t>(mem.initial);
  if (mem.has_max) info.max_pages = static_cast<uint32_t>(mem.max);
  return info;
}

}  // namespace bazaar::runtime::wasm
