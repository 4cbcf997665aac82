// Fuzz target: task program validation (runtime/wasm/program.hpp), which the
// chain runs on every upload_program: a pure function of hostile bytes that
// must never crash, hang or throw. Checks: a rejection carries its error in
// `rejection`; an accepted program's info matches the bytes (hash, size,
// imports in the WASI subset, memory within the limits); and the limits act
// exactly at their bounds (one byte or one page less rejects).

#include "runtime/crypto/hash.hpp"
#include "runtime/wasm/program.hpp"
#include "runtime/wasm/wasi.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

namespace bazaar::fuzz {

void fuzz_wasm_program(const uint8_t* data, std::size_t size) {
  using namespace runtime::wasm;
  runtime::ByteSpan code(data, size);
  ProgramLimits limits;
  ProgramRejection rejection;
  auto info = validate_program(code, limits, &rejection);
  if (!info) {
    check_error_message(info.error());
    FUZZ_CHECK(info.error() == rejection.code);
    FUZZ_CHECK(!rejection.detail.empty());
    return;
  }
  note_accepted();
  const ProgramInfo& i = info.value();
  FUZZ_CHECK(i.hash == runtime::crypto::blake2b_256(code));
  FUZZ_CHECK(i.code_size == size);
  FUZZ_CHECK(i.initial_pages <= limits.max_memory_pages);
  FUZZ_CHECK(!i.max_pages || i.initial_pages <= *i.max_pages);
  for (const auto& name : i.imports) FUZZ_CHECK(find_wasi_function(name) != nullptr);

  ProgramLimits exact = limits;
  exact.max_code_bytes = size;
  exact.max_memory_pages = i.initial_pages;
  FUZZ_CHECK(validate_program(code, exact).has_value());
  ProgramLimits short_code = exact;
  short_code.max_code_bytes = size - 1;
  auto too_large = validate_program(code, short_code);
  FUZZ_CHECK(!too_large && too_large.error() == ProgramError::TooLarge);
  if (i.initial_pages > 0) {
    ProgramLimits short_memory = exact;
    short_memory.max_memory_pages = i.initial_pages - 1;
    auto too_much = validate_program(code, short_memory);
    FUZZ_CHECK(!too_much && too_much.error() == ProgramError::MemoryTooLarge);
  }
}

}  // namespace bazaar::fuzz
