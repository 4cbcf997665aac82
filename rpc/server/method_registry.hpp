#pragma once
// The registry of JSON-RPC methods, each declared once (STYLE.md point 11):
// name, docs, parameter names and a typed handler whose parameters are decoded
// from JSON by their C++ types (see params.hpp). `rpc_methods` is built in and
// lists the registry.
//
//   registry.add("chain_getBlockHash", "Hash of the block at a number (best if omitted)",
//                {"number?"}, [&](std::optional<NumberOrHex> n) -> RpcResult<nlohmann::json> {...});
//   registry.add_subscription({"chain_subscribeNewHeads", "chain_newHead",
//                              "chain_unsubscribeNewHeads", "New best headers", {}},
//                             [&](SubscriptionSink sink) -> RpcResult<void> {...});
//   registry.alias("chain_subscribeNewHead", "chain_subscribeNewHeads");
//
// Parameter names: "name" is required, "name?" optional; an optional parameter's
// type must be std::optional<T> and a required one's must not. Params arrive as a
// JSON array (by position) or object (by name). Errors (-32602): "missing parameter
// <name>", "invalid type for parameter <name>: expected <type>", "too many
// parameters: expected at most <n>", "unknown parameter <name>". Parameter types
// must be default-constructible and have a ParamTraits specialization.
//
// A handler returns RpcResult<T>, Result<T> (an error becomes -32603 with the
// error's message as data), a plain T, or void (null); T must convert to
// nlohmann::json. A handler that throws answers -32603. Handlers run on the
// server's I/O threads: keep them short. A subscription handler takes a
// SubscriptionSink first, then its parameters, and returns RpcResult<void> or
// void; an error answers the subscribe call and ends the subscription.
//
// Declaring a method twice or with parameter names that do not match the
// handler is a bug: the process aborts with a message at start-up.
// Thread-safe: methods may be added while the server runs.

#include "rpc/server/params.hpp"
#include "rpc/server/rpc_error.hpp"
#include "rpc/server/subscription.hpp"
#include "runtime/result.hpp"

#include <boost/callable_traits/args.hpp>
#include <nlohmann/json.hpp>

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace bazaar::rpc {

/// Unsafe methods (key management, ...) answer only loopback peers unless the
/// server allows them (RpcServerOptions::methods, --rpc-methods).
enum class MethodSafety { Safe, Unsafe };

struct ParamSpec {
  std::string name;
  bool optional = false;
};

/// One argument per declared parameter, in declaration order; nullptr = not given.
using ArgList = std::vector<const nlohmann::json*>;

/// A registered method as the dispatcher and `rpc_methods` see it.
struct MethodEntry {
  enum class Kind { Call, Subscribe, Unsubscribe };
  Kind kind = Kind::Call;
  std::string name;  ///< canonical name (aliases point to the same entry)
  std::string docs;
  std::vector<ParamSpec> params;
  MethodSafety safety = MethodSafety::Safe;
  std::string notification;  ///< Subscribe / Unsubscribe: the notification method
  std::function<RpcResult<nlohmann::json>(const ArgList&)> call;
  std::function<RpcResult<void>(const SubscriptionSink&, const ArgList&)> subscribe;
};

namespace detail {

[[noreturn]] void registration_bug(const std::string& method, const std::string& what);
std::vector<ParamSpec> parse_param_specs(const std::vector<std::string>& names);

template <class T>
struct IsRpcResult : std::false_type {};
template <class T>
struct IsRpcResult<RpcResult<T>> : std::true_type {};
template <class T>
struct IsBazaarResult : std::false_type {};
template <class T>
struct IsBazaarResult<Result<T>> : std::true_type {};

/// Turns whatever a call handler returned into the JSON result or an error.
template <class R>
RpcResult<nlohmann::json> to_response(R&& r) {
  using D = std::decay_t<R>;
  if constexpr (IsRpcResult<D>::value || IsBazaarResult<D>::value) {
    if (r.has_error()) {
      if constexpr (IsRpcResult<D>::value) return r.error();
      else return RpcError::internal(r.error().message());
    }
    if constexpr (std::is_void_v<typename D::value_type>) return nlohmann::json(nullptr);
    else return nlohmann::json(std::move(r).value());
  } else {
    return nlohmann::json(std::forward<R>(r));
  }
}

template <class T>
bool decode_arg(const ParamSpec& spec, const nlohmann::json* raw, T& out, std::optional<RpcError>& err) {
  static_assert(std::is_default_constructible_v<T>, "RPC parameter types must be default-constructible");
  if (raw == nullptr) {
    if constexpr (IsOptional<T>::value) return true;  // stays nullopt
    err = RpcError::invalid_params("missing parameter " + spec.name);
    return false;
  }
  auto value = ParamTraits<T>::from_json(*raw);
  if (!value) {
    err = RpcError::invalid_params("invalid type for parameter " + spec.name + ": expected " +
                                   ParamTraits<T>::type_name());
    return false;
  }
  out = std::move(*value);
  return true;
}

template <class... Args>
struct TypeList {};

template <class Tuple, std::size_t Skip>
struct DropFront;
template <class... Ts>
struct DropFront<std::tuple<Ts...>, 0> {
  using type = TypeList<std::decay_t<Ts>...>;
};
template <class T, class... Ts>
struct DropFront<std::tuple<T, Ts...>, 1> {
  using type = TypeList<std::decay_t<Ts>...>;
};

template <class... Args>
std::vector<bool> optional_flags(TypeList<Args...>) {
  return {IsOptional<Args>::value...};
}

/// Checks the declared names against the handler's parameter types (bug -> abort).
template <class... Args>
void check_signature(const std::string& method, const std::vector<ParamSpec>& specs, TypeList<Args...> list) {
  auto flags = optional_flags(list);
  if (flags.size() != specs.size())
    registration_bug(method, "declares " + std::to_string(specs.size()) + " parameters but the handler takes " +
                                 std::to_string(flags.size()));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (flags[i] != specs[i].optional)
      registration_bug(method, "parameter " + specs[i].name +
                                   (specs[i].optional ? " is declared optional but its type is not std::optional"
                                                      : " has a std::optional type but is not declared with '?'"));
  }
}

/// Calls `f(prefix..., decoded args...)`; an RpcError if an argument does not decode.
template <class F, class... Args, class... Prefix>
auto call_with_args(F& f, const std::vector<ParamSpec>& specs, const ArgList& args, TypeList<Args...>,
                    Prefix&&... prefix) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using R = std::invoke_result_t<F&, Prefix..., Args...>;
    std::tuple<Args...> decoded{};
    std::optional<RpcError> err;
    (void)(decode_arg<Args>(specs[I], args[I], std::get<I>(decoded), err) && ...);
    if constexpr (std::is_void_v<R>) {
      if (err) return std::optional<RpcError>(std::move(err));
      std::invoke(f, std::forward<Prefix>(prefix)..., std::move(std::get<I>(decoded))...);
      return std::optional<RpcError>();
    } else {
      using Out = std::variant<RpcError, R>;
      if (err) return Out(std::in_place_index<0>, std::move(*err));
      return Out(std::in_place_index<1>,
                 std::invoke(f, std::forward<Prefix>(prefix)..., std::move(std::get<I>(decoded))...));
    }
  }(std::index_sequence_for<Args...>{});
}

}  // namespace detail

class MethodRegistry {
 public:
  /// Registers the built-in `rpc_methods`.
  MethodRegistry();
  MethodRegistry(const MethodRegistry&) = delete;
  MethodRegistry& operator=(const MethodRegistry&) = delete;

  /// Declares a method. See the file comment for parameter names and return types.
  template <class F>
  void add(std::string name, std::string docs, std::vector<std::string> params, F handler,
           MethodSafety safety = MethodSafety::Safe) {
    using Args = typename detail::DropFront<boost::callable_traits::args_t<F>, 0>::type;
    auto entry = std::make_shared<MethodEntry>();
    entry->kind = MethodEntry::Kind::Call;
    entry->name = std::move(name);
    entry->docs = std::move(docs);
    entry->params = detail::parse_param_specs(params);
    entry->safety = safety;
    detail::check_signature(entry->name, entry->params, Args{});
    entry->call = [f = std::move(handler), specs = entry->params](const ArgList& args) mutable
        -> RpcResult<nlohmann::json> {
      auto out = detail::call_with_args(f, specs, args, Args{});
      if constexpr (std::is_same_v<decltype(out), std::optional<RpcError>>) {  // handler returns void
        if (out) return *out;
        return nlohmann::json(nullptr);
      } else {
        if (out.index() == 0) return std::get<0>(std::move(out));
        return detail::to_response(std::get<1>(std::move(out)));
      }
    };
    insert(std::move(entry));
  }

  /// Declares a subscription: registers spec.subscribe (answers the subscription
  /// id, a string) and spec.unsubscribe (answers true, or false for an unknown id).
  template <class F>
  void add_subscription(SubscriptionSpec spec, F handler, MethodSafety safety = MethodSafety::Safe) {
    using All = boost::callable_traits::args_t<F>;
    static_assert(std::tuple_size_v<All> >= 1 &&
                      std::is_same_v<std::decay_t<std::tuple_element_t<0, All>>, SubscriptionSink>,
                  "a subscription handler takes a SubscriptionSink as its first parameter");
    using Args = typename detail::DropFront<All, 1>::type;
    auto entry = std::make_shared<MethodEntry>();
    entry->kind = MethodEntry::Kind::Subscribe;
    entry->name = spec.subscribe;
    entry->docs = std::move(spec.docs);
    entry->params = detail::parse_param_specs(spec.params);
    entry->safety = safety;
    entry->notification = spec.notification;
    detail::check_signature(entry->name, entry->params, Args{});
    entry->subscribe = [f = std::move(handler), specs = entry->params](const SubscriptionSink& sink,
                                                                       const ArgList& args) mutable
        -> RpcResult<void> {
      auto out = detail::call_with_args(f, specs, args, Args{}, sink);
      if constexpr (std::is_same_v<decltype(out), std::optional<RpcError>>) {  // handler returns void
        if (out) return *out;
        return boost::outcome_v2::success();
      } else {
        static_assert(std::is_same_v<std::variant_alternative_t<1, decltype(out)>, RpcResult<void>>,
                      "a subscription handler returns RpcResult<void> or void");
        if (out.index() == 0) return std::get<0>(std::move(out));
        return std::get<1>(std::move(out));
      }
    };
    insert(entry);
    add_unsubscribe(spec, safety);
  }

  /// Makes `alias_name` another name of the existing method `existing` (a bug if
  /// `existing` is unknown or `alias_name` taken).
  void alias(const std::string& alias_name, const std::string& existing);

  /// The method (or alias) called `name`; null if unknown.
  std::shared_ptr<const MethodEntry> find(std::string_view name) const;
  /// Every callable name, aliases included, sorted: the `rpc_methods` list.
  std::vector<std::string> method_names() const;
  /// Every canonical method with its docs and parameters, sorted by name (for documentation).
  std::vector<std::shared_ptr<const MethodEntry>> entries() const;

 private:
  void insert(std::shared_ptr<MethodEntry> entry);
  void add_unsubscribe(const SubscriptionSpec& spec, MethodSafety safety);

  mutable std::shared_mutex m_mutex;
  std::map<std::string, std::shared_ptr<const MethodEntry>, std::less<>> m_methods;  // names and aliases
};

}  // namespace bazaar::rpc
