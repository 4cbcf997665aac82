#pragma once
// CC amounts as people write them: "1.5" CC <-> base units (1 CC = 10^12).

#include "runtime/primitives/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace bazaar::runtime {

/// Parses a decimal CC amount ("12", "0.001", ".5") into base units; nullopt
/// on a malformed number, more than 12 decimals, or overflow.
std::optional<Balance> parse_cc(std::string_view text);
/// Formats base units as CC with trailing zeros trimmed: "1.5 CC", "0 CC".
std::string format_cc(Balance units);

}  // namespace bazaar::runtime
