#include "runtime/primitives/units.hpp"

namespace bazaar::runtime {

std::optional<Balance> parse_cc(std::string_view text) {
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (frac_part.size() > kCCDecimals || (whole.empty() && frac_part.empty())) return std::nullopt;
  if (dot != std::string_view::npos && frac_part.empty()) return std::nullopt;
  std::string frac(frac_part);
  frac.append(kCCDecimals - frac.size(), '0');
  auto w = whole.empty() ? std::optional<u128>(0) : u128_from_string(whole);
  auto f = u128_from_string(frac);
  if (!w || !f) return std::nullopt;
  if (*w > (~u128{0} - *f) / kUnitsPerCC) return std::nullopt;
  return *w * kUnitsPerCC + *f;
}

std::string format_cc(Balance units) {
  std::string out = u128_to_string(units / kUnitsPerCC);
  Balance rest = units % kUnitsPerCC;
  if (rest != 0) {
    std::string frac = u128_to_string(rest);
    frac.insert(0, kCCDecimals - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + " CC";
}

}  // namespace bazaar::runtime
