#pragma once
// The extrinsic section of the metadata: our signed extensions, in the order
// runtime/primitives/extrinsic.hpp encodes them, and the
// sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic type with its
// four params (Address, Call, Signature, Extra), described as Substrate does:
// a Composite with one unnamed Vec<u8> field.
//
// Each extension names the C++ type of its "extra" (carried in the
// extrinsic) and of its "additional signed" data (signed, not sent);
// std::tuple<> is `()`. A compile-time check ties these lists to
// SignedExtra and AdditionalSigned, so the metadata cannot drift from the
// codec. Type paths from polkadot-sdk substrate/frame/system/src/extensions/
// and substrate/frame/transaction-payment/src/lib.rs.

#include "runtime/metadata/substrate_types.hpp"
#include "runtime/storage/keys.hpp"

#include <string_view>

namespace bazaar::runtime::metadata {

namespace extension {

/// One signed extension: its identifier, its Substrate type path, and the
/// types of its extra and additional-signed data.
template <storage::FixedString Identifier, storage::FixedString Path, class ExtraT, class AdditionalT>
struct Extension {
  static constexpr std::string_view kIdentifier = Identifier.view();
  static constexpr std::string_view kPath = Path.view();
  using Extra = ExtraT;
  using Additional = AdditionalT;
};

using Unit = std::tuple<>;
using CheckNonZeroSender = Extension<"CheckNonZeroSender",
                                     "frame_system::extensions::check_non_zero_sender::CheckNonZeroSender", Unit, Unit>;
using CheckSpecVersion =
    Extension<"CheckSpecVersion", "frame_system::extensions::check_spec_version::CheckSpecVersion", Unit, uint32_t>;
using CheckTxVersion =
    Extension<"CheckTxVersion", "frame_system::extensions::check_tx_version::CheckTxVersion", Unit, uint32_t>;
using CheckGenesis = Extension<"CheckGenesis", "frame_system::extensions::check_genesis::CheckGenesis", Unit, H256>;
using CheckMortality =
    Extension<"CheckMortality", "frame_system::extensions::check_mortality::CheckMortality", Era, H256>;
using CheckNonce = Extension<"CheckNonce", "frame_system::extensions::check_nonce::CheckNonce", Compact<Nonce>, Unit>;
using CheckWeight = Extension<"CheckWeight", "frame_system::extensions::check_weight::CheckWeight", Unit, Unit>;
using ChargeTransactionPayment =
    Extension<"ChargeTransactionPayment", "pallet_transaction_payment::ChargeTransactionPayment", Compact<Balance>,
              Unit>;

}  // namespace extension

/// The signed extensions in metadata (= encoding) order.
using SignedExtensions =
    boost::mp11::mp_list<extension::CheckNonZeroSender, extension::CheckSpecVersion, extension::CheckTxVersion,
                         extension::CheckGenesis, extension::CheckMortality, extension::CheckNonce,
                         extension::CheckWeight, extension::ChargeTransactionPayment>;

namespace detail {
template <class E>
using extra_of = typename E::Extra;
template <class E>
using additional_of = typename E::Additional;
template <class T>
using is_unit = std::is_same<T, std::tuple<>>;
}  // namespace detail

static_assert(std::is_same_v<boost::mp11::mp_remove_if<boost::mp11::mp_transform<detail::extra_of, SignedExtensions>,
                                                       detail::is_unit>,
                             detail::member_types<SignedExtra>>,
              "the extensions' extra types must be SignedExtra's fields, in order");
static_assert(
    std::is_same_v<boost::mp11::mp_remove_if<boost::mp11::mp_transform<detail::additional_of, SignedExtensions>,
                                             detail::is_unit>,
                   detail::member_types<AdditionalSigned>>,
    "the extensions' additional-signed types must be AdditionalSigned's fields, in order");

/// An extension as a type: a Composite at its Substrate path with one unnamed
/// field holding its extra (none for `()`), and the param T that FRAME's
/// extensions carry (no type: skipped).
template <storage::FixedString Identifier, storage::FixedString Path, class Extra, class Additional>
struct TypeInfo<extension::Extension<Identifier, Path, Extra, Additional>> {
  static Type type(TypeRegistry& r) {
    std::vector<Field> fields;
    if constexpr (!detail::is_unit<Extra>::value) fields.push_back(unnamed_field(r.id_of<Extra>()));
    return composite_type(split_path(Path.view()), std::move(fields), {TypeParameter{"T", std::nullopt}});
  }
};

/// sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic<Address, Call, Signature, Extra>
/// with Call = the runtime's call enum.
template <class Call>
struct UncheckedExtrinsicOf {};

template <class Call>
struct TypeInfo<UncheckedExtrinsicOf<Call>> {
  static Type type(TypeRegistry& r) {
    const TypeId address = r.id_of<MultiAddress>();
    const TypeId call = r.id_of<Call>();
    const TypeId signature = r.id_of<MultiSignature>();
    const TypeId extra = r.id_of<boost::mp11::mp_rename<SignedExtensions, std::tuple>>();
    return composite_type(split_path("sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic"),
                          {unnamed_field(r.id_of<Bytes>(), "Vec<u8>")},
                          {TypeParameter{"Address", address}, TypeParameter{"Call", call},
                           TypeParameter{"Signature", signature}, TypeParameter{"Extra", extra}});
  }
};

/// The metadata's extrinsic section for a runtime whose call enum is Call (version 4).
template <class Call>
Extrinsic extrinsic_metadata(TypeRegistry& r) {
  Extrinsic out;
  out.type = r.id_of<UncheckedExtrinsicOf<Call>>();
  out.version = kExtrinsicFormatVersion;
  boost::mp11::mp_for_each<SignedExtensions>([&](auto e) {
    using E = decltype(e);
    out.signed_extensions.push_back(SignedExtension{std::string(E::kIdentifier), r.id_of<E>(),
                                                    r.id_of<typename E::Additional>()});
  });
  return out;
}

}  // namespace bazaar::runtime::metadata
