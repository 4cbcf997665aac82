#include "runtime/wasm/wabt_module.hpp"

#include "runtime/wasm/wabt_read.hpp"

#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/error.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include <new>
#include <stdexcept>

namespace bazaar::runtime::wasm {
namespace {

namespace wi = wabt::interp;

WasmValType to_val_type(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return WasmValType::I32;
    case wabt::Type::I64: return WasmValType::I64;
    case wabt::Type::F32: return WasmValType::F32;
    case wabt::Type::F64: return WasmValType::F64;
    case wabt::Type::V128: return WasmValType::V128;
    case wabt::Type::FuncRef: return WasmValType::FuncRef;
    case wabt::Type::ExternRef: return WasmValType::ExternRef;
    default: return WasmValType::Other;
  }
}

WasmExternKind to_kind(wabt::ExternalKind k) {
  switch (k) {
    case wabt::ExternalKind::Func: return WasmExternKind::Func;
    case wabt::ExternalKind::Table: return WasmExternKind::Table;
    case wabt::ExternalKind::Memory: return WasmExternKind::Memory;
    case wabt::ExternalKind::Global: return WasmExternKind::Global;
    case wabt::ExternalKind::Tag: return WasmExternKind::Tag;
  }
  return WasmExternKind::Tag;
}

WasmFuncSig to_sig(const wi::ExternType* type) {
  WasmFuncSig sig;
  if (auto* func = wabt::dyn_cast<wi::FuncType>(type)) {
    for (auto t : func->params) sig.params.push_back(to_val_type(t));
    for (auto t : func->results) sig.results.push_back(to_val_type(t));
  }
  return sig;
}

WasmLimits to_limits(const wabt::Limits& l) { return {l.initial, l.max, l.has_max}; }

}  // namespace

bool read_module_desc(const uint8_t* data, std::size_t size, wi::ModuleDesc* desc, std::string* error) {
  wabt::Errors errors;
  const wabt::ReadBinaryOptions options(wabt::Features{}, /*log_stream=*/nullptr, /*read_debug_names=*/false,
                                        /*stop_on_first_error=*/true, /*fail_on_custom_section_error=*/false);
  wabt::Result read = wabt::Result::Error;
  try {
    // WABT reports malformed input through `errors`; the only exceptions it
    // can raise are allocation failures on absurd declared sizes. Caught here,
    // at the boundary of the third-party library.
    read = wi::ReadBinaryInterp("program.wasm", data, size, options, &errors, desc);
  } catch (const std::bad_alloc&) {
    *error = "module declares more than can be allocated";
    return false;
  } catch (const std::length_error&) {
    *error = "module declares more than can be allocated";
    return false;
  }
  if (wabt::Failed(read)) {
    if (errors.empty()) {
      *error = "not a valid WebAssembly module";
    } else {
      const auto& e = errors.front();
      *error = "at byte " + std::to_string(e.loc.offset) + ": " + e.message;
    }
    return false;
  }
  return true;
}

bool read_wasm_module(const uint8_t* data, std::size_t size, WasmModuleFacts* facts, std::string* error) {
  wi::ModuleDesc desc;
  if (!read_module_desc(data, size, &desc, error)) return false;

  WasmModuleFacts out;
  for (const auto& import : desc.imports) {
    const auto& type = import.type;
    out.imports.push_back({type.module, type.name, to_kind(type.type->kind), to_sig(type.type.get())});
  }
  for (const auto& exp : desc.exports) {
    out.exports.push_back({exp.type.name, to_kind(exp.type.type->kind), to_sig(exp.type.type.get())});
  }
  for (const auto& memory : desc.memories) out.memories.push_back(to_limits(memory.type.limits));
  for (const auto& table : desc.tables) out.tables.push_back(to_limits(table.type.limits));
  for (const auto& func : desc.funcs) {
    uint64_t locals = func.type.params.size();
    for (const auto& local : func.locals) locals += local.count;
    out.function_locals.push_back(locals);
  }
  out.has_start_section = !desc.starts.empty();
  *facts = std::move(out);
  return true;
}

}  // namespace bazaar::runtime::wasm
