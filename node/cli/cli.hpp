#pragma once
// The node's command line (Boost.program_options) -> ServiceOptions. The only
// place that sees argv; bad flags become a clear message, never an exception.
//
//   --dev                 = --chain dev --validator --key //Alice --tmp (unless --base-path)
//   --chain dev|local|FILE, --base-path DIR, --tmp
//   --rpc-port N (0: any free port), --rpc-external, --rpc-cors all|ORIGIN[,ORIGIN...],
//   --rpc-max-connections N, --rpc-max-request-size MB, --rpc-max-response-size MB,
//   --rpc-max-subscriptions-per-connection N, --rpc-methods auto|safe|unsafe
//   --validator, --key SURI|FILE, --name NAME, -l/--log SPEC (repeatable)
//   --provider, --provider-key SURI, --provider-db DIR, --direct-port PORT
//   --alice|--bob|--charlie|--dave|--eve|--ferdie, --port N, --listen-addr, --public-addr,
//   --bootnodes, --reserved-nodes, --reserved-only, --in-peers, --out-peers,
//   --node-key HEX | --node-key-file FILE, --no-network, --state-pruning N|archive, --blocks-pruning archive,
//   --prometheus-port N, --prometheus-external, --no-prometheus
//   -h/--help, -V/--version
// Subcommands: `key generate-node-key [--file PATH]`, `build-spec [--chain C] [--raw]`.

#include "node/service/service_options.hpp"

#include <boost/outcome/result.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace bazaar::node::cli {

struct CliCommand {
  enum class Kind {
    Run,
    Help,
    Version,
    GenerateNodeKey,  ///< `bazaar-node key generate-node-key [--file PATH]`
    BuildSpec,        ///< `bazaar-node build-spec [--chain NAME|FILE] [--raw] [--bootnodes ADDR...]`
  };
  Kind kind = Kind::Run;
  service::ServiceOptions options;  ///< Run; BuildSpec: options.chain and options.networking.network.bootnodes
  std::string text;                 ///< Help / Version: what to print
  std::optional<std::filesystem::path> key_file;  ///< GenerateNodeKey: where to write the key (else: stdout)
  bool raw = false;                               ///< BuildSpec: genesis as raw storage
};

/// Parses the arguments (argv[0] is the program name). Error: a message naming
/// the bad flag or value, e.g. "--rpc-port: 70000 is not a port (0-65535)".
boost::outcome_v2::result<CliCommand, std::string> parse_command_line(int argc, const char* const* argv);

}  // namespace bazaar::node::cli
