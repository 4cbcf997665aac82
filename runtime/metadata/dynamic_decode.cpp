// decode_value: SCALE bytes -> JSON through the metadata's type registry
// (the JSON forms are listed in dynamic.hpp).

#include "runtime/crypto/ss58.hpp"
#include "runtime/metadata/dynamic.hpp"
#include "runtime/metadata/dynamic_types.hpp"

namespace bazaar::runtime::metadata {

using namespace detail;

namespace {

constexpr uint64_t kMaxSafeInteger = uint64_t{1} << 53;
/// Elements a sequence may claim beyond the bytes left (zero-sized elements such as `()`).
constexpr std::size_t kZeroSizedSlack = 1024;

Json uint_json(u128 v, unsigned bits) {
  if (bits < 128 && v <= kMaxSafeInteger) return static_cast<uint64_t>(v);
  return u128_to_string(v);
}
Json int_json(bool negative, u128 magnitude, unsigned bits) {
  if (bits < 128 && magnitude <= kMaxSafeInteger) {
    auto m = static_cast<int64_t>(magnitude);
    return negative ? -m : m;
  }
  return (negative ? "-" : "") + u128_to_string(magnitude);
}

struct Reader {
  const Registry& r;
  const DecodeOptions& options;

  DynamicResult<Json> value(uint32_t id, codec::Decoder& d, const std::string& path, int depth) const;
  DynamicResult<Json> fields(const std::vector<Field>& fs, codec::Decoder& d, const std::string& path, int depth) const;
  DynamicResult<Json> primitive(Primitive p, codec::Decoder& d, const std::string& path) const;
  DynamicResult<Json> compact(uint32_t inner, codec::Decoder& d, const std::string& path, int depth) const;
  DynamicResult<Json> sequence(uint32_t elem, std::size_t n, codec::Decoder& d, const std::string& path,
                               int depth) const;
};

DynamicResult<Json> Reader::fields(const std::vector<Field>& fs, codec::Decoder& d, const std::string& path,
                                   int depth) const {
  bool named = !fs.empty();
  for (const auto& f : fs) named = named && f.name.has_value();
  Json out = named || fs.empty() ? Json::object() : Json::array();
  for (std::size_t i = 0; i < fs.size(); ++i) {
    BAZAAR_TRY(auto v, value(fs[i].type.value, d, field_path(path, fs[i], i), depth + 1));
    if (named) {
      out[json_field_name(*fs[i].name)] = std::move(v);
    } else {
      out.push_back(std::move(v));
    }
  }
  return out;
}

DynamicResult<Json> Reader::primitive(Primitive p, codec::Decoder& d, const std::string& path) const {
  if (IntKind k = int_kind(p); k.bits != 0) {
    auto s = d.read(k.bits / 8);
    if (!s) return codec_fail(path, s.error());
    u128 u = 0;
    for (unsigned i = 0; i < k.bits / 8; ++i) u |= static_cast<u128>(s.value()[i]) << (8 * i);
    if (!k.is_signed) return uint_json(u, k.bits);
    bool negative = (u >> (k.bits - 1)) & 1;
    u128 magnitude = u;
    if (negative) magnitude = k.bits == 128 ? ~u + 1 : (u128{1} << k.bits) - u;
    return int_json(negative, magnitude, k.bits);
  }
  switch (p) {
    case Primitive::Bool: {
      bool b = false;
      if (auto rr = codec::decode_from(d, b); !rr) return codec_fail(path, rr.error());
      return b;
    }
    case Primitive::Str: {
      std::string s;
      if (auto rr = codec::decode_from(d, s); !rr) return codec_fail(path, rr.error());
      return s;
    }
    case Primitive::Char: {
      uint32_t c = 0;
      if (auto rr = codec::decode_from(d, c); !rr) return codec_fail(path, rr.error());
      if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return bad_value(path, "not a Unicode scalar value");
      std::string s;
      if (c < 0x80) {
        s += static_cast<char>(c);
      } else if (c < 0x800) {
        s += static_cast<char>(0xC0 | (c >> 6));
        s += static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        s += static_cast<char>(0xE0 | (c >> 12));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        s += static_cast<char>(0xF0 | (c >> 18));
        s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (c & 0x3F));
      }
      return s;
    }
    case Primitive::U256:
    case Primitive::I256: {
      auto s = d.read(32);
      if (!s) return codec_fail(path, s.error());
      return to_hex(s.value());
    }
    default: break;
  }
  return fail(DynamicError::Unsupported, path + ": unknown primitive");
}

DynamicResult<Json> Reader::compact(uint32_t inner, codec::Decoder& d, const std::string& path, int depth) const {
  BAZAAR_TRY(auto t, resolve_newtypes(r, inner, depth));
  if (is_empty_type(*t)) return Json(nullptr);
  const auto* p = std::get_if<TypeDefPrimitive>(&t->def);
  IntKind k = p ? int_kind(p->primitive) : IntKind{};
  if (k.bits == 0 || k.is_signed) return fail(DynamicError::Unsupported, path + ": Compact of a non-integer type");
  auto v = codec::decode_compact(d);
  if (!v) return codec_fail(path, v.error());
  if (k.bits < 128 && v.value() >> k.bits) return bad_value(path, "compact integer out of range for its type");
  return uint_json(v.value(), k.bits);
}

DynamicResult<Json> Reader::sequence(uint32_t elem, std::size_t n, codec::Decoder& d, const std::string& path,
                                     int depth) const {
  if (is_u8(r, elem)) {
    auto s = d.read(n);
    if (!s) return codec_fail(path, s.error());
    return to_hex(s.value());
  }
  if (n > d.remaining() + kZeroSizedSlack) return bad_value(path, "length " + std::to_string(n) + " exceeds the input");
  Json out = Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    BAZAAR_TRY(auto v, value(elem, d, path + "[" + std::to_string(i) + "]", depth + 1));
    out.push_back(std::move(v));
  }
  return out;
}

DynamicResult<Json> Reader::value(uint32_t id, codec::Decoder& d, const std::string& path, int depth) const {
  if (depth > kMaxDepth) return fail(DynamicError::DepthLimit, path + ": value nested too deeply");
  BAZAAR_TRY(auto t, r.type(id));
  return std::visit(
      [&](const auto& def) -> DynamicResult<Json> {
        using D = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<D, TypeDefComposite>) {
          if (def.fields.empty()) return Json(nullptr);
          if (def.fields.size() == 1 && !def.fields[0].name) {
            BAZAAR_TRY(auto inner, value(def.fields[0].type.value, d, path, depth + 1));
            if (is_account32(*t) && options.ss58 && inner.is_string()) {
              if (auto a = fixed_from_hex<AccountId32>(inner.template get<std::string>()))
                return crypto::ss58_encode(*a, options.ss58_prefix);
            }
            return inner;
          }
          return fields(def.fields, d, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefVariant>) {
          auto index = d.read_byte();
          if (!index) return codec_fail(path, index.error());
          const Variant* v = nullptr;
          for (const auto& x : def.variants)
            if (x.index == index.value()) v = &x;
          if (!v)
            return bad_value(path, "no variant of " + path_text(*t) + " has index " + std::to_string(index.value()));
          if (is_option(*t)) {
            if (v->fields.empty()) return Json(nullptr);
            return value(v->fields[0].type.value, d, path, depth + 1);
          }
          if (v->fields.empty()) return Json(v->name);
          if (v->fields.size() == 1 && !v->fields[0].name) {
            BAZAAR_TRY(auto inner, value(v->fields[0].type.value, d, path + "." + v->name, depth + 1));
            return Json{{v->name, std::move(inner)}};
          }
          BAZAAR_TRY(auto fs, fields(v->fields, d, path + "." + v->name, depth));
          return Json{{v->name, std::move(fs)}};
        } else if constexpr (std::is_same_v<D, TypeDefSequence>) {
          auto n = codec::decode_length(d);
          if (!n) return codec_fail(path, n.error());
          return sequence(def.type.value, n.value(), d, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefArray>) {
          return sequence(def.type.value, def.len, d, path, depth);
        } else if constexpr (std::is_same_v<D, TypeDefTuple>) {
          if (def.fields.empty()) return Json(nullptr);
          Json out = Json::array();
          for (std::size_t i = 0; i < def.fields.size(); ++i) {
            BAZAAR_TRY(auto v, value(def.fields[i].value, d, path + "[" + std::to_string(i) + "]", depth + 1));
            out.push_back(std::move(v));
          }
          return out;
        } else if constexpr (std::is_same_v<D, TypeDefPrimitive>) {
          return primitive(def.primitive, d, path);
        } else if constexpr (std::is_same_v<D, TypeDefCompact>) {
          return compact(def.type.value, d, path, depth + 1);
        } else {
          return fail(DynamicError::Unsupported, path + ": bit sequences are not supported");
        }
      },
      t->def);
}

}  // namespace

DynamicResult<Json> decode_value(const Registry& registry, uint32_t type_id, codec::Decoder& d,
                                 const DecodeOptions& options) {
  return Reader{registry, options}.value(type_id, d, "value", 0);
}

DynamicResult<Json> decode_value(const Registry& registry, uint32_t type_id, ByteSpan bytes,
                                 const DecodeOptions& options) {
  codec::Decoder d(bytes);
  BAZAAR_TRY(auto v, decode_value(registry, type_id, d, options));
  if (!d.at_end()) return bad_value("value", std::to_string(d.remaining()) + " bytes left over after the value");
  return v;
}

DynamicResult<Json> decode_fields(const Registry& registry, const std::vector<Field>& fields, codec::Decoder& d,
                                  const DecodeOptions& options, const std::string& path) {
  return Reader{registry, options}.fields(fields, d, path, 0);
}

}  // namespace bazaar::runtime::metadata
