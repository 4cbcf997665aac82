#include "runtime/framework/json.hpp"

namespace bazaar::runtime::framework::json {

std::string camel_case(std::string_view snake) {
  std::string out;
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    }
  }
  return out;
}

namespace detail {

JsonResult expect(bool ok, const std::string& path, std::string_view what) {
  if (ok) return outcome::success();
  return (path.empty() ? std::string("value") : path) + ": expected " + std::string(what);
}

JsonResult parse_u128(const Json& j, u128& out, const std::string& path) {
  if (j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0)) {
    out = j.get<uint64_t>();
    return outcome::success();
  }
  if (j.is_string()) {
    auto s = j.get<std::string>();
    std::optional<u128> v;
    if (s.rfind("0x", 0) == 0) {
      auto bytes = from_hex(s);
      if (bytes && bytes->size() <= 16) {
        u128 x = 0;
        for (auto b : *bytes) x = (x << 8) | b;  // big-endian hex number, as Substrate's serde does
        v = x;
      }
    } else {
      v = u128_from_string(s);
    }
    if (v) {
      out = *v;
      return outcome::success();
    }
  }
  return expect(false, path, "a non-negative integer (number or decimal string)");
}

Json u128_json(u128 v) {
  if (v <= (u128{1} << 53)) return static_cast<uint64_t>(v);
  return u128_to_string(v);
}

}  // namespace detail
}  // namespace bazaar::runtime::framework::json
