#pragma once
// Saturating arithmetic on unsigned integers (sp_arithmetic's Saturating):
// results clamp at the type's maximum instead of wrapping.

namespace bazaar::runtime {

template <class T>
constexpr T saturating_add(T a, T b) {
  constexpr T max = static_cast<T>(~T{0});  // also right for u128, which numeric_limits misses in strict mode
  return a > max - b ? max : static_cast<T>(a + b);
}

template <class T>
constexpr T saturating_mul(T a, T b) {
  constexpr T max = static_cast<T>(~T{0});  // also right for u128, which numeric_limits misses in strict mode
  if (a != 0 && b > max / a) return max;
  return static_cast<T>(a * b);
}

}  // namespace bazaar::runtime
