#include "rpc/server/params.hpp"

namespace bazaar::rpc {

std::optional<NumberOrHex> ParamTraits<NumberOrHex>::from_json(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return NumberOrHex{j.get<uint64_t>()};
  if (j.is_number_integer()) {
    auto v = j.get<int64_t>();
    if (v < 0) return std::nullopt;
    return NumberOrHex{static_cast<uint64_t>(v)};
  }
  if (!j.is_string()) return std::nullopt;
  const auto& s = j.get_ref<const std::string&>();
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
  uint64_t value = 0;
  for (std::size_t i = 2; i < s.size(); ++i) {
    char c = s[i];
    unsigned digit;
    if (c >= '0' && c <= '9') digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') digit = static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
    if (value > (std::numeric_limits<uint64_t>::max() >> 4)) return std::nullopt;
    value = (value << 4) | digit;
  }
  return NumberOrHex{value};
}

std::optional<HexBytes> ParamTraits<HexBytes>::from_json(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  auto bytes = runtime::from_hex(j.get_ref<const std::string&>());
  if (!bytes) return std::nullopt;
  return HexBytes{std::move(*bytes)};
}

}  // namespace bazaar::rpc
