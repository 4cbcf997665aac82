#pragma once
// Decoding of JSON-RPC parameters from JSON into the C++ types of a handler's
// signature (STYLE.md point 11: a method is declared once, its parameters are
// decoded from the handler's parameter types).
//
// ParamTraits<T> says how one parameter type is read:
//   static std::optional<T> from_json(const nlohmann::json&);  // nullopt = wrong type
//   static std::string type_name();                            // for "expected <type>"
// Provided: std::string, bool, every integer type (range-checked), std::vector<T>,
// std::optional<T> (null or missing -> nullopt), nlohmann::json (raw),
// NumberOrHex, ListOrValue<T>, HexBytes and FixedBytes<N, Tag> (H256, AccountId32, ...).
// Specialize ParamTraits for further types next to where they are declared.

#include "runtime/codec/bytes.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace bazaar::rpc {

/// A non-negative integer given as a JSON number or a "0x"-prefixed hex string,
/// as Substrate accepts block numbers (`NumberOrHex`, substrate/primitives/rpc/src/number.rs).
/// Values above u64 are rejected as a wrong type.
struct NumberOrHex {
  uint64_t value = 0;
  friend bool operator==(const NumberOrHex&, const NumberOrHex&) = default;
};

/// A single T or a JSON array of T (Substrate's `ListOrValue`, e.g. chain_getBlockHash).
/// `is_list` tells which one was sent, so the handler can answer in the same shape.
template <class T>
struct ListOrValue {
  std::vector<T> items;
  bool is_list = false;
};

/// Arbitrary bytes as a hex string ("0x" optional), e.g. storage keys, encoded extrinsics.
struct HexBytes {
  runtime::Bytes bytes;
  friend bool operator==(const HexBytes&, const HexBytes&) = default;
};

template <class T, class Enable = void>
struct ParamTraits;  // no generic definition: an unsupported handler parameter type fails to compile

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <>
struct ParamTraits<nlohmann::json> {
  static std::optional<nlohmann::json> from_json(const nlohmann::json& j) { return j; }
  static std::string type_name() { return "any JSON value"; }
};

template <>
struct ParamTraits<std::string> {
  static std::optional<std::string> from_json(const nlohmann::json& j) {
    if (!j.is_string()) return std::nullopt;
    return j.get<std::string>();
  }
  static std::string type_name() { return "string"; }
};

template <>
struct ParamTraits<bool> {
  static std::optional<bool> from_json(const nlohmann::json& j) {
    if (!j.is_boolean()) return std::nullopt;
    return j.get<bool>();
  }
  static std::string type_name() { return "boolean"; }
};

template <class T>
struct ParamTraits<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static std::optional<T> from_json(const nlohmann::json& j) {
    if (j.is_number_unsigned()) {
      auto v = j.get<uint64_t>();
      if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return std::nullopt;
      return static_cast<T>(v);
    }
    if (j.is_number_integer()) {
      auto v = j.get<int64_t>();
      if constexpr (std::is_unsigned_v<T>) {
        if (v < 0 || static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<T>::max()))
          return std::nullopt;
      } else {
        if (v < static_cast<int64_t>(std::numeric_limits<T>::min()) ||
            v > static_cast<int64_t>(std::numeric_limits<T>::max()))
          return std::nullopt;
      }
      return static_cast<T>(v);
    }
    return std::nullopt;
  }
  static std::string type_name() {
    return std::string(std::is_unsigned_v<T> ? "unsigned" : "signed") + " " +
           std::to_string(sizeof(T) * 8) + "-bit integer";
  }
};

template <class T>
struct ParamTraits<std::optional<T>> {
  static std::optional<std::optional<T>> from_json(const nlohmann::json& j) {
    if (j.is_null()) return std::optional<T>{};
    auto v = ParamTraits<T>::from_json(j);
    if (!v) return std::nullopt;
    return std::optional<T>{std::move(*v)};
  }
  static std::string type_name() { return ParamTraits<T>::type_name() + " or null"; }
};

template <class T>
struct ParamTraits<std::vector<T>> {
  static std::optional<std::vector<T>> from_json(const nlohmann::json& j) {
    if (!j.is_array()) return std::nullopt;
    std::vector<T> out;
    out.reserve(j.size());
    for (const auto& item : j) {
      auto v = ParamTraits<T>::from_json(item);
      if (!v) return std::nullopt;
      out.push_back(std::move(*v));
    }
    return out;
  }
  static std::string type_name() { return "array of " + ParamTraits<T>::type_name(); }
};

template <class T>
struct ParamTraits<ListOrValue<T>> {
  static std::optional<ListOrValue<T>> from_json(const nlohmann::json& j) {
    if (j.is_array()) {
      auto items = ParamTraits<std::vector<T>>::from_json(j);
      if (!items) return std::nullopt;
      return ListOrValue<T>{std::move(*items), true};
    }
    auto v = ParamTraits<T>::from_json(j);
    if (!v) return std::nullopt;
    ListOrValue<T> out;
    out.items.push_back(std::move(*v));
    return out;
  }
  static std::string type_name() {
    return ParamTraits<T>::type_name() + " or array of " + ParamTraits<T>::type_name();
  }
};

template <>
struct ParamTraits<NumberOrHex> {
  static std::optional<NumberOrHex> from_json(const nlohmann::json& j);
  static std::string type_name() { return "number or 0x-prefixed hex string"; }
};

template <>
struct ParamTraits<HexBytes> {
  static std::optional<HexBytes> from_json(const nlohmann::json& j);
  static std::string type_name() { return "hex string"; }
};

template <std::size_t N, class Tag>
struct ParamTraits<runtime::FixedBytes<N, Tag>> {
  static std::optional<runtime::FixedBytes<N, Tag>> from_json(const nlohmann::json& j) {
    if (!j.is_string()) return std::nullopt;
    return runtime::fixed_from_hex<runtime::FixedBytes<N, Tag>>(j.get_ref<const std::string&>());
  }
  static std::string type_name() { return "hex string of " + std::to_string(N) + " bytes"; }
};

}  // namespace bazaar::rpc
