#include "runtime/metadata/type_registry.hpp"

namespace bazaar::runtime::metadata {

namespace {

/// Splits at "::" outside angle brackets and parentheses, dropping template arguments.
std::vector<std::string> split_cpp_segments(std::string_view name) {
  std::vector<std::string> out;
  std::string current;
  int angle = 0;
  int paren = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '<') ++angle;
    if (c == '>') --angle;
    if (c == '<' || c == '>' || angle > 0) continue;
    if (c == '(') ++paren;
    if (c == ')') --paren;
    if (paren == 0 && c == ':' && i + 1 < name.size() && name[i + 1] == ':') {
      out.push_back(std::move(current));
      current.clear();
      ++i;
      continue;
    }
    current.push_back(c);
  }
  out.push_back(std::move(current));
  std::vector<std::string> kept;
  for (auto& s : out) {
    // "(anonymous namespace)" and the like are no path segments.
    if (!s.empty() && s.front() != '(') kept.push_back(std::move(s));
  }
  return kept;
}

const char* primitive_name(Primitive p) {
  switch (p) {
    case Primitive::Bool: return "bool";
    case Primitive::Char: return "char";
    case Primitive::Str: return "String";
    case Primitive::U8: return "u8";
    case Primitive::U16: return "u16";
    case Primitive::U32: return "u32";
    case Primitive::U64: return "u64";
    case Primitive::U128: return "u128";
    case Primitive::U256: return "u256";
    case Primitive::I8: return "i8";
    case Primitive::I16: return "i16";
    case Primitive::I32: return "i32";
    case Primitive::I64: return "i64";
    case Primitive::I128: return "i128";
    case Primitive::I256: return "i256";
  }
  return "?";
}

/// Display names nest at most this deep (a guard for pathological recursion through params).
constexpr int kMaxNameDepth = 8;

}  // namespace

std::vector<std::string> split_path(std::string_view rust_path) {
  std::vector<std::string> out;
  if (rust_path.empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto pos = rust_path.find("::", start);
    out.emplace_back(rust_path.substr(start, pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 2;
  }
  return out;
}

std::vector<std::string> path_from_cpp_name(std::string_view cpp_name) { return split_cpp_segments(cpp_name); }

std::string short_cpp_name(std::string_view cpp_name) {
  auto segments = split_cpp_segments(cpp_name);
  return segments.empty() ? std::string(cpp_name) : segments.back();
}

std::string field_name(std::string_view member) {
  if (member.size() > 1 && member.back() == '_') member.remove_suffix(1);
  return std::string(member);
}

Field named_field(std::string name, TypeId type, std::optional<std::string> type_name) {
  return Field{std::move(name), type, std::move(type_name), {}};
}

Field unnamed_field(TypeId type, std::optional<std::string> type_name) {
  return Field{std::nullopt, type, std::move(type_name), {}};
}

Type composite_type(std::vector<std::string> path, std::vector<Field> fields, std::vector<TypeParameter> params) {
  return Type{std::move(path), std::move(params), TypeDefComposite{std::move(fields)}, {}};
}

Type variant_type(std::vector<std::string> path, std::vector<Variant> variants, std::vector<TypeParameter> params) {
  return Type{std::move(path), std::move(params), TypeDefVariant{std::move(variants)}, {}};
}

Type primitive_type(Primitive p) { return Type{{}, {}, TypeDefPrimitive{p}, {}}; }

namespace {

/// Display name of type `id`; `lookup(id)` gives the type or nullptr.
template <class Lookup>
std::optional<std::string> display_name_impl(const Lookup& lookup, uint32_t id, int depth) {
  const Type* type = lookup(id);
  if (!type || depth > kMaxNameDepth) return std::nullopt;
  const Type& t = *type;
  auto inner = [&](const TypeId& x) { return display_name_impl(lookup, x.value, depth + 1).value_or("_"); };
  return std::visit(
      [&](const auto& def) -> std::optional<std::string> {
        using D = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<D, TypeDefPrimitive>) {
          return primitive_name(def.primitive);
        } else if constexpr (std::is_same_v<D, TypeDefSequence>) {
          return "Vec<" + inner(def.type) + ">";
        } else if constexpr (std::is_same_v<D, TypeDefArray>) {
          return "[" + inner(def.type) + "; " + std::to_string(def.len) + "]";
        } else if constexpr (std::is_same_v<D, TypeDefCompact>) {
          return "Compact<" + inner(def.type) + ">";
        } else if constexpr (std::is_same_v<D, TypeDefTuple>) {
          std::string s = "(";
          for (std::size_t i = 0; i < def.fields.size(); ++i) s += (i ? ", " : "") + inner(def.fields[i]);
          return s + ")";
        } else if constexpr (std::is_same_v<D, TypeDefBitSequence>) {
          return "BitVec<" + inner(def.bit_store_type) + ", " + inner(def.bit_order_type) + ">";
        } else {
          if (t.path.empty()) return std::nullopt;
          std::string s = t.path.back();
          if (!t.params.empty()) {
            s += "<";
            for (std::size_t i = 0; i < t.params.size(); ++i) {
              const auto& p = t.params[i];
              s += (i ? ", " : "") + (p.type ? inner(*p.type) : p.name);
            }
            s += ">";
          }
          return s;
        }
      },
      t.def);
}

}  // namespace

std::optional<std::string> display_name(const std::vector<PortableType>& types, uint32_t id) {
  return display_name_impl(
      [&](uint32_t i) -> const Type* {
        if (i < types.size() && types[i].id.value == i) return &types[i].type;
        for (const auto& t : types) {
          if (t.id.value == i) return &t.type;
        }
        return nullptr;
      },
      id, 0);
}

std::optional<std::string> TypeRegistry::display_name(uint32_t id) const {
  return display_name_impl(
      [&](uint32_t i) -> const Type* { return i < m_types.size() && m_types[i] ? &*m_types[i] : nullptr; }, id, 0);
}

std::vector<PortableType> TypeRegistry::types() const {
  std::vector<PortableType> out;
  out.reserve(m_types.size());
  auto fill = [&](std::vector<Field>& fields) {
    for (auto& f : fields) {
      if (!f.type_name) f.type_name = display_name(f.type.value);
    }
  };
  for (uint32_t id = 0; id < m_types.size(); ++id) {
    Type t = *m_types[id];
    if (auto* c = std::get_if<TypeDefComposite>(&t.def)) fill(c->fields);
    if (auto* v = std::get_if<TypeDefVariant>(&t.def)) {
      for (auto& variant : v->variants) fill(variant.fields);
    }
    out.push_back(PortableType{TypeId{id}, std::move(t)});
  }
  return out;
}

}  // namespace bazaar::runtime::metadata
