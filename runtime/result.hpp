#pragma once
// The one result type and TRY macro of the code base (STYLE.md, point 7).
//
// Every component declares one `enum class XxxError` and makes it a
// `boost::system::error_code` through BAZAAR_DECLARE_ERROR_CATEGORY /
// BAZAAR_DEFINE_ERROR_CATEGORY; fallible functions return `Result<T>` and
// propagate failures with BAZAAR_TRY. Exceptions are only used at the process
// edge (CLI parsing, JSON parsing in rpc/).

#include <boost/outcome/result.hpp>
#include <boost/outcome/success_failure.hpp>
#include <boost/outcome/try.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <type_traits>

namespace bazaar {

namespace outcome = boost::outcome_v2;

/// Value of type T or a `boost::system::error_code`.
template <class T>
using Result = outcome::result<T, boost::system::error_code>;

using outcome::failure;
using outcome::success;

}  // namespace bazaar

/// Evaluates a Result expression; on failure returns its error from the
/// enclosing function. Two forms: BAZAAR_TRY(expr) and BAZAAR_TRY(auto v, expr).
/// It expands to several statements: never use it as the unbraced body of an if/for.
#define BAZAAR_TRY(...) BOOST_OUTCOME_TRY(__VA_ARGS__)

/// Declares `make_error_code(Enum)` and registers Enum with boost::system.
/// Use at namespace scope in the header that declares the enum.
#define BAZAAR_DECLARE_ERROR_CATEGORY(Ns, Enum)                                   \
  namespace Ns {                                                                  \
  const boost::system::error_category& Enum##_category() noexcept;                \
  inline boost::system::error_code make_error_code(Enum e) noexcept {             \
    return {static_cast<int>(e), Enum##_category()};                              \
  }                                                                               \
  }                                                                               \
  template <>                                                                     \
  struct boost::system::is_error_code_enum<Ns::Enum> : std::true_type {};

/// Defines the category declared above. `MessageFn` is an expression usable
/// as `MessageFn(Enum) -> const char*` giving a human-readable message.
#define BAZAAR_DEFINE_ERROR_CATEGORY(Ns, Enum, CategoryName, MessageFn)           \
  namespace Ns {                                                                  \
  namespace {                                                                     \
  class Enum##Category final : public boost::system::error_category {             \
   public:                                                                        \
    const char* name() const noexcept override { return CategoryName; }          \
    std::string message(int ev) const override {                                  \
      return MessageFn(static_cast<Enum>(ev));                                    \
    }                                                                             \
  };                                                                              \
  }                                                                               \
  const boost::system::error_category& Enum##_category() noexcept {               \
    static const Enum##Category category;                                         \
    return category;                                                              \
  }                                                                               \
  }
