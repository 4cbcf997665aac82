#include "modules/composition/metadata.hpp"

#include "modules/composition/runtime.hpp"
#include "runtime/metadata/extrinsic.hpp"
#include "runtime/metadata/substrate_types.hpp"
#include "runtime/metadata/type_registry.hpp"

#include <boost/mp11/algorithm.hpp>

// The module declarations' types as the registry sees them (TypeInfo /
// TypePath specialisations live in the registry's namespace).
namespace bazaar::runtime::metadata {

namespace composition = modules::composition;
using boost::mp11::mp_find;
using boost::mp11::mp_list;
using boost::mp11::mp_transform;

namespace detail {
template <class M>
using CallOf = typename M::Call;
template <class M>
using EventOf = typename M::Event;
template <class M>
using ErrorOf = typename M::Error;
using CallTypes = mp_transform<CallOf, composition::CallModules>;
using EventTypes = mp_transform<EventOf, composition::EventModules>;
using ErrorTypes = mp_transform<ErrorOf, composition::Modules>;

/// The Rust crate a module's types live in: frame_system for System (as in
/// FRAME), else pallet_<the module's C++ namespace>, e.g. pallet_task_queue.
template <class M>
std::string crate_of() {
  const auto segments = path_from_cpp_name(boost::core::type_name<M>());  // bazaar, modules, <ns>, Module
  const std::string ns = segments.size() >= 2 ? segments[segments.size() - 2] : std::string(M::kName);
  return ns == "system" ? "frame_system" : "pallet_" + ns;
}

template <class T>
concept ModuleCallType = boost::mp11::mp_contains<CallTypes, T>::value;
template <class T>
concept ModuleEventType = boost::mp11::mp_contains<EventTypes, T>::value;
template <class T>
concept ModuleErrorType = boost::mp11::mp_contains<ErrorTypes, T>::value;
}  // namespace detail

/// A module's Call / Event / Error: `<crate>::pallet::Call` etc., as FRAME names them.
template <detail::ModuleCallType T>
struct TypePath<T> {
  using M = boost::mp11::mp_at<composition::CallModules, mp_find<detail::CallTypes, T>>;
  static std::vector<std::string> path() { return {detail::crate_of<M>(), "pallet", "Call"}; }
};
template <detail::ModuleEventType T>
struct TypePath<T> {
  using M = boost::mp11::mp_at<composition::EventModules, mp_find<detail::EventTypes, T>>;
  static std::vector<std::string> path() { return {detail::crate_of<M>(), "pallet", "Event"}; }
};
template <detail::ModuleErrorType T>
struct TypePath<T> {
  using M = boost::mp11::mp_at<composition::Modules, mp_find<detail::ErrorTypes, T>>;
  static std::vector<std::string> path() { return {detail::crate_of<M>(), "pallet", "Error"}; }
};

/// Marks pallet_balances::types::ExtraFlags(u128), the type of AccountData::flags.
struct ExtraFlags {};
template <>
struct TypeInfo<ExtraFlags> {
  static Type type(TypeRegistry& r) {
    return composite_type(split_path("pallet_balances::types::ExtraFlags"), {unnamed_field(r.id_of<u128>(), "u128")});
  }
};

/// pallet_balances::types::AccountData<Balance> { free, reserved, frozen, flags: ExtraFlags }.
template <>
struct TypeInfo<modules::system::AccountData> {
  using AccountData = modules::system::AccountData;
  static_assert(std::is_same_v<detail::member_types<AccountData>, mp_list<Balance, Balance, Balance, Balance>>);
  static Type type(TypeRegistry& r) {
    const TypeId balance = r.id_of<Balance>();
    return composite_type(split_path("pallet_balances::types::AccountData"),
                          {named_field("free", balance, "Balance"), named_field("reserved", balance, "Balance"),
                           named_field("frozen", balance, "Balance"),
                           named_field("flags", r.id_of<ExtraFlags>(), "ExtraFlags")},
                          {TypeParameter{"Balance", balance}});
  }
};

/// frame_system::AccountInfo<Nonce, AccountData> with the described fields (nonce first).
template <>
struct TypeInfo<modules::system::AccountInfo> {
  using AccountInfo = modules::system::AccountInfo;
  static Type type(TypeRegistry& r) {
    const TypeId nonce = r.id_of<Nonce>();
    const TypeId data = r.id_of<modules::system::AccountData>();
    return composite_type(split_path("frame_system::AccountInfo"), described_fields<AccountInfo>(r),
                          {TypeParameter{"Nonce", nonce}, TypeParameter{"AccountData", data}});
  }
};

/// frame_system::EventRecord<RuntimeEvent, H256> { phase, event, topics }.
template <>
struct TypeInfo<composition::EventRecord> {
  static Type type(TypeRegistry& r) {
    const TypeId e = r.id_of<composition::RuntimeEvent>();
    const TypeId t = r.id_of<H256>();
    return composite_type(split_path("frame_system::EventRecord"), described_fields<composition::EventRecord>(r),
                          {TypeParameter{"E", e}, TypeParameter{"T", t}});
  }
};
/// System.Events holds encoded EventRecords.
template <>
struct TypeInfo<framework::RawEventRecord> {
  using As = composition::EventRecord;
};

namespace detail {
/// The outer enum over modules Ms: variant name = module name, index = module
/// index, one unnamed field = the module's type Inner<M> (as construct_runtime).
template <class Ms, template <class> class Inner>
std::vector<Variant> outer_variants(TypeRegistry& r) {
  std::vector<Variant> out;
  boost::mp11::mp_for_each<mp_transform<boost::mp11::mp_identity, Ms>>([&](auto id) {
    using M = typename decltype(id)::type;
    out.push_back(Variant{std::string(M::kName), {unnamed_field(r.id_of<Inner<M>>())}, M::kIndex, {}});
  });
  return out;
}
}  // namespace detail

/// bazaar_runtime::RuntimeCall: Module(module's Call) per module with calls.
template <>
struct TypeInfo<composition::RuntimeCall> {
  static Type type(TypeRegistry& r) {
    return variant_type(split_path("bazaar_runtime::RuntimeCall"),
                        detail::outer_variants<composition::CallModules, detail::CallOf>(r));
  }
};
/// bazaar_runtime::RuntimeEvent: Module(module's Event) per module with events.
template <>
struct TypeInfo<composition::RuntimeEvent> {
  static Type type(TypeRegistry& r) {
    return variant_type(split_path("bazaar_runtime::RuntimeEvent"),
                        detail::outer_variants<composition::EventModules, detail::EventOf>(r));
  }
};

/// The runtime itself (metadata `ty`): bazaar_runtime::Runtime, no fields.
struct RuntimeMarker {};
template <>
struct TypeInfo<RuntimeMarker> {
  static Type type(TypeRegistry&) { return composite_type(split_path("bazaar_runtime::Runtime"), {}); }
};

}  // namespace bazaar::runtime::metadata

namespace bazaar::modules::composition {

namespace {

namespace md = runtime::metadata;
using md::TypeRegistry;

md::StorageHasher hasher_of(runtime::storage::Hasher h) {
  static_assert(static_cast<uint8_t>(runtime::storage::Hasher::Blake2_128Concat) ==
                    static_cast<uint8_t>(md::StorageHasher::Blake2_128Concat) &&
                static_cast<uint8_t>(runtime::storage::Hasher::Twox64Concat) ==
                    static_cast<uint8_t>(md::StorageHasher::Twox64Concat) &&
                static_cast<uint8_t>(runtime::storage::Hasher::Identity) ==
                    static_cast<uint8_t>(md::StorageHasher::Identity));
  return static_cast<md::StorageHasher>(static_cast<uint8_t>(h));
}

std::vector<std::string> docs_of(std::string_view docs) {
  if (docs.empty()) return {};
  return {std::string(docs)};
}

/// One storage item: modifier from its QueryKind; the default is SCALE(V{})
/// for ValueQuery and SCALE(None) = 0x00 for OptionQuery, as FRAME's OnEmpty.
template <class Module, class Item>
md::StorageEntry storage_entry(TypeRegistry& r) {
  static_assert(Item::kModule == Module::kName, "a module's storage items carry its name as their prefix");
  using V = typename Item::Value;
  md::StorageEntry e;
  e.name = std::string(Item::kItem);
  if constexpr (std::is_same_v<typename Item::QueryKind, ValueQuery>) {
    e.modifier = md::StorageEntryModifier::Default;
    e.default_value = runtime::codec::encode(V{});
  } else {
    static_assert(std::is_same_v<typename Item::QueryKind, OptionQuery>);
    e.modifier = md::StorageEntryModifier::Optional;
    e.default_value = runtime::codec::encode(std::optional<V>{});
  }
  if constexpr (requires { typename Item::Key1; }) {
    const auto key = r.id_of<std::tuple<typename Item::Key1, typename Item::Key2>>();
    e.type = md::StorageEntryMap{{hasher_of(Item::kHasher1), hasher_of(Item::kHasher2)}, key, r.id_of<V>()};
  } else if constexpr (requires { typename Item::Key; }) {
    const auto key = r.id_of<typename Item::Key>();
    e.type = md::StorageEntryMap{{hasher_of(Item::kHasher)}, key, r.id_of<V>()};
  } else {
    e.type = md::StorageEntryPlain{r.id_of<V>()};
  }
  e.docs = docs_of(Item::kDocs);
  return e;
}

template <class L, class F>
void for_each_type(F&& f) {
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, L>>(f);
}

template <class M>
md::Pallet pallet_metadata(TypeRegistry& r) {
  md::Pallet p;
  p.name = std::string(M::kName);
  p.index = M::kIndex;
  if constexpr (std::tuple_size_v<typename M::Storage> > 0) {
    md::PalletStorage storage{std::string(M::kName), {}};
    for_each_type<typename M::Storage>(
        [&](auto id) { storage.entries.push_back(storage_entry<M, typename decltype(id)::type>(r)); });
    p.storage = std::move(storage);
  }
  if constexpr (HasCalls<M>::value) p.calls = r.id_of<typename M::Call>();
  if constexpr (HasEvents<M>::value) p.event = r.id_of<typename M::Event>();
  for_each_type<typename M::Constants>([&](auto id) {
    using C = typename decltype(id)::type;
    p.constants.push_back(md::PalletConstant{std::string(C::kName), r.id_of<typename C::Type>(),
                                             runtime::codec::encode(C::kValue), docs_of(C::kDocs)});
  });
  // FRAME leaves `error` out for a pallet without errors.
  if constexpr (boost::mp11::mp_size<boost::describe::describe_enumerators<typename M::Error>>::value > 0) {
    p.error = r.id_of<typename M::Error>();
  }
  return p;
}

md::MetadataV14 build() {
  TypeRegistry r;
  md::MetadataV14 m;
  for_each_type<Modules>([&](auto id) { m.pallets.push_back(pallet_metadata<typename decltype(id)::type>(r)); });
  m.extrinsic = md::extrinsic_metadata<RuntimeCall>(r);
  m.runtime_type = r.id_of<md::RuntimeMarker>();
  m.types = r.types();
  return m;
}

}  // namespace

const runtime::metadata::MetadataV14& metadata_v14() {
  static const runtime::metadata::MetadataV14 metadata = build();
  return metadata;
}

const runtime::Bytes& metadata_v14_bytes() {
  static const runtime::Bytes bytes =
      runtime::codec::encode(runtime::metadata::RuntimeMetadataPrefixed{metadata_v14()});
  return bytes;
}

}  // namespace bazaar::modules::composition
