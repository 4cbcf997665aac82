#pragma once
// Internal helpers shared by dynamic_decode.cpp and dynamic_encode.cpp (not a
// public header): error builders, the type paths the codec special-cases, and
// type resolution with the depth limit.

#include <initializer_list>
#include <string>
#include <string_view>

#include "runtime/metadata/dynamic.hpp"

namespace bazaar::runtime::metadata::detail {

using Json = nlohmann::json;

inline DynamicFailure fail(DynamicError e, std::string message) { return DynamicFailure{e, std::move(message)}; }
inline DynamicFailure bad_arg(const std::string& path, const std::string& expected, const Json& got) {
  std::string shown = got.dump();
  if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
  return fail(DynamicError::BadArgument, path + ": expected " + expected + ", got " + shown);
}
inline DynamicFailure bad_value(const std::string& path, const std::string& why) {
  return fail(DynamicError::BadValue, path + ": " + why);
}
inline DynamicFailure codec_fail(const std::string& path, const boost::system::error_code& ec) {
  return bad_value(path, ec.message());
}

inline std::string path_text(const Type& t) {
  std::string s;
  for (const auto& p : t.path) s += (s.empty() ? "" : "::") + p;
  return s.empty() ? "type" : s;
}
inline bool path_is(const Type& t, std::initializer_list<std::string_view> want) {
  if (t.path.size() != want.size()) return false;
  std::size_t i = 0;
  for (auto w : want)
    if (t.path[i++] != w) return false;
  return true;
}
inline bool is_option(const Type& t) { return path_is(t, {"Option"}) && std::holds_alternative<TypeDefVariant>(t.def); }
inline bool is_account32(const Type& t) {
  return !t.path.empty() && t.path.back() == "AccountId32" && std::holds_alternative<TypeDefComposite>(t.def);
}
inline bool is_multi_address(const Type& t) {
  return path_is(t, {"sp_runtime", "multiaddress", "MultiAddress"}) && std::holds_alternative<TypeDefVariant>(t.def);
}

/// Integer widths of the primitives (0 = not an integer).
struct IntKind {
  unsigned bits = 0;
  bool is_signed = false;
};
inline IntKind int_kind(Primitive p) {
  switch (p) {
    case Primitive::U8: return {8, false};
    case Primitive::U16: return {16, false};
    case Primitive::U32: return {32, false};
    case Primitive::U64: return {64, false};
    case Primitive::U128: return {128, false};
    case Primitive::I8: return {8, true};
    case Primitive::I16: return {16, true};
    case Primitive::I32: return {32, true};
    case Primitive::I64: return {64, true};
    case Primitive::I128: return {128, true};
    default: return {};
  }
}

/// The type `id` stands for once single-field composites (newtypes) are looked through.
inline DynamicResult<const Type*> resolve_newtypes(const Registry& r, uint32_t id, int depth) {
  for (;; ++depth) {
    if (depth > kMaxDepth) return fail(DynamicError::DepthLimit, "type " + std::to_string(id) + " nests too deeply");
    BAZAAR_TRY(auto t, r.type(id));
    const auto* c = std::get_if<TypeDefComposite>(&t->def);
    if (!c || c->fields.size() != 1) return t;
    id = c->fields[0].type.value;
  }
}

inline bool is_u8(const Registry& r, uint32_t id) {
  auto t = r.type(id);
  if (!t) return false;
  const auto* p = std::get_if<TypeDefPrimitive>(&t.value()->def);
  return p && p->primitive == Primitive::U8;
}

inline bool is_empty_type(const Type& t) {
  if (const auto* c = std::get_if<TypeDefComposite>(&t.def)) return c->fields.empty();
  if (const auto* tu = std::get_if<TypeDefTuple>(&t.def)) return tu->fields.empty();
  return false;
}

inline std::string field_path(const std::string& path, const Field& f, std::size_t i) {
  std::string out = path;
  if (f.name) {
    out += '.';
    out += json_field_name(*f.name);
  } else {
    out += '[';
    out += std::to_string(i);
    out += ']';
  }
  return out;
}

}  // namespace bazaar::runtime::metadata::detail
