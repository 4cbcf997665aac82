#pragma once
// TypeInfo for the runtime's Substrate types, with Substrate's exact paths and
// shapes where @polkadot/api keys on them (shared/spec/polkadot-js-compat.md
// §3.1): AccountId32, H256, Weight, MultiAddress, MultiSignature, Era,
// DispatchError (+ ModuleError, TokenError, ArithmeticError,
// TransactionalError), DispatchInfo, DispatchClass, Pays and Phase.
// Sources: polkadot-sdk substrate/primitives/{core,runtime,weights,arithmetic},
// substrate/frame/{support,system}. Each hand-written description is checked
// at compile time against the C++ type the codec encodes.

#include "runtime/framework/context.hpp"
#include "runtime/framework/dispatch.hpp"
#include "runtime/metadata/type_registry.hpp"
#include "runtime/primitives/era.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "runtime/primitives/types.hpp"

#include <type_traits>

namespace bazaar::runtime::metadata {

namespace detail {
/// The type of a described member, from its descriptor.
template <class P>
struct MemberOf;
template <class C, class M>
struct MemberOf<M C::*> {
  using type = M;
};
template <class D>
using member_t = typename MemberOf<std::remove_cv_t<decltype(D::pointer)>>::type;
/// The types of T's described public members, as an mp_list.
template <class T>
using member_types = boost::mp11::mp_rename<
    boost::mp11::mp_transform<member_t, boost::describe::describe_members<T, boost::describe::mod_public>>,
    boost::mp11::mp_list>;

/// A variant whose alternatives' described members become unnamed fields (Rust tuple variants).
template <class V>
std::vector<Variant> tuple_variants(TypeRegistry& r) {
  std::vector<Variant> out;
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<V>>>([&](auto I) {
    Variant v = variant_of<V, I>(r);
    for (auto& f : v.fields) f.name.reset();
    out.push_back(std::move(v));
  });
  return out;
}
}  // namespace detail

/// sp_core::crypto::AccountId32([u8; 32]).
template <>
struct TypeInfo<AccountId32> {
  static Type type(TypeRegistry& r) {
    return composite_type(split_path("sp_core::crypto::AccountId32"),
                          {unnamed_field(r.id_of<std::array<uint8_t, 32>>(), "[u8; 32]")});
  }
};

/// primitive_types::H256([u8; 32]).
template <>
struct TypeInfo<H256> {
  static Type type(TypeRegistry& r) {
    return composite_type(split_path("primitive_types::H256"),
                          {unnamed_field(r.id_of<std::array<uint8_t, 32>>(), "[u8; 32]")});
  }
};

/// sp_weights::weight_v2::Weight { ref_time: Compact<u64>, proof_size: Compact<u64> } (the codec of types.hpp).
template <>
struct TypeInfo<Weight> {
  static Type type(TypeRegistry& r) {
    const TypeId c = r.id_of<codec::Compact<uint64_t>>();
    return composite_type(split_path("sp_weights::weight_v2::Weight"),
                          {named_field("ref_time", c, "u64"), named_field("proof_size", c, "u64")});
  }
};

/// sp_runtime::multiaddress::MultiAddress<AccountId32, u32>: Id 0, Index 1, Raw 2, Address32 3, Address20 4.
template <>
struct TypeInfo<MultiAddress> {
  static_assert(MultiAddressId::kIndex == 0 && MultiAddressIndex::kIndex == 1 && MultiAddressRaw::kIndex == 2 &&
                MultiAddress32::kIndex == 3 && MultiAddress20::kIndex == 4);
  static_assert(std::is_same_v<detail::member_types<MultiAddressId>, boost::mp11::mp_list<AccountId32>>);
  static_assert(std::is_same_v<detail::member_types<MultiAddressIndex>, boost::mp11::mp_list<Compact<uint32_t>>>);
  static_assert(std::is_same_v<detail::member_types<MultiAddressRaw>, boost::mp11::mp_list<Bytes>>);
  static_assert(std::is_same_v<detail::member_types<MultiAddress32>, boost::mp11::mp_list<std::array<uint8_t, 32>>>);
  static_assert(std::is_same_v<detail::member_types<MultiAddress20>, boost::mp11::mp_list<std::array<uint8_t, 20>>>);
  static Type type(TypeRegistry& r) {
    const TypeId account = r.id_of<AccountId32>();
    const TypeId index = r.id_of<uint32_t>();
    return variant_type(split_path("sp_runtime::multiaddress::MultiAddress"),
                        {Variant{"Id", {unnamed_field(account, "AccountId")}, 0, {}},
                         Variant{"Index", {unnamed_field(r.id_of<Compact<uint32_t>>(), "AccountIndex")}, 1, {}},
                         Variant{"Raw", {unnamed_field(r.id_of<Bytes>(), "Vec<u8>")}, 2, {}},
                         Variant{"Address32", {unnamed_field(r.id_of<std::array<uint8_t, 32>>(), "[u8; 32]")}, 3, {}},
                         Variant{"Address20", {unnamed_field(r.id_of<std::array<uint8_t, 20>>(), "[u8; 20]")}, 4, {}}},
                        {TypeParameter{"AccountId", account}, TypeParameter{"AccountIndex", index}});
  }
};

/// sp_runtime::MultiSignature: Ed25519([u8; 64]) 0, Sr25519([u8; 64]) 1, Ecdsa([u8; 65]) 2.
template <>
struct TypeInfo<MultiSignature> {
  static_assert(MultiSignatureEd25519::kIndex == 0 && MultiSignatureSr25519::kIndex == 1 &&
                MultiSignatureEcdsa::kIndex == 2);
  static_assert(sizeof(decltype(MultiSignatureEd25519::signature)) == 64 &&
                sizeof(decltype(MultiSignatureSr25519::signature)) == 64 &&
                sizeof(decltype(MultiSignatureEcdsa::signature)) == 65);
  static Type type(TypeRegistry& r) {
    const TypeId sig64 = r.id_of<std::array<uint8_t, 64>>();
    const TypeId sig65 = r.id_of<std::array<uint8_t, 65>>();
    return variant_type(split_path("sp_runtime::MultiSignature"),
                        {Variant{"Ed25519", {unnamed_field(sig64, "ed25519::Signature")}, 0, {}},
                         Variant{"Sr25519", {unnamed_field(sig64, "sr25519::Signature")}, 1, {}},
                         Variant{"Ecdsa", {unnamed_field(sig65, "ecdsa::Signature")}, 2, {}}});
  }
};

/// sp_runtime::generic::era::Era: Immortal 0 (one byte), MortalN(u8) N = 1..255
/// (the first byte of the u16 LE; its second byte is the variant's field).
template <>
struct TypeInfo<Era> {
  static Type type(TypeRegistry& r) {
    const TypeId u8 = r.id_of<uint8_t>();
    std::vector<Variant> variants{Variant{"Immortal", {}, 0, {}}};
    for (int n = 1; n <= 255; ++n) {
      variants.push_back(Variant{"Mortal" + std::to_string(n), {unnamed_field(u8)}, static_cast<uint8_t>(n), {}});
    }
    return variant_type(split_path("sp_runtime::generic::era::Era"), std::move(variants));
  }
};

template <>
struct TypePath<framework::dispatch_error::Module> {
  static std::vector<std::string> path() { return split_path("sp_runtime::ModuleError"); }
};
template <>
struct TypePath<framework::TokenError> {
  static std::vector<std::string> path() { return split_path("sp_runtime::TokenError"); }
};
template <>
struct TypePath<framework::ArithmeticError> {
  static std::vector<std::string> path() { return split_path("sp_arithmetic::ArithmeticError"); }
};
template <>
struct TypePath<framework::TransactionalError> {
  static std::vector<std::string> path() { return split_path("sp_runtime::TransactionalError"); }
};

/// sp_runtime::DispatchError: tuple variants in the codec's order and indices;
/// Module carries one sp_runtime::ModuleError { index: u8, error: [u8; 4] }.
template <>
struct TypeInfo<framework::DispatchError> {
  using V = framework::DispatchError::Variant;
  static Type type(TypeRegistry& r) {
    std::vector<Variant> variants;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<V>>>([&](auto I) {
      using Alt = std::variant_alternative_t<I, V>;
      if constexpr (std::is_same_v<Alt, framework::dispatch_error::Module>) {
        variants.push_back(Variant{std::string(Alt::kName), {unnamed_field(r.id_of<Alt>(), "ModuleError")},
                                   codec::variant_index<V, I>(), {}});
      } else {
        Variant v = variant_of<V, I>(r);
        for (auto& f : v.fields) f.name.reset();
        variants.push_back(std::move(v));
      }
    });
    return variant_type(split_path("sp_runtime::DispatchError"), std::move(variants));
  }
};

template <>
struct TypePath<framework::DispatchInfo> {
  static std::vector<std::string> path() { return split_path("frame_support::dispatch::DispatchInfo"); }
};
template <>
struct TypePath<framework::DispatchClass> {
  static std::vector<std::string> path() { return split_path("frame_support::dispatch::DispatchClass"); }
};
template <>
struct TypePath<framework::Pays> {
  static std::vector<std::string> path() { return split_path("frame_support::dispatch::Pays"); }
};

/// frame_system::Phase: ApplyExtrinsic(u32) 0, Finalization 1, Initialization 2.
template <>
struct TypeInfo<framework::Phase> {
  static_assert(std::is_same_v<detail::member_types<framework::phase::ApplyExtrinsic>, boost::mp11::mp_list<uint32_t>>);
  static Type type(TypeRegistry& r) {
    return variant_type(split_path("frame_system::Phase"), detail::tuple_variants<framework::Phase>(r));
  }
};

}  // namespace bazaar::runtime::metadata
