#pragma once
// Builds a scale-info PortableRegistry (metadata V14 `types`) from C++ types.
//
//   TypeRegistry r;
//   TypeId id = r.id_of<credits::Call>();   // registers the type and everything it uses
//   std::vector<PortableType> types = r.types();
//
// What a C++ type looks like in the registry comes from `TypeInfo<T>`, which
// has either
//   static Type type(TypeRegistry&);   // the type's path, params, def and docs
// or
//   using As = U;                      // T is described exactly as U (same id)
// Provided here, mirroring what the SCALE codec (runtime/codec/scale.hpp) encodes:
//   bool, u8..u128, i8..i64        Primitive
//   std::string                    Primitive Str
//   Compact<T>                     Compact
//   std::vector<T>                 Sequence (BoundedVec<T, N> as std::vector<T>)
//   std::array<T, N>               Array (FixedBytes<N, Tag> as std::array<u8, N>)
//   std::optional<T>               Variant `Option<T>`: None 0 / Some(T) 1
//   ScaleResult<T, E>              Variant `Result<T, E>`: Ok(T) 0 / Err(E) 1
//   std::tuple / std::pair         Tuple (std::monostate and std::tuple<> are `()`)
//   Box<T>                         as T
//   described structs              Composite with the described fields, in order
//   described enums                Variant without fields, index = enumerator value
//   std::variant of structs        Variant: name = the struct's kName (else its C++
//                                  name), index = its kIndex (else its position,
//                                  as the codec), fields = its described members,
//                                  docs = its kDocs
// A type with no TypeInfo is a compile-time error, so nothing is silently skipped.
//
// Paths (the Rust-like name clients key on) come from the C++ namespaces of
// the type (boost::core::type_name, template arguments dropped), unless
// `TypePath<T>` is specialised with `static std::vector<std::string> path()`.
// Field names drop a trailing underscore (`new_` -> `new`, `class_` -> `class`).
// Field `type_name`s left unset are filled in by types() from the field's
// type ("Vec<u8>", "Compact<u128>", "AccountId32", "Option<u32>").
//
// Enumerator docs: a described enum E gets per-variant docs when a function
// `std::string_view metadata_docs(E)` is declared next to it (found by ADL).
//
// Ids are handed out in registration order (a type before the types it
// uses), once per C++ type; recursive types (a call that carries a call)
// refer to the id reserved on entry.

#include "runtime/codec/box.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/metadata/v14.hpp"

#include <boost/core/type_name.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace bazaar::runtime::metadata {

class TypeRegistry;

/// How T appears in the registry; specialise for types the generic rules do not cover.
template <class T, class Enable = void>
struct TypeInfo;

/// Specialise (`static std::vector<std::string> path();`) to give a struct,
/// enum or variant a path other than its C++ namespaces.
template <class T, class Enable = void>
struct TypePath {};

// ---- helpers for writing TypeInfo specialisations ----------------------------

/// "sp_core::crypto::AccountId32" -> {"sp_core", "crypto", "AccountId32"}; "" -> {}.
std::vector<std::string> split_path(std::string_view rust_path);
/// The path derived from a C++ type name: namespaces and name, template
/// arguments and anonymous namespaces dropped.
std::vector<std::string> path_from_cpp_name(std::string_view cpp_name);
/// The last segment of path_from_cpp_name (a variant's default name).
std::string short_cpp_name(std::string_view cpp_name);
/// A C++ member name as a metadata field name: a trailing '_' dropped.
std::string field_name(std::string_view member);

Field named_field(std::string name, TypeId type, std::optional<std::string> type_name = std::nullopt);
Field unnamed_field(TypeId type, std::optional<std::string> type_name = std::nullopt);
Type composite_type(std::vector<std::string> path, std::vector<Field> fields, std::vector<TypeParameter> params = {});
Type variant_type(std::vector<std::string> path, std::vector<Variant> variants, std::vector<TypeParameter> params = {});
Type primitive_type(Primitive p);

template <class T>
concept HasTypeAlias = requires { typename TypeInfo<T>::As; };

template <class T>
concept HasTypePath = requires { { TypePath<T>::path() } -> std::convertible_to<std::vector<std::string>>; };

template <class T>
concept HasTypeInfo = HasTypeAlias<T> || requires(TypeRegistry& r) { { TypeInfo<T>::type(r) } -> std::same_as<Type>; };

template <class E>
concept HasEnumDocs = requires(E e) { { metadata_docs(e) } -> std::convertible_to<std::string_view>; };

/// The path of a struct, enum or variant: TypePath<T> if given, else from its C++ name.
template <class T>
std::vector<std::string> path_of() {
  if constexpr (HasTypePath<T>) {
    return TypePath<T>::path();
  } else {
    return path_from_cpp_name(boost::core::type_name<T>());
  }
}

/// Collects a PortableRegistry; each C++ type (after `As` aliases) gets one id.
class TypeRegistry {
 public:
  /// Registers T (and, recursively, the types it uses) once; returns its id.
  template <class T>
  TypeId id_of() {
    using U = std::remove_cvref_t<T>;
    static_assert(HasTypeInfo<U>, "no TypeInfo<T> for this type: specialise runtime::metadata::TypeInfo");
    if constexpr (HasTypeAlias<U>) {
      return id_of<typename TypeInfo<U>::As>();
    } else {
      const std::type_index key(typeid(U));
      if (auto it = m_ids.find(key); it != m_ids.end()) return TypeId{it->second};
      const auto id = static_cast<uint32_t>(m_types.size());
      m_types.emplace_back();  // reserved: a recursive use sees this id
      m_ids.emplace(key, id);
      Type t = TypeInfo<U>::type(*this);
      m_types[id] = std::move(t);
      return TypeId{id};
    }
  }

  /// The registry: every type with its id (= position), field type names filled in.
  std::vector<PortableType> types() const;
  /// Number of types registered so far.
  std::size_t size() const { return m_types.size(); }
  /// The type with id `id` (as registered, type names not filled in). Precondition: id < size().
  const Type& type(uint32_t id) const { return *m_types.at(id); }
  /// A Rust-like display name of a registered type: "u32", "Vec<u8>", "[u8; 32]",
  /// "Compact<u128>", "(u32, bool)", "Option<u32>", "AccountId32"; nullopt for an
  /// anonymous composite or variant.
  std::optional<std::string> display_name(uint32_t id) const;

 private:
  std::unordered_map<std::type_index, uint32_t> m_ids;
  std::vector<std::optional<Type>> m_types;
};

/// The same display name for a type of a finished registry (e.g. decoded metadata).
std::optional<std::string> display_name(const std::vector<PortableType>& types, uint32_t id);

// ---- primitives --------------------------------------------------------------

namespace detail {
template <Primitive P>
struct PrimitiveInfo {
  static Type type(TypeRegistry&) { return primitive_type(P); }
};
}  // namespace detail

template <> struct TypeInfo<bool> : detail::PrimitiveInfo<Primitive::Bool> {};
template <> struct TypeInfo<uint8_t> : detail::PrimitiveInfo<Primitive::U8> {};
template <> struct TypeInfo<uint16_t> : detail::PrimitiveInfo<Primitive::U16> {};
template <> struct TypeInfo<uint32_t> : detail::PrimitiveInfo<Primitive::U32> {};
template <> struct TypeInfo<uint64_t> : detail::PrimitiveInfo<Primitive::U64> {};
template <> struct TypeInfo<u128> : detail::PrimitiveInfo<Primitive::U128> {};
template <> struct TypeInfo<int8_t> : detail::PrimitiveInfo<Primitive::I8> {};
template <> struct TypeInfo<int16_t> : detail::PrimitiveInfo<Primitive::I16> {};
template <> struct TypeInfo<int32_t> : detail::PrimitiveInfo<Primitive::I32> {};
template <> struct TypeInfo<int64_t> : detail::PrimitiveInfo<Primitive::I64> {};
template <> struct TypeInfo<std::string> : detail::PrimitiveInfo<Primitive::Str> {};

// ---- containers ----------------------------------------------------------------

template <class T>
struct TypeInfo<codec::Compact<T>> {
  static Type type(TypeRegistry& r) { return Type{{}, {}, TypeDefCompact{r.id_of<T>()}, {}}; }
};

template <class T>
struct TypeInfo<std::vector<T>> {
  static Type type(TypeRegistry& r) { return Type{{}, {}, TypeDefSequence{r.id_of<T>()}, {}}; }
};

template <class T, std::size_t N>
struct TypeInfo<codec::BoundedVec<T, N>> {
  using As = std::vector<T>;
};

template <class T, std::size_t N>
struct TypeInfo<std::array<T, N>> {
  static Type type(TypeRegistry& r) { return Type{{}, {}, TypeDefArray{static_cast<uint32_t>(N), r.id_of<T>()}, {}}; }
};

template <std::size_t N, class Tag>
struct TypeInfo<FixedBytes<N, Tag>> {
  using As = std::array<uint8_t, N>;
};

template <class T>
struct TypeInfo<codec::Box<T>> {
  using As = T;
};

template <class T>
struct TypeInfo<std::optional<T>> {
  static Type type(TypeRegistry& r) {
    const TypeId t = r.id_of<T>();
    return variant_type({"Option"}, {Variant{"None", {}, 0, {}}, Variant{"Some", {unnamed_field(t)}, 1, {}}},
                        {TypeParameter{"T", t}});
  }
};

template <class T, class E>
struct TypeInfo<codec::ScaleResult<T, E>> {
  static Type type(TypeRegistry& r) {
    const TypeId t = r.id_of<T>();
    const TypeId e = r.id_of<E>();
    return variant_type({"Result"},
                        {Variant{"Ok", {unnamed_field(t)}, 0, {}}, Variant{"Err", {unnamed_field(e)}, 1, {}}},
                        {TypeParameter{"T", t}, TypeParameter{"E", e}});
  }
};

template <class... Ts>
struct TypeInfo<std::tuple<Ts...>> {
  static Type type(TypeRegistry& r) {
    std::vector<TypeId> ids;
    (ids.push_back(r.id_of<Ts>()), ...);
    return Type{{}, {}, TypeDefTuple{std::move(ids)}, {}};
  }
};

template <class A, class B>
struct TypeInfo<std::pair<A, B>> {
  using As = std::tuple<A, B>;
};

template <>
struct TypeInfo<std::monostate> {
  using As = std::tuple<>;
};

// ---- described structs, described enums, variants -----------------------------

/// The described public members of T as named fields, in declaration order.
template <class T>
std::vector<Field> described_fields(TypeRegistry& r) {
  std::vector<Field> fields;
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto D) {
    using M = std::remove_cvref_t<decltype(std::declval<T&>().*D.pointer)>;
    fields.push_back(named_field(field_name(D.name), r.id_of<M>()));
  });
  return fields;
}

template <codec::DescribedStruct T>
struct TypeInfo<T> {
  static Type type(TypeRegistry& r) { return composite_type(path_of<T>(), described_fields<T>(r)); }
};

template <codec::DescribedEnum E>
struct TypeInfo<E> {
  static Type type(TypeRegistry&) {
    std::vector<Variant> variants;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) {
      static_assert(static_cast<uint64_t>(D.value) <= 0xff, "a SCALE enum index is one byte");
      Variant v{D.name, {}, static_cast<uint8_t>(D.value), {}};
      if constexpr (HasEnumDocs<E>) {
        if (std::string_view d = metadata_docs(D.value); !d.empty()) v.docs.emplace_back(d);
      }
      variants.push_back(std::move(v));
    });
    return variant_type(path_of<E>(), std::move(variants));
  }
};

/// One alternative of a std::variant as a metadata Variant.
template <class V, std::size_t I>
Variant variant_of(TypeRegistry& r) {
  using Alt = std::variant_alternative_t<I, V>;
  static_assert(codec::DescribedStruct<Alt>,
                "a variant alternative needs BOOST_DESCRIBE_STRUCT (or give the variant its own TypeInfo)");
  Variant v;
  if constexpr (requires { Alt::kName; }) {
    v.name = std::string(Alt::kName);
  } else {
    v.name = short_cpp_name(boost::core::type_name<Alt>());
  }
  v.fields = described_fields<Alt>(r);
  v.index = codec::variant_index<V, I>();
  if constexpr (requires { Alt::kDocs; }) {
    if (!std::string_view(Alt::kDocs).empty()) v.docs.emplace_back(Alt::kDocs);
  }
  return v;
}

template <class... Ts>
struct TypeInfo<std::variant<Ts...>> {
  using V = std::variant<Ts...>;
  static Type type(TypeRegistry& r) {
    std::vector<Variant> variants;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<sizeof...(Ts)>>(
        [&](auto I) { variants.push_back(variant_of<V, I>(r)); });
    std::vector<std::string> path;
    if constexpr (HasTypePath<V>) path = TypePath<V>::path();
    return variant_type(std::move(path), std::move(variants));
  }
};

}  // namespace bazaar::runtime::metadata
