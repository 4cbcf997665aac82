// encode_value: JSON -> SCALE bytes through the metadata's type registry,
// accepting the friendly inputs listed in dynamic.hpp.

#include <cctype>

#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/metadata/dynamic.hpp"
#include "runtime/metadata/dynamic_types.hpp"
#include "runtime/primitives/units.hpp"

namespace bazaar::runtime::metadata {

using namespace detail;

namespace {

/// An integer from JSON: a number, a decimal or 0x-hex string, or ("12.5 CC") an amount of CC.
struct ParsedInt {
  bool negative = false;
  u128 magnitude = 0;
};
std::optional<ParsedInt> parse_int_text(std::string text, bool allow_cc) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
  ParsedInt out;
  if (!text.empty() && text[0] == '-') {
    out.negative = true;
    text.erase(0, 1);
  }
  if (text.rfind("0x", 0) == 0) {
    if (text.size() <= 2 || text.size() > 34) return std::nullopt;
    for (char c : text.substr(2)) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                          : -1;
      if (d < 0) return std::nullopt;
      out.magnitude = (out.magnitude << 4) | static_cast<u128>(d);
    }
    return out;
  }
  bool cc = false;
  if (allow_cc && text.size() > 2 && (text.ends_with("CC") || text.ends_with("cc"))) {
    text.resize(text.size() - 2);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    cc = true;
  }
  if (allow_cc && text.find('.') != std::string::npos) cc = true;
  if (cc && !out.negative) {
    auto v = parse_cc(text);
    if (!v) return std::nullopt;
    out.magnitude = *v;
    return out;
  }
  auto v = u128_from_string(text);
  if (!v) return std::nullopt;
  out.magnitude = *v;
  return out;
}

DynamicResult<ParsedInt> parse_int(const Json& j, IntKind kind, bool allow_cc, const std::string& path) {
  std::string expected = std::string(kind.is_signed ? "a signed" : "an unsigned") + " " + std::to_string(kind.bits) +
                         "-bit integer" + (allow_cc ? " (a number, decimal string or amount such as \"12.5 CC\")" : "");
  std::optional<ParsedInt> p;
  if (j.is_number_unsigned()) {
    p = ParsedInt{false, j.get<uint64_t>()};
  } else if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    p = ParsedInt{v < 0, v < 0 ? static_cast<u128>(-(v + 1)) + 1 : static_cast<u128>(v)};
  } else if (j.is_string()) {
    p = parse_int_text(j.get<std::string>(), allow_cc);
  }
  if (!p) return bad_arg(path, expected, j);
  if (p->negative && p->magnitude == 0) p->negative = false;
  const u128 max_unsigned = kind.bits == 128 ? ~u128{0} : (u128{1} << kind.bits) - 1;
  bool fits = kind.is_signed ? p->magnitude <= (u128{1} << (kind.bits - 1)) - (p->negative ? 0 : 1)
                             : !p->negative && p->magnitude <= max_unsigned;
  if (!fits) return bad_arg(path, expected + " in range", j);
  return *p;
}

void write_le(codec::Encoder& e, u128 v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) e.push(static_cast<uint8_t>(v >> (8 * i)));
}

/// Parses an account: SS58, 0x-hex of 32 bytes, or a secret URI (//Alice, a phrase).
std::optional<AccountId32> parse_account_text(const std::string& text) {
  if (auto a = crypto::parse_account(text)) return a.value();
  if (text.rfind("//", 0) == 0 || text.find(' ') != std::string::npos) {
    if (auto k = crypto::keypair_from_suri(text)) return k.value().account_id();
  }
  return std::nullopt;
}

// ---- encoding ------------------------------------------------------------------------

struct Writer {
  const Registry& r;

  DynamicResult<void> value(uint32_t id, const Json& j, codec::Encoder& e, const std::string& path, int depth) const;
  DynamicResult<void> fields(const std::vector<Field>& fs, const Json& j, codec::Encoder& e, const std::string& path,
                             int depth) const;
  DynamicResult<void> primitive(Primitive p, const Json& j, codec::Encoder& e, const std::string& path) const;
  DynamicResult<void> compact(uint32_t inner, const Json& j, codec::Encoder& e, const std::string& path,
                              int depth) const;
  DynamicResult<void> bytes_like(uint32_t elem, std::optional<std::size_t> fixed_len, const Json& j, codec::Encoder& e,
                                 const std::string& path, int depth) const;
  /// A 0x-hex string taken as the raw SCALE bytes of a value of type `id` (validated by decoding).
  DynamicResult<bool> raw(uint32_t id, const Json& j, codec::Encoder& e, const std::string& path) const;
};

DynamicResult<bool> Writer::raw(uint32_t id, const Json& j, codec::Encoder& e, const std::string& path) const {
  if (!j.is_string() || j.get<std::string>().rfind("0x", 0) != 0) return false;
  auto bytes = from_hex(j.get<std::string>());
  if (!bytes) return false;
  DecodeOptions options;
  auto decoded = decode_value(r, id, *bytes, options);
  if (!decoded)
    return fail(DynamicError::BadArgument,
                path + ": the hex is not a valid value of its type (" + decoded.error().message + ")");
  e.write(*bytes);
  return true;
}

DynamicResult<void> Writer::fields(const std::vector<Field>& fs, const Json& j, codec::Encoder& e,
                                   const std::string& path, int depth) const {
  bool named = !fs.empty();
  std::string names;
  for (const auto& f : fs) {
    named = named && f.name.has_value();
    if (f.name) names += (names.empty() ? "" : ", ") + json_field_name(*f.name);
  }
  if (j.is_array()) {
    if (j.size() != fs.size())
      return bad_arg(path, "an array of " + std::to_string(fs.size()) + " values" + (named ? " (" + names + ")" : ""),
                     j);
    for (std::size_t i = 0; i < fs.size(); ++i) {
      BAZAAR_TRY(value(fs[i].type.value, j[i], e, field_path(path, fs[i], i), depth + 1));
    }
    return outcome::success();
  }
  if (named && j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const auto& f : fs) known = known || normalize_name(*f.name) == normalize_name(it.key());
      if (!known)
        return fail(DynamicError::BadArgument, path + ": unknown field '" + it.key() + "' (fields: " + names + ")");
    }
    for (std::size_t i = 0; i < fs.size(); ++i) {
      const Json* found = nullptr;
      for (auto it = j.begin(); it != j.end(); ++it)
        if (normalize_name(it.key()) == normalize_name(*fs[i].name)) found = &it.value();
      if (!found) return fail(DynamicError::BadArgument, field_path(path, fs[i], i) + ": missing");
      BAZAAR_TRY(value(fs[i].type.value, *found, e, field_path(path, fs[i], i), depth + 1));
    }
    return outcome::success();
  }
  if (fs.size() == 1) return value(fs[0].type.value, j, e, field_path(path, fs[0], 0), depth + 1);
  return bad_arg(path,
                 named ? "an object with " + names + " (or an array of them in order)"
                       : "an array of " + std::to_string(fs.size()) + " values",
                 j);
}

DynamicResult<void> Writer::primitive(Primitive p, const Json& j, codec::Encoder& e, const std::string& path) const {
  if (IntKind k = int_kind(p); k.bits != 0) {
    BAZAAR_TRY(auto v, parse_int(j, k, p == Primitive::U128, path));
    write_le(e, v.negative ? ~v.magnitude + 1 : v.magnitude, k.bits / 8);
    return outcome::success();
  }
  switch (p) {
    case Primitive::Bool:
      if (j.is_boolean()) {
        e.push(j.get<bool>() ? 1 : 0);
      } else if (j == "true" || j == "false") {
        e.push(j == "true" ? 1 : 0);
      } else {
        return bad_arg(path, "true or false", j);
      }
      return outcome::success();
    case Primitive::Str:
      if (!j.is_string()) return bad_arg(path, "a string", j);
      codec::encode_to(e, j.get<std::string>());
      return outcome::success();
    case Primitive::Char: {
      if (!j.is_string()) return bad_arg(path, "a one-character string", j);
      auto s = j.get<std::string>();
      auto b = [&](std::size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
      uint32_t c = 0;
      if (s.size() == 1 && b(0) < 0x80)
        c = b(0);
      else if (s.size() == 2 && (b(0) & 0xE0) == 0xC0)
        c = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
      else if (s.size() == 3 && (b(0) & 0xF0) == 0xE0)
        c = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
      else if (s.size() == 4 && (b(0) & 0xF8) == 0xF0)
        c = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
      else
        return bad_arg(path, "a one-character string", j);
      codec::encode_to(e, c);
      return outcome::success();
    }
    case Primitive::U256:
    case Primitive::I256: {
      if (j.is_string() && j.get<std::string>().rfind("0x", 0) == 0) {
        auto bytes = from_hex(j.get<std::string>());
        if (!bytes || bytes->size() != 32) return bad_arg(path, "0x-hex of 32 little-endian bytes", j);
        e.write(*bytes);
        return outcome::success();
      }
      BAZAAR_TRY(auto v, parse_int(j, {128, p == Primitive::I256}, false, path));
      u128 low = v.negative ? ~v.magnitude + 1 : v.magnitude;
      write_le(e, low, 16);
      write_le(e, v.negative ? ~u128{0} : 0, 16);
      return outcome::success();
    }
    default: break;
  }
  return fail(DynamicError::Unsupported, path + ": unknown primitive");
}

DynamicResult<void> Writer::compact(uint32_t inner, const Json& j, codec::Encoder& e, const std::string& path,
                                    int depth) const {
  BAZAAR_TRY(auto t, resolve_newtypes(r, inner, depth));
  if (is_empty_type(*t)) {
    if (!j.is_null() && !(j.is_array() && j.empty())) return bad_arg(path, "null", j);
    return outcome::success();
  }
  const auto* p = std::get_if<TypeDefPrimitive>(&t->def);
  IntKind k = p ? int_kind(p->primitive) : IntKind{};
  if (k.bits == 0 || k.is_signed) return fail(DynamicError::Unsupported, path + ": Compact of a non-integer type");
  BAZAAR_TRY(auto v, parse_int(j, k, p->primitive == Primitive::U128, path));
  codec::encode_compact(e, v.magnitude);
  return outcome::success();
}

DynamicResult<void> Writer::bytes_like(uint32_t elem, std::optional<std::size_t> fixed_len, const Json& j,
                                       codec::Encoder& e, const std::string& path, int depth) const {
  std::string expected = fixed_len ? std::to_string(*fixed_len) + " values" : "an array";
  if (is_u8(r, elem)) {
    std::optional<Bytes> bytes;
    if (j.is_string()) {
      const auto& s = j.get<std::string>();
      bytes = s.rfind("0x", 0) == 0 ? from_hex(s) : std::optional<Bytes>(to_bytes(s));
    } else if (j.is_array()) {
      bytes = Bytes{};
      for (const auto& x : j) {
        if (!x.is_number_integer() || x.get<int64_t>() < 0 || x.get<int64_t>() > 255)
          return bad_arg(path, "bytes (numbers 0..255)", j);
        bytes->push_back(static_cast<uint8_t>(x.get<int64_t>()));
      }
    }
    std::string what = fixed_len ? "0x-hex of " + std::to_string(*fixed_len) + " bytes" : "0x-hex bytes or a string";
    if (!bytes || (fixed_len && bytes->size() != *fixed_len)) return bad_arg(path, what, j);
    if (!fixed_len) codec::encode_compact(e, bytes->size());
    e.write(*bytes);
    return outcome::success();
  }
  if (!j.is_array() || (fixed_len && j.size() != *fixed_len)) return bad_arg(path, expected, j);
  if (!fixed_len) codec::encode_compact(e, j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    BAZAAR_TRY(value(elem, j[i], e, path + "[" + std::to_string(i) + "]", depth + 1));
  }
  return outcome::success();
}

DynamicResult<void> Writer::value(uint32_t id, const Json& j, codec::Encoder& e, const std::string& path,
                                  int depth) const {
  if (depth > kMaxDepth) return fail(DynamicError::DepthLimit, path + ": value nested too deeply");
  BAZAAR_TRY(auto t, r.type(id));
  return std::visit(
      [&](const auto& def) -> DynamicResult<void> {
        using D = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<D, TypeDefComposite>) {
          if (is_account32(*t) && j.is_string()) {
            auto a = parse_account_text(j.get<std::string>());
            if (!a) return bad_arg(path, "an SS58 address, 0x-hex account id or secret URI such as //Alice", j);
            codec::Encoder inner;
            inner.write(a->span());
            auto check = decode_value(r, id, inner.bytes());
            if (!check) return fail(DynamicError::Unsupported, path + ": account type is not 32 bytes");
            e.write(inner.bytes());
            return outcome::success();
          }
          if (def.fields.empty()) {
            if (!j.is_null() && !(j.is_array() && j.empty()) && !(j.is_object() && j.empty()))
              return bad_arg(path, "null", j);
            return outcome::success();
          }
          if (def.fields.size() == 1 && !def.fields[0].name)
            return value(def.fields[0].type.value, j, e, path, depth + 1);
          BAZAAR_TRY(auto done, raw(id, j, e, path));
          if (done) return outcome::success();
          return fields(def.fields, j, e, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefVariant>) {
          if (is_option(*t)) {
            const Variant* none = nullptr;
            const Variant* some = nullptr;
            for (const auto& v : def.variants) (v.fields.empty() ? none : some) = &v;
            if (!none || !some) return fail(DynamicError::Unsupported, path + ": malformed Option type");
            if (j.is_null()) {
              e.push(none->index);
              return outcome::success();
            }
            e.push(some->index);
            return value(some->fields[0].type.value, j, e, path, depth + 1);
          }
          if (is_multi_address(*t) && j.is_string()) {
            if (auto a = parse_account_text(j.get<std::string>())) {
              for (const auto& v : def.variants) {
                if (v.name == "Id" && v.fields.size() == 1) {
                  e.push(v.index);
                  return value(v.fields[0].type.value, to_hex(a->span()), e, path + ".Id", depth + 1);
                }
              }
            }
          }
          std::string names;
          for (const auto& v : def.variants) names += (names.empty() ? "" : ", ") + v.name;
          const Variant* chosen = nullptr;
          const Json* payload = nullptr;
          auto find = [&](const std::string& name) {
            for (const auto& v : def.variants)
              if (normalize_name(v.name) == normalize_name(name)) return &v;
            return static_cast<const Variant*>(nullptr);
          };
          static const Json kNull = nullptr;
          if (j.is_string()) {
            chosen = find(j.get<std::string>());
            payload = &kNull;
            if (!chosen) {
              BAZAAR_TRY(auto done, raw(id, j, e, path));
              if (done) return outcome::success();
            }
          } else if (j.is_object() && j.size() == 1) {
            chosen = find(j.begin().key());
            payload = &j.begin().value();
          }
          if (!chosen) {
            std::string account = is_multi_address(*t) ? "an account (SS58, 0x-hex, //URI) or " : "";
            return bad_arg(path, account + "one of " + names + " (\"Name\" or {\"Name\": fields})", j);
          }
          e.push(chosen->index);
          std::string sub = path + "." + chosen->name;
          if (chosen->fields.empty()) {
            if (!payload->is_null() && !(payload->is_array() && payload->empty()) &&
                !(payload->is_object() && payload->empty()))
              return bad_arg(sub, "no fields (null)", *payload);
            return outcome::success();
          }
          if (payload->is_null() && j.is_string())
            return fail(DynamicError::BadArgument,
                        sub + ": this variant has fields, give {\"" + chosen->name + "\": ...}");
          if (chosen->fields.size() == 1 && !chosen->fields[0].name)
            return value(chosen->fields[0].type.value, *payload, e, sub, depth + 1);
          return fields(chosen->fields, *payload, e, sub, depth);
        } else if constexpr (std::is_same_v<D, TypeDefSequence>) {
          return bytes_like(def.type.value, std::nullopt, j, e, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefArray>) {
          return bytes_like(def.type.value, def.len, j, e, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefTuple>) {
          if (def.fields.empty()) {
            if (!j.is_null() && !(j.is_array() && j.empty())) return bad_arg(path, "null", j);
            return outcome::success();
          }
          BAZAAR_TRY(auto done, raw(id, j, e, path));
          if (done) return outcome::success();
          if (!j.is_array() || j.size() != def.fields.size())
            return bad_arg(path, "an array of " + std::to_string(def.fields.size()) + " values", j);
          for (std::size_t i = 0; i < def.fields.size(); ++i) {
            BAZAAR_TRY(value(def.fields[i].value, j[i], e, path + "[" + std::to_string(i) + "]", depth + 1));
          }
          return outcome::success();
        } else if constexpr (std::is_same_v<D, TypeDefPrimitive>) {
          return primitive(def.primitive, j, e, path);
        } else if constexpr (std::is_same_v<D, TypeDefCompact>) {
          return compact(def.type.value, j, e, path, depth + 1);
        } else {
          return fail(DynamicError::Unsupported, path + ": bit sequences are not supported");
        }
      },
      t->def);
}

}  // namespace

DynamicResult<void> encode_fields(const Registry& registry, const std::vector<Field>& fields, const Json& value,
                                  codec::Encoder& e, const std::string& path) {
  return Writer{registry}.fields(fields, value, e, path, 0);
}

DynamicResult<void> encode_value(const Registry& registry, uint32_t type_id, const Json& value, codec::Encoder& e,
                                 const std::string& path) {
  return Writer{registry}.value(type_id, value, e, path, 0);
}

DynamicResult<Bytes> encode_value(const Registry& registry, uint32_t type_id, const Json& value,
                                  const std::string& path) {
  codec::Encoder e;
  BAZAAR_TRY(encode_value(registry, type_id, value, e, path));
  return e.take();
}

}  // namespace bazaar::runtime::metadata
