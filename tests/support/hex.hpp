#pragma once
// Test helper: bytes from a hex literal ("0x…" or bare), failing the test
// (REQUIRE) on malformed input instead of dereferencing an empty result.

#include "runtime/codec/bytes.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace bazaar::test {

inline runtime::Bytes hex(const std::string& s) {
  auto b = runtime::from_hex(s);
  INFO("hex literal: " << s);
  REQUIRE(b);
  return *b;
}

}  // namespace bazaar::test
