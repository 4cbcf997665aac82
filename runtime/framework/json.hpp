#pragma once
// JSON <-> C++ for genesis configs and RPC views, derived from the same
// BOOST_DESCRIBE declarations as the codec (no hand-kept field lists).
// Conventions (Substrate's chain-spec JSON): struct fields in lowerCamelCase,
// accounts as SS58 (hex also accepted on input), other fixed byte arrays and
// byte vectors as 0x-hex, u64/u128 as numbers or decimal strings on input and
// numbers when they fit in 53 bits / decimal strings otherwise on output,
// described enums by name.

#include "runtime/codec/scale.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/framework/dispatch.hpp"
#include "runtime/primitives/types.hpp"

#include <boost/describe/enum_from_string.hpp>
#include <boost/describe/enum_to_string.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

namespace bazaar::runtime::framework::json {

using Json = nlohmann::json;
/// Ok, or a message naming the JSON path at fault ("credits.balances[2][1]: expected a number").
using JsonResult = outcome::result<void, std::string, outcome::policy::terminate>;

/// "max_pages" -> "maxPages".
std::string camel_case(std::string_view snake);

template <class T>
Json to_json(const T& v);
template <class T>
JsonResult from_json(const Json& j, T& out, const std::string& path);

namespace detail {
JsonResult expect(bool ok, const std::string& path, std::string_view what);
JsonResult parse_u128(const Json& j, u128& out, const std::string& path);
Json u128_json(u128 v);
}  // namespace detail

template <class T>
Json to_json(const T& v) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
    return v;
  } else if constexpr (codec::ScaleInteger<T>) {
    if constexpr (sizeof(T) <= 4) return v;
    else return detail::u128_json(static_cast<u128>(v));
  } else if constexpr (std::is_same_v<T, AccountId32>) {
    return crypto::ss58_encode(v);
  } else if constexpr (requires { T::kSize; v.span(); }) {
    return to_hex(v.span());
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return to_hex(v);
  } else if constexpr (requires { v.value; typename std::enable_if_t<std::is_same_v<T, codec::Compact<decltype(v.value)>>>; }) {
    return to_json(v.value);
  } else if constexpr (requires { v.items; T::kBound; }) {
    return to_json(v.items);
  } else if constexpr (requires { v.has_value(); *v; }) {
    return v ? to_json(*v) : Json(nullptr);
  } else if constexpr (requires { v.begin(); v.end(); v.size(); }) {
    Json a = Json::array();
    for (const auto& x : v) a.push_back(to_json(x));
    return a;
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    Json a = Json::array();
    std::apply([&](const auto&... xs) { (a.push_back(to_json(xs)), ...); }, v);
    return a;
  } else if constexpr (codec::DescribedEnum<T>) {
    return boost::describe::enum_to_string(v, "?");
  } else if constexpr (std::is_same_v<T, DispatchError>) {
    return to_json(v.value);
  } else if constexpr (std::is_same_v<T, Weight>) {
    return Json{{"refTime", v.ref_time}, {"proofSize", v.proof_size}};
  } else if constexpr (std::is_same_v<T, std::monostate>) {
    return nullptr;
  } else if constexpr (requires { v.index(); v.valueless_by_exception(); }) {
    // An enum: {"<variant name>": fields}, named by the alternative's kName where declared.
    return std::visit(
        [&](const auto& alt) {
          using A = std::decay_t<decltype(alt)>;
          std::string name;
          if constexpr (requires { A::kName; }) {
            name = std::string(A::kName);
          } else {
            name = std::to_string(v.index());
          }
          return Json{{name, to_json(alt)}};
        },
        v);
  } else if constexpr (requires { v.value; v.is_ok(); }) {
    return v.is_ok() ? Json{{"Ok", to_json(std::get<0>(v.value))}} : Json{{"Err", to_json(std::get<1>(v.value))}};
  } else {
    static_assert(codec::DescribedStruct<T>, "no JSON mapping for this type");
    Json o = Json::object();
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto D) { o[camel_case(D.name)] = to_json(v.*D.pointer); });
    return o;
  }
}

template <class T>
JsonResult from_json(const Json& j, T& out, const std::string& path) {
  using detail::expect;
  if constexpr (std::is_same_v<T, bool>) {
    BAZAAR_TRY(expect(j.is_boolean(), path, "a boolean"));
    out = j.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    BAZAAR_TRY(expect(j.is_string(), path, "a string"));
    out = j.get<std::string>();
  } else if constexpr (codec::ScaleInteger<T>) {
    u128 v = 0;
    BAZAAR_TRY(detail::parse_u128(j, v, path));
    BAZAAR_TRY(expect(v <= static_cast<u128>(std::numeric_limits<T>::max()), path, "a smaller number"));
    out = static_cast<T>(v);
  } else if constexpr (std::is_same_v<T, Weight>) {
    BAZAAR_TRY(expect(j.is_object(), path, "an object {refTime, proofSize}"));
    BAZAAR_TRY(from_json(j.value("refTime", Json()), out.ref_time, path + ".refTime"));
    BAZAAR_TRY(from_json(j.value("proofSize", Json()), out.proof_size, path + ".proofSize"));
  } else if constexpr (std::is_same_v<T, AccountId32>) {
    BAZAAR_TRY(expect(j.is_string(), path, "an SS58 address or 0x-hex account id"));
    auto a = crypto::parse_account(j.get<std::string>());
    BAZAAR_TRY(expect(a.has_value(), path, "an SS58 address or 0x-hex account id"));
    out = a.value();
  } else if constexpr (requires { T::kSize; out.span(); }) {
    auto b = j.is_string() ? fixed_from_hex<T>(j.get<std::string>()) : std::nullopt;
    BAZAAR_TRY(expect(b.has_value(), path, "0x-hex of " + std::to_string(T::kSize) + " bytes"));
    out = *b;
  } else if constexpr (std::is_same_v<T, Bytes>) {
    auto b = j.is_string() ? from_hex(j.get<std::string>()) : std::nullopt;
    BAZAAR_TRY(expect(b.has_value(), path, "0x-hex bytes"));
    out = *b;
  } else if constexpr (requires { out.value; typename std::enable_if_t<std::is_same_v<T, codec::Compact<decltype(out.value)>>>; }) {
    return from_json(j, out.value, path);
  } else if constexpr (requires { out.items; T::kBound; }) {
    BAZAAR_TRY(from_json(j, out.items, path));
    BAZAAR_TRY(expect(out.items.size() <= T::kBound, path, "at most " + std::to_string(T::kBound) + " items"));
  } else if constexpr (requires { out.has_value(); *out; out.reset(); }) {
    if (j.is_null()) {
      out.reset();
    } else {
      typename T::value_type v{};
      BAZAAR_TRY(from_json(j, v, path));
      out = std::move(v);
    }
  } else if constexpr (requires { out.push_back(std::declval<typename T::value_type>()); }) {
    BAZAAR_TRY(expect(j.is_array(), path, "an array"));
    out.clear();
    for (std::size_t i = 0; i < j.size(); ++i) {
      typename T::value_type v{};
      BAZAAR_TRY(from_json(j[i], v, path + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(v));
    }
  } else if constexpr (requires { std::tuple_size<T>::value; }) {
    constexpr std::size_t n = std::tuple_size<T>::value;
    BAZAAR_TRY(expect(j.is_array() && j.size() == n, path, "an array of " + std::to_string(n) + " items"));
    JsonResult r = outcome::success();
    std::size_t i = 0;
    std::apply([&](auto&... xs) { ((r ? (r = from_json(j[i], xs, path + "[" + std::to_string(i) + "]"), ++i) : 0), ...); },
               out);
    return r;
  } else if constexpr (codec::DescribedEnum<T>) {
    BAZAAR_TRY(expect(j.is_string(), path, "a variant name"));
    bool ok = boost::describe::enum_from_string(j.get<std::string>().c_str(), out);
    BAZAAR_TRY(expect(ok, path, "a known variant name"));
  } else {
    static_assert(codec::DescribedStruct<T>, "no JSON mapping for this type");
    BAZAAR_TRY(expect(j.is_object(), path, "an object"));
    JsonResult r = outcome::success();
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto D) {
      if (!r) return;
      std::string key = camel_case(D.name);
      std::string sub = path.empty() ? key : path + "." + key;
      auto it = j.find(key);
      if (it == j.end()) {
        r = "missing field " + sub;
        return;
      }
      r = from_json(*it, out.*D.pointer, sub);
    });
    if (!r) return r;
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
          [&](auto D) { known = known || camel_case(D.name) == it.key(); });
      if (!known) return "unknown field " + (path.empty() ? it.key() : path + "." + it.key());
    }
  }
  return outcome::success();
}

}  // namespace bazaar::runtime::framework::json
