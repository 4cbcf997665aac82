#pragma once
// Acceptance rules for task programs: which WebAssembly modules Bazaar agrees
// to store and run (DESIGN.md, "The worker and the compute runtime").
//
// A program is a wasm32 WASI preview-1 "command" module: it exports `_start`
// of type () -> () and its memory as `memory`, and imports nothing but
// functions of `wasi_snapshot_preview1` from the deterministic subset listed in
// runtime/wasm/wasi.hpp (with their exact signatures). Bounds on code size,
// memory, tables and locals keep instantiation cheap whatever the bytes.
//
// validate_program is called by the chain runtime (task_queue.upload_program):
// it is a pure function of its input, never throws, never crashes and runs in
// time linear in the code size.

#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::runtime::wasm {

/// Why a program is rejected.
enum class ProgramError {
  TooLarge = 1,       ///< more bytes than ProgramLimits::max_code_bytes
  Malformed,          ///< not a WebAssembly binary, or it does not validate
  MissingStart,       ///< no exported function `_start` of type () -> ()
  MissingMemory,      ///< no exported memory `memory` (or not exactly one memory)
  ForbiddenImport,    ///< an import outside the WASI subset, or with the wrong signature
  MemoryTooLarge,     ///< initial memory above ProgramLimits::max_memory_pages
  TableTooLarge,      ///< a table's initial size above ProgramLimits::max_table_elements
  TooManyLocals,      ///< a function with more locals than ProgramLimits::max_function_locals
  StartSection,       ///< a wasm start section (code that would run during instantiation)
};
const char* to_string(ProgramError e);

}  // namespace bazaar::runtime::wasm

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::wasm, ProgramError)

namespace bazaar::runtime::wasm {

/// The module import namespace of WASI preview 1.
inline constexpr const char* kWasiModule = "wasi_snapshot_preview1";

/// Bounds on an acceptable program. The defaults are the chain's.
struct ProgramLimits {
  std::size_t max_code_bytes = 2 * 1024 * 1024;  ///< bytes of the .wasm file
  uint32_t max_memory_pages = 1024;              ///< initial memory, in 64 KiB pages (64 MiB)
  uint32_t max_table_elements = 65536;           ///< initial size of each table
  uint32_t max_function_locals = 50000;          ///< params + locals of one function
};

/// What validation learned about an accepted program.
struct ProgramInfo {
  H256 hash;                         ///< blake2b_256(code): the program's identity on chain
  uint32_t code_size = 0;            ///< bytes
  std::vector<std::string> imports;  ///< imported WASI function names, in import order
  uint32_t initial_pages = 0;        ///< initial memory, 64 KiB pages
  std::optional<uint32_t> max_pages; ///< declared maximum, if any
};

/// A rejection: the named error and a human-readable detail naming the
/// offending import/export/function where there is one.
struct ProgramRejection {
  ProgramError code = ProgramError::Malformed;
  std::string detail;
};

/// Checks `code` against the acceptance rules above. On failure returns the
/// ProgramError and, when `rejection` is given, fills it with the error and a
/// message such as "import env.foo is not in the WASI subset".
Result<ProgramInfo> validate_program(ByteSpan code, const ProgramLimits& limits = {},
                                     ProgramRejection* rejection = nullptr);

}  // namespace bazaar::runtime::wasm
