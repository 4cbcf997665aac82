#pragma once
// The subcommands that do their work and exit (no node runs):
//   bazaar-node key generate-node-key [--file PATH]
//       a fresh node key; with --file it is written there (mode 0600, an
//       existing file is never overwritten) and the peer id goes to stdout;
//       without, the secret (64 hex digits) goes to stdout and the peer id to
//       stderr (as Substrate's `key generate-node-key`);
//   bazaar-node build-spec [--chain local] [--raw] [--bootnodes ADDR...]
//       the chain spec as JSON on stdout (authorities, endowed accounts,
//       bootnodes); --raw writes genesis.raw.top (storage key/values), which
//       --chain FILE accepts too.

#include "node/cli/cli.hpp"

#include <ostream>

namespace bazaar::node::cli {

/// Runs a GenerateNodeKey or BuildSpec command; the process exit code.
int run_subcommand(const CliCommand& command, std::ostream& out, std::ostream& err);

}  // namespace bazaar::node::cli
