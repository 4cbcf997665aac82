#pragma once
// Test helper: WebAssembly text -> binary with libwabt's parser and writer,
// so tests can state small modules readably. The result is not validated
// (tests also build invalid modules on purpose).

#include "runtime/codec/bytes.hpp"

#include <string_view>

namespace bazaar::test {

/// Binary encoding of the module in `wat`; throws std::runtime_error with
/// WABT's messages when the text does not parse (a bug in the test).
runtime::Bytes wat_to_wasm(std::string_view wat);

/// Reads a whole file; throws std::runtime_error when it cannot.
runtime::Bytes read_file(const std::string& path);

}  // namespace bazaar::test
