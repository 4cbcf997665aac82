// libFuzzer entry point: compiled once per target with
// -DBAZAAR_FUZZ_TARGET=fuzz_<name> (tests/fuzz/CMakeLists.txt, BAZAAR_FUZZ=ON).

#include "tests/fuzz/targets.hpp"

#include <cstddef>
#include <cstdint>

#ifndef BAZAAR_FUZZ_TARGET
#error "BAZAAR_FUZZ_TARGET must name the fuzz target function"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bazaar::fuzz::BAZAAR_FUZZ_TARGET(data, size);
  return 0;
}
