#pragma once
// The module declaration (STYLE.md, 4). A module is declared once, in its
// header, as plain types:
//
//   struct Transfer {                               // a call
//     static constexpr uint8_t kIndex = 0;          // fixed call index
//     static constexpr std::string_view kName = "transfer_allow_death";
//     static constexpr std::string_view kDocs = "...";
//     static constexpr Weight kWeight{50'000'000, 0};  // or: Weight weight() const
//     MultiAddress dest;
//     Compact<Balance> value;
//   };
//   BOOST_DESCRIBE_STRUCT(Transfer, (), (dest, value))
//
//   struct Module {
//     static constexpr uint8_t kIndex = 2;          // fixed module index
//     static constexpr std::string_view kName = "Credits";
//     using Call = std::variant<Transfer, ...>;     // calls, by kIndex
//     using Event = std::variant<...>;              // events, by kIndex; each event
//                                                   // struct has kIndex, kName, kDocs
//     using Error = CreditsError;                   // described enum, value = index
//     using Storage = std::tuple<Account, ...>;     // storage item aliases
//     using Constants = std::tuple<...>;            // ConstantDecl types
//     using GenesisConfig = ...;                    // described struct
//     static DispatchResult dispatch(Context&, const Origin&, const Call&);
//   };
//
// From this one declaration come the call codec (variant index = kIndex),
// the dispatch, the events, storage accessors, genesis JSON, and later the
// metadata. Handlers are ordinary functions in the module's .cpp.

#include "runtime/framework/context.hpp"
#include "runtime/framework/dispatch.hpp"

#include <string_view>

namespace bazaar::runtime::framework {

/// Declares that a module has no calls / no events (`using Call = NoCalls;`):
/// the composition leaves it out of RuntimeCall / RuntimeEvent, as FRAME does.
struct NoCalls {};
struct NoEvents {};

/// A call's dispatch class: its `kClass` if it declares one, else Normal.
template <class Call>
constexpr DispatchClass call_class() {
  if constexpr (requires { Call::kClass; }) {
    return Call::kClass;
  } else {
    return DispatchClass::Normal;
  }
}

/// A call's weight: its `weight()` if it declares one, else its constant kWeight.
template <class Call>
Weight call_weight(const Call& c) {
  if constexpr (requires { c.weight(); }) {
    return c.weight();
  } else {
    return Call::kWeight;
  }
}

/// The weight of whichever call a module's Call variant holds.
template <class CallVariant>
Weight variant_call_weight(const CallVariant& v) {
  return std::visit([](const auto& c) { return call_weight(c); }, v);
}

/// A module error as a DispatchError::Module {module index, error index}.
template <class M>
DispatchError module_error(typename M::Error e) {
  return DispatchError::module(M::kIndex, static_cast<uint8_t>(e));
}

/// Deposits one of module M's events.
template <class M, class E>
void deposit_event(Context& ctx, E&& event, const std::vector<H256>& topics = {}) {
  typename M::Event wrapped{std::forward<E>(event)};
  // The whole EventRecord in one encoder: phase ++ module index ++ event ++ topics.
  codec::Encoder e;
  codec::encode_to(e, ctx.phase());
  e.push(M::kIndex);
  codec::encode_to(e, wrapped);
  codec::encode_to(e, topics);
  ctx.deposit_event_record(e.bytes());
}

/// A metadata constant: name, type, value and docs declared together.
///   using ExistentialDeposit = ConstantDecl<"ExistentialDeposit", Balance, kExistentialDeposit, "...">;
template <storage::FixedString Name, class T, T Value, storage::FixedString Docs = "">
struct ConstantDecl {
  using Type = T;
  static constexpr std::string_view kName = Name.view();
  static constexpr T kValue = Value;
  static constexpr std::string_view kDocs = Docs.view();
};

}  // namespace bazaar::runtime::framework
