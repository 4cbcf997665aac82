#include "runtime/framework/dispatch.hpp"

#include <boost/describe/enum_to_string.hpp>

namespace bazaar::runtime::framework {

std::string describe_generic(const DispatchError& e) {
  using namespace dispatch_error;
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Other>) return "Other";
        else if constexpr (std::is_same_v<T, CannotLookup>) return "CannotLookup";
        else if constexpr (std::is_same_v<T, BadOrigin>) return "BadOrigin";
        else if constexpr (std::is_same_v<T, Module>)
          return "Module { index: " + std::to_string(v.index) + ", error: " + std::to_string(v.error[0]) + " }";
        else if constexpr (std::is_same_v<T, ConsumerRemaining>) return "ConsumerRemaining";
        else if constexpr (std::is_same_v<T, NoProviders>) return "NoProviders";
        else if constexpr (std::is_same_v<T, TooManyConsumers>) return "TooManyConsumers";
        else if constexpr (std::is_same_v<T, Token>)
          return std::string("Token::") + boost::describe::enum_to_string(v.error, "?");
        else if constexpr (std::is_same_v<T, Arithmetic>)
          return std::string("Arithmetic::") + boost::describe::enum_to_string(v.error, "?");
        else if constexpr (std::is_same_v<T, Transactional>)
          return std::string("Transactional::") + boost::describe::enum_to_string(v.error, "?");
        else if constexpr (std::is_same_v<T, Exhausted>) return "Exhausted";
        else if constexpr (std::is_same_v<T, Corruption>) return "Corruption";
        else if constexpr (std::is_same_v<T, Unavailable>) return "Unavailable";
        else return "RootNotAllowed";
      },
      e.value);
}

DispatchResultWith<AccountId32> ensure_signed(const Origin& o) {
  if (o.kind != Origin::Kind::Signed) return DispatchError::bad_origin();
  return o.who;
}

DispatchResult ensure_root(const Origin& o) {
  if (o.kind != Origin::Kind::Root) return DispatchError::bad_origin();
  return outcome::success();
}

DispatchResult ensure_none(const Origin& o) {
  if (o.kind != Origin::Kind::None) return DispatchError::bad_origin();
  return outcome::success();
}

}  // namespace bazaar::runtime::framework
