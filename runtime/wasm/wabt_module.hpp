#pragma once
// Reading a WebAssembly binary with WABT 1.0.32 into plain facts.
//
// WABT's interpreter headers do not compile as C++20 with GCC 12 (they define
// destructors with a template-id, which C++20 forbids), so every use of
// <wabt/interp/...> lives in the C++17 library `bazaar_wasm_wabt`
// (wabt_module.cpp, wabt_machine.cpp). This header and wabt_machine.hpp are
// its whole interface: plain C++17 types, no WABT includes.

#include <cstdint>
#include <string>
#include <vector>

namespace bazaar::runtime::wasm {

enum class WasmValType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef, Other };
enum class WasmExternKind : uint8_t { Func, Table, Memory, Global, Tag };

/// A function signature.
struct WasmFuncSig {
  std::vector<WasmValType> params;
  std::vector<WasmValType> results;
  bool operator==(const WasmFuncSig& o) const { return params == o.params && results == o.results; }
  bool operator!=(const WasmFuncSig& o) const { return !(*this == o); }
};

struct WasmImport {
  std::string module;
  std::string name;
  WasmExternKind kind = WasmExternKind::Func;
  WasmFuncSig sig;  ///< for functions
};

struct WasmExport {
  std::string name;
  WasmExternKind kind = WasmExternKind::Func;
  WasmFuncSig sig;  ///< for functions
};

/// Limits of a memory (in 64 KiB pages) or a table (in elements).
struct WasmLimits {
  uint64_t initial = 0;
  uint64_t max = 0;
  bool has_max = false;
};

/// What a validated module declares.
struct WasmModuleFacts {
  std::vector<WasmImport> imports;
  std::vector<WasmExport> exports;
  std::vector<WasmLimits> memories;  ///< defined (not imported) memories
  std::vector<WasmLimits> tables;    ///< defined tables
  std::vector<uint64_t> function_locals;  ///< params + locals of each defined function
  bool has_start_section = false;
};

/// Parses and fully validates a binary module (WABT's interpreter reader and
/// shared validator, default features of WABT 1.0.32: MVP + mutable globals,
/// saturating conversions, sign extension, SIMD, multi-value, bulk memory,
/// reference types). Returns false with a message ("at byte N: ...") when the
/// bytes are not a valid module. Deterministic; never throws.
bool read_wasm_module(const uint8_t* data, std::size_t size, WasmModuleFacts* facts, std::string* error);

}  // namespace bazaar::runtime::wasm
