#pragma once
// Shared pieces of the fuzz targets (Bitcoin Core's src/test/fuzz style).
//
// A fuzz target is `void fuzz_<name>(const uint8_t* data, size_t size)` in
// namespace bazaar::fuzz (declared in tests/fuzz/targets.hpp). It must never
// crash, hang, leak or hit undefined behaviour for any input, and it checks
// the properties that hold for its decoder with FUZZ_CHECK, which is active in
// every build type (NDEBUG does not turn it off). A failed check prints the
// condition and aborts: libFuzzer then saves the input as a crash file, and
// fuzz_regression prints it in hex (see tests/fuzz/README.md).
//
// Targets call note_accepted() when the decoder accepted the input, so that
// fuzz_regression can check that its "ok-" seeds are accepted, its "bad-"
// seeds rejected, and that mutated inputs still reach the success paths.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace bazaar::fuzz {

/// Reports a violated property of the current input and aborts.
[[noreturn]] void fail(const char* condition, const char* file, int line);

/// Marks the current input as accepted by the decoder under test.
void note_accepted();
/// How many times note_accepted() has been called in this process.
std::size_t accepted_count();

/// Splits one fuzz input into parts, like Bitcoin Core's FuzzedDataProvider:
/// every read is bounded by what is left and never fails (short reads give
/// fewer bytes, or 0).
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, std::size_t size) : m_rest(data, size) {}

  std::size_t remaining() const { return m_rest.size(); }
  /// The next byte, 0 when the input is exhausted.
  uint8_t take_byte();
  /// The next `n` bytes, or fewer when fewer are left.
  std::span<const uint8_t> take_bytes(std::size_t n);
  /// Everything not read yet.
  std::span<const uint8_t> take_rest();

 private:
  std::span<const uint8_t> m_rest;
};

/// The bytes of `data` as a string_view (for text decoders).
inline std::string_view as_text(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace bazaar::fuzz

/// Checks a property of the current fuzz input in every build type.
#define FUZZ_CHECK(cond)                                          \
  do {                                                            \
    if (!(cond)) ::bazaar::fuzz::fail(#cond, __FILE__, __LINE__); \
  } while (0)
