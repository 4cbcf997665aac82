#pragma once
// Internal to bazaar_wasm_wabt (C++17 only: includes WABT's interpreter).

#include <wabt/interp/interp.h>

#include <cstdint>
#include <string>

namespace bazaar::runtime::wasm {

/// Reads and validates a binary module with WABT's interpreter reader and the
/// default features of WABT 1.0.32. False with a message ("at byte N: ...")
/// when the bytes are not a valid module. Never throws.
bool read_module_desc(const uint8_t* data, std::size_t size, wabt::interp::ModuleDesc* desc, std::string* error);

}  // namespace bazaar::runtime::wasm
