#include "node/cli/cli.hpp"

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace bazaar::node::cli {

namespace po = boost::program_options;

namespace {

po::options_description describe() {
  po::options_description chain("Chain");
  chain.add_options()
      ("dev", "development chain: --chain dev --validator --key //Alice, and --tmp unless --base-path is given")
      ("chain", po::value<std::string>()->value_name("dev|local|FILE"), "chain spec: a built-in name or a JSON file (default dev)")
      ("base-path", po::value<std::string>()->value_name("DIR"), "keep the node's data in DIR")
      ("tmp", "keep the node's data in a temporary directory removed on exit")
      ("name", po::value<std::string>()->value_name("NAME"), "a human-readable name for this node (logs)");
  po::options_description authoring("Authoring");
  authoring.add_options()
      ("validator", "author blocks with the authority key")
      ("key", po::value<std::string>()->value_name("SURI|FILE"), "authority key: a secret URI (//Alice, a phrase, a 0x seed) or a file holding one");
  po::options_description rpc("RPC (HTTP and WebSocket on one port)");
  rpc.add_options()
      ("rpc-port", po::value<unsigned>()->value_name("N"), "port (default 9944; 0 picks a free one)")
      ("rpc-external", "listen on all interfaces, not only 127.0.0.1 (logs a warning)")
      ("rpc-cors", po::value<std::string>()->value_name("all|ORIGINS"), "browser origins allowed, comma-separated (host:* = any port), or all (default: local pages and https://polkadot.js.org)")
      ("rpc-max-connections", po::value<unsigned>()->value_name("N"), "most open connections (default 100)")
      ("rpc-max-request-size", po::value<unsigned>()->value_name("MB"), "largest request, megabytes (default 15)")
      ("rpc-max-response-size", po::value<unsigned>()->value_name("MB"), "largest response, megabytes (default 15)")
      ("rpc-max-subscriptions-per-connection", po::value<unsigned>()->value_name("N"), "most live subscriptions per WebSocket connection (default 1024)")
      ("rpc-methods", po::value<std::string>()->value_name("auto|safe|unsafe"), "who may call unsafe methods: auto = loopback peers (default), safe = nobody, unsafe = everyone");
  po::options_description provider("Provider");
  provider.add_options()
      ("provider", "run the provider worker inside the node")
      ("provider-key", po::value<std::string>()->value_name("SURI"), "the provider's key (default //Bob)")
      ("provider-db", po::value<std::string>()->value_name("DIR"), "the worker's database (default <data dir>/provider)")
      ("direct-port", po::value<uint16_t>()->value_name("PORT"), "serve payment-channel tasks on this port and watch the channels (default off)");
  po::options_description general("General");
  general.add_options()
      ("log,l", po::value<std::vector<std::string>>()->composing()->value_name("SPEC"), "log levels: LEVEL or TARGET=LEVEL[,...] (repeatable)")
      ("help,h", "print this help")
      ("version,V", "print the version");
  po::options_description all("Usage: bazaar-node [OPTIONS]");
  all.add(chain).add(authoring).add(rpc).add(provider).add(general);
  return all;
}

/// The SURI given to --key: the argument, or the first line of the file it names.
/// nullopt (and `error` set) if the file cannot be read or is empty.
std::optional<std::string> read_key(const std::string& arg, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(arg, ec)) return arg;
  std::ifstream in(arg);
  std::string line;
  if (!in || !std::getline(in, line)) {
    error = "--key: cannot read the key file " + arg;
    return std::nullopt;
  }
  boost::algorithm::trim(line);
  if (line.empty()) {
    error = "--key: the key file " + arg + " is empty";
    return std::nullopt;
  }
  return line;
}

}  // namespace

boost::outcome_v2::result<CliCommand, std::string> parse_command_line(int argc, const char* const* argv) {
  auto desc = describe();
  po::variables_map vm;
  try {
    po::positional_options_description none;  // no positional arguments: a stray word is an error
    po::store(po::command_line_parser(argc, argv).options(desc).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return std::string(e.what()) + " (see --help)";
  }

  CliCommand cmd;
  if (vm.count("help")) {
    std::ostringstream out;
    out << desc;
    return CliCommand{CliCommand::Kind::Help, {}, out.str()};
  }
  if (vm.count("version")) return CliCommand{CliCommand::Kind::Version, {}, std::string("bazaar-node ") + BAZAAR_VERSION};

  auto& o = cmd.options;
  bool dev = vm.count("dev") != 0;
  if (vm.count("chain")) o.chain = vm["chain"].as<std::string>();
  else o.chain = "dev";
  if (vm.count("base-path")) o.storage.base_path = vm["base-path"].as<std::string>();
  o.storage.tmp = vm.count("tmp") != 0;
  if (o.storage.tmp && o.storage.base_path) return std::string("--tmp and --base-path exclude each other");
  if (dev && !o.storage.base_path) o.storage.tmp = true;
  if (vm.count("name")) o.node_name = vm["name"].as<std::string>();

  o.authoring.validator = dev || vm.count("validator") != 0;
  if (vm.count("key")) {
    std::string error;
    auto key = read_key(vm["key"].as<std::string>(), error);
    if (!key) return error;
    o.authoring.key_suri = *key;
  } else if (dev) {
    o.authoring.key_suri = "//Alice";
  }
  if (o.authoring.validator && !o.authoring.key_suri) return std::string("--validator needs --key SURI|FILE");

  if (vm.count("rpc-port")) {
    auto port = vm["rpc-port"].as<unsigned>();
    if (port > 65535) return "--rpc-port: " + std::to_string(port) + " is not a port (0-65535)";
    o.rpc.port = static_cast<uint16_t>(port);
  }
  if (vm.count("rpc-external")) o.rpc.listen_address = "0.0.0.0";
  if (vm.count("rpc-cors")) {
    std::vector<std::string> origins;
    boost::algorithm::split(origins, vm["rpc-cors"].as<std::string>(), boost::is_any_of(","));
    o.rpc.cors_origins.clear();  // replaces the default list
    for (auto& origin : origins) {
      boost::algorithm::trim(origin);
      if (origin.empty()) return std::string("--rpc-cors: empty origin in the list");
      o.rpc.cors_origins.push_back(origin);
    }
  }
  constexpr unsigned kMaxMegabytes = 4096;
  for (const char* flag : {"rpc-max-request-size", "rpc-max-response-size"}) {
    if (!vm.count(flag)) continue;
    auto mb = vm[flag].as<unsigned>();
    if (mb == 0 || mb > kMaxMegabytes)
      return "--" + std::string(flag) + ": " + std::to_string(mb) + " is not between 1 and " +
             std::to_string(kMaxMegabytes) + " MB";
    (std::string_view(flag) == "rpc-max-request-size" ? o.rpc.max_request_bytes : o.rpc.max_response_bytes) =
        std::size_t{mb} * 1024 * 1024;
  }
  if (vm.count("rpc-max-subscriptions-per-connection")) {
    auto n = vm["rpc-max-subscriptions-per-connection"].as<unsigned>();
    if (n == 0) return std::string("--rpc-max-subscriptions-per-connection: must be at least 1");
    o.rpc.max_subscriptions_per_connection = n;
  }
  if (vm.count("rpc-max-connections")) {
    auto n = vm["rpc-max-connections"].as<unsigned>();
    if (n == 0) return std::string("--rpc-max-connections: must be at least 1");
    o.rpc.max_connections = n;
  }
  if (vm.count("rpc-methods")) {
    auto m = vm["rpc-methods"].as<std::string>();
    if (m == "unsafe") o.rpc.methods = rpc::RpcMethods::Unsafe;
    else if (m == "safe") o.rpc.methods = rpc::RpcMethods::Safe;
    else if (m != "auto") return "--rpc-methods: expected auto, safe or unsafe, got '" + m + "'";
  }

  o.provider.enabled = vm.count("provider") != 0;
  if (vm.count("provider-key")) o.provider.key_suri = vm["provider-key"].as<std::string>();
  if (vm.count("provider-db")) o.provider.db_path = vm["provider-db"].as<std::string>();
  if (vm.count("direct-port")) o.provider.direct_port = vm["direct-port"].as<uint16_t>();
  if (!o.provider.enabled && (vm.count("provider-key") || vm.count("provider-db") || vm.count("direct-port")))
    return std::string("--provider-key, --provider-db and --direct-port need --provider");

  if (vm.count("log")) o.log_specs = vm["log"].as<std::vector<std::string>>();
  return cmd;
}

}  // namespace bazaar::node::cli
