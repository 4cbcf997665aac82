#pragma once
// Shared by the bazaar-node command-line tests: parse arguments as if given
// after the program name, and the error text of a rejected command line.

#include "node/cli/cli.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace bazaar::test {

/// cli::parse_command_line of "bazaar-node" followed by `args`.
inline auto parse_cli(std::vector<const char*> args) {
  args.insert(args.begin(), "bazaar-node");
  return node::cli::parse_command_line(static_cast<int>(args.size()), args.data());
}

/// The error of a command line that must be rejected (REQUIREs the rejection).
inline std::string cli_error_of(std::vector<const char*> args) {
  auto r = parse_cli(std::move(args));
  REQUIRE(r.has_error());
  return r.error();
}

}  // namespace bazaar::test
