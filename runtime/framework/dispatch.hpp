#pragma once
// Dispatch types shared by every module (sp_runtime / frame_support names and
// SCALE layouts): origins, DispatchError, DispatchResult, DispatchInfo.

#include "runtime/codec/scale.hpp"
#include "runtime/primitives/types.hpp"
#include "runtime/result.hpp"

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace bazaar::runtime::framework {

/// sp_runtime::TokenError.
enum class TokenError : uint8_t {
  FundsUnavailable = 0,
  OnlyProvider = 1,
  BelowMinimum = 2,
  CannotCreate = 3,
  UnknownAsset = 4,
  Frozen = 5,
  Unsupported = 6,
  CannotCreateHold = 7,
  NotExpendable = 8,
  Blocked = 9,
};
BOOST_DESCRIBE_ENUM(TokenError, FundsUnavailable, OnlyProvider, BelowMinimum, CannotCreate, UnknownAsset, Frozen,
                    Unsupported, CannotCreateHold, NotExpendable, Blocked)

/// sp_arithmetic::ArithmeticError.
enum class ArithmeticError : uint8_t { Underflow = 0, Overflow = 1, DivisionByZero = 2 };
BOOST_DESCRIBE_ENUM(ArithmeticError, Underflow, Overflow, DivisionByZero)

/// sp_runtime::TransactionalError.
enum class TransactionalError : uint8_t { LimitReached = 0, NoLayer = 1 };
BOOST_DESCRIBE_ENUM(TransactionalError, LimitReached, NoLayer)

/// The variants of sp_runtime::DispatchError, with their SCALE indices.
namespace dispatch_error {
// clang-format off
struct Other { static constexpr uint8_t kIndex = 0; static constexpr std::string_view kName = "Other"; };
struct CannotLookup { static constexpr uint8_t kIndex = 1; static constexpr std::string_view kName = "CannotLookup"; };
struct BadOrigin { static constexpr uint8_t kIndex = 2; static constexpr std::string_view kName = "BadOrigin"; };
/// sp_runtime::ModuleError: the module's index and its error (first byte = variant index).
struct Module { static constexpr uint8_t kIndex = 3; static constexpr std::string_view kName = "Module"; uint8_t index = 0; std::array<uint8_t, 4> error{}; };
struct ConsumerRemaining { static constexpr uint8_t kIndex = 4; static constexpr std::string_view kName = "ConsumerRemaining"; };
struct NoProviders { static constexpr uint8_t kIndex = 5; static constexpr std::string_view kName = "NoProviders"; };
struct TooManyConsumers { static constexpr uint8_t kIndex = 6; static constexpr std::string_view kName = "TooManyConsumers"; };
struct Token { static constexpr uint8_t kIndex = 7; static constexpr std::string_view kName = "Token"; TokenError error{}; };
struct Arithmetic { static constexpr uint8_t kIndex = 8; static constexpr std::string_view kName = "Arithmetic"; ArithmeticError error{}; };
struct Transactional { static constexpr uint8_t kIndex = 9; static constexpr std::string_view kName = "Transactional"; TransactionalError error{}; };
struct Exhausted { static constexpr uint8_t kIndex = 10; static constexpr std::string_view kName = "Exhausted"; };
struct Corruption { static constexpr uint8_t kIndex = 11; static constexpr std::string_view kName = "Corruption"; };
struct Unavailable { static constexpr uint8_t kIndex = 12; static constexpr std::string_view kName = "Unavailable"; };
struct RootNotAllowed { static constexpr uint8_t kIndex = 13; static constexpr std::string_view kName = "RootNotAllowed"; };
// clang-format on
BOOST_DESCRIBE_STRUCT(Other, (), ())
BOOST_DESCRIBE_STRUCT(CannotLookup, (), ())
BOOST_DESCRIBE_STRUCT(BadOrigin, (), ())
BOOST_DESCRIBE_STRUCT(Module, (), (index, error))
BOOST_DESCRIBE_STRUCT(ConsumerRemaining, (), ())
BOOST_DESCRIBE_STRUCT(NoProviders, (), ())
BOOST_DESCRIBE_STRUCT(TooManyConsumers, (), ())
BOOST_DESCRIBE_STRUCT(Token, (), (error))
BOOST_DESCRIBE_STRUCT(Arithmetic, (), (error))
BOOST_DESCRIBE_STRUCT(Transactional, (), (error))
BOOST_DESCRIBE_STRUCT(Exhausted, (), ())
BOOST_DESCRIBE_STRUCT(Corruption, (), ())
BOOST_DESCRIBE_STRUCT(Unavailable, (), ())
BOOST_DESCRIBE_STRUCT(RootNotAllowed, (), ())
}  // namespace dispatch_error

/// sp_runtime::DispatchError (same variant indices and SCALE layout).
struct DispatchError {
  using Variant = std::variant<dispatch_error::Other, dispatch_error::CannotLookup, dispatch_error::BadOrigin,
                               dispatch_error::Module, dispatch_error::ConsumerRemaining, dispatch_error::NoProviders,
                               dispatch_error::TooManyConsumers, dispatch_error::Token, dispatch_error::Arithmetic,
                               dispatch_error::Transactional, dispatch_error::Exhausted, dispatch_error::Corruption,
                               dispatch_error::Unavailable, dispatch_error::RootNotAllowed>;
  Variant value;

  static DispatchError bad_origin() { return {dispatch_error::BadOrigin{}}; }
  static DispatchError module(uint8_t module_index, uint8_t error_index) {
    return {dispatch_error::Module{module_index, {error_index, 0, 0, 0}}};
  }
  static DispatchError token(TokenError e) { return {dispatch_error::Token{e}}; }
  static DispatchError arithmetic(ArithmeticError e) { return {dispatch_error::Arithmetic{e}}; }
  static DispatchError other() { return {dispatch_error::Other{}}; }
  static DispatchError exhausted() { return {dispatch_error::Exhausted{}}; }

  /// The module error, if this is one.
  const dispatch_error::Module* as_module() const { return std::get_if<dispatch_error::Module>(&value); }
  friend bool operator==(const DispatchError& a, const DispatchError& b) {
    return codec::encode(a.value) == codec::encode(b.value);
  }
};
BOOST_DESCRIBE_STRUCT(DispatchError, (), (value))

/// The name of a non-module dispatch error ("BadOrigin", "Token::FundsUnavailable", ...);
/// module errors are named by the runtime composition, which knows the modules.
std::string describe_generic(const DispatchError& e);

/// Result of a call: success or a DispatchError (Substrate's DispatchResult).
template <class T>
using DispatchResultWith = outcome::result<T, DispatchError, outcome::policy::terminate>;
using DispatchResult = DispatchResultWith<void>;

/// Who dispatched a call (frame_system::RawOrigin).
struct Origin {
  enum class Kind : uint8_t { Root, Signed, None };
  Kind kind = Kind::None;
  AccountId32 who{};

  static Origin root() { return {Kind::Root, {}}; }
  static Origin signed_by(const AccountId32& a) { return {Kind::Signed, a}; }
  static Origin none() { return {Kind::None, {}}; }
};

/// The signer of a Signed origin, or BadOrigin.
DispatchResultWith<AccountId32> ensure_signed(const Origin& o);
/// Ok for Root, otherwise BadOrigin.
DispatchResult ensure_root(const Origin& o);
/// Ok for None (inherents), otherwise BadOrigin.
DispatchResult ensure_none(const Origin& o);

/// frame_support::dispatch::DispatchClass.
enum class DispatchClass : uint8_t { Normal = 0, Operational = 1, Mandatory = 2 };
BOOST_DESCRIBE_ENUM(DispatchClass, Normal, Operational, Mandatory)

/// frame_support::dispatch::Pays.
enum class Pays : uint8_t { Yes = 0, No = 1 };
BOOST_DESCRIBE_ENUM(Pays, Yes, No)

/// frame_support::dispatch::DispatchInfo, as carried by ExtrinsicSuccess / ExtrinsicFailed.
struct DispatchInfo {
  Weight weight;
  DispatchClass class_ = DispatchClass::Normal;  ///< "class" in the metadata
  Pays pays_fee = Pays::Yes;
};
BOOST_DESCRIBE_STRUCT(DispatchInfo, (), (weight, class_, pays_fee))

}  // namespace bazaar::runtime::framework
