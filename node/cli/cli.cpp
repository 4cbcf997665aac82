#include "node/cli/cli.hpp"

#include "node/network/multiaddr.hpp"
#include "node/network/node_key.hpp"

#include <boost/algorithm/string.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
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
      ("validator", "author blocks with the authority key, and vote in finality if it is an authority")
      ("alice", "shortcut: --key //Alice --validator --name Alice, base path <default>/alice unless given")
      ("bob", "shortcut for //Bob (as --alice)")
      ("charlie", "shortcut for //Charlie (as --alice)")
      ("dave", "shortcut for //Dave (as --alice)")
      ("eve", "shortcut for //Eve (as --alice)")
      ("ferdie", "shortcut for //Ferdie (as --alice)")
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
  po::options_description network("Network");
  network.add_options()
      ("port", po::value<unsigned>()->value_name("N"), "p2p TCP port (default 30333; 0 picks a free one)")
      ("listen-addr", po::value<std::vector<std::string>>()->composing()->value_name("MULTIADDR"), "listen on /ip4|ip6/ADDR/tcp/PORT instead of /ip4/0.0.0.0/tcp/<port> (repeatable)")
      ("public-addr", po::value<std::vector<std::string>>()->composing()->value_name("MULTIADDR"), "address to advertise to peers (repeatable)")
      ("bootnodes", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("MULTIADDR"), "nodes to join through: /ip4/A.B.C.D/tcp/PORT/p2p/PEERID or /dns/HOST/tcp/PORT/p2p/PEERID")
      ("reserved-nodes", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("MULTIADDR"), "nodes always kept connected (with /p2p/PEERID)")
      ("reserved-only", "connect to and accept only the reserved nodes")
      ("in-peers", po::value<unsigned>()->value_name("N"), "most inbound peers (default 25)")
      ("out-peers", po::value<unsigned>()->value_name("N"), "most outbound peers (default 8)")
      ("node-key", po::value<std::string>()->value_name("HEX"), "the node key's secret: 64 hex digits (a secp256k1 secret key, optionally 0x-prefixed); excludes --node-key-file; other local users can read it in the process list, so prefer the file outside development")
      ("node-key-file", po::value<std::string>()->value_name("FILE"), "the node key (64 hex digits); default <data dir>/network/secret_secp256k1, created on first start")
      ("no-network", "run without peer-to-peer networking")
      ("state-pruning", po::value<std::string>()->value_name("N|archive"), "keep the states of the last N finalized blocks (default 256; --dev: archive)")
      ("blocks-pruning", po::value<std::string>()->value_name("archive"), "which blocks to keep: only archive (all) is supported")
      ("prometheus-port", po::value<unsigned>()->value_name("N"), "Prometheus metrics port (default 9615)")
      ("prometheus-external", "serve metrics on all interfaces, not only 127.0.0.1")
      ("no-prometheus", "do not serve Prometheus metrics");
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
  all.add(chain).add(authoring).add(network).add(rpc).add(provider).add(general);
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

/// Parses multiaddrs of a flag; `need_peer`: each must end in /p2p/PEERID.
std::optional<std::string> parse_addrs(const po::variables_map& vm, const char* flag, bool need_peer,
                                       std::vector<network::Multiaddr>& out) {
  if (!vm.count(flag)) return std::nullopt;
  for (const auto& arg : vm[flag].as<std::vector<std::string>>()) {
    std::vector<std::string> items;
    boost::algorithm::split(items, arg, boost::is_any_of(", "), boost::token_compress_on);
    for (const auto& text : items) {
      if (text.empty()) continue;
      auto addr = network::Multiaddr::parse(text);
      if (!addr) return "--" + std::string(flag) + ": '" + text + "' is not a multiaddr: " + addr.error().message();
      if (need_peer && !addr.value().peer)
        return "--" + std::string(flag) + ": '" + text + "' lacks /p2p/PEERID";
      out.push_back(std::move(addr).value());
    }
  }
  return std::nullopt;
}

/// The secret given to --node-key, or a message saying what is wrong with it.
boost::outcome_v2::result<runtime::crypto::Keypair, std::string> parse_node_key_arg(std::string_view text) {
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  const bool hex = std::all_of(digits.begin(), digits.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
  if (!hex || digits.size() != 64)
    return std::string("--node-key: expected 64 hex digits (a 32-byte secp256k1 secret key, optionally 0x-prefixed), got ") +
           (hex ? std::to_string(digits.size()) + " hex digits" : "a non-hex character");
  auto key = network::parse_node_key(digits);
  if (!key)
    return std::string("--node-key: not a valid secp256k1 secret key (it must be at least 1 and below the curve order "
                       "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141)");
  return std::move(key).value();
}

/// The network, pruning and Prometheus flags. nullopt, or the error message.
std::optional<std::string> parse_network(const po::variables_map& vm, bool dev, service::ServiceOptions& o) {
  auto& n = o.networking;
  n.enabled = vm.count("no-network") == 0;
  uint16_t port = 30333;
  if (vm.count("port")) {
    auto p = vm["port"].as<unsigned>();
    if (p > 65535) return "--port: " + std::to_string(p) + " is not a port (0-65535)";
    port = static_cast<uint16_t>(p);
  } else {
    n.fallback_to_free_port = true;
  }
  if (auto error = parse_addrs(vm, "listen-addr", false, n.network.listen_addrs)) return error;
  if (n.network.listen_addrs.empty()) {
    n.network.listen_addrs.push_back(network::Multiaddr{network::Multiaddr::Kind::Ip4, "0.0.0.0", port, std::nullopt});
  } else {
    n.fallback_to_free_port = false;
    for (const auto& a : n.network.listen_addrs)
      if (a.is_dns() || a.peer) return "--listen-addr: '" + a.to_string() + "' must be /ip4|ip6/ADDR/tcp/PORT";
  }
  if (auto error = parse_addrs(vm, "public-addr", false, n.network.public_addrs)) return error;
  if (auto error = parse_addrs(vm, "bootnodes", true, n.network.bootnodes)) return error;
  if (auto error = parse_addrs(vm, "reserved-nodes", true, n.network.reserved_nodes)) return error;
  n.network.reserved_only = vm.count("reserved-only") != 0;
  if (vm.count("in-peers")) n.network.in_peers = vm["in-peers"].as<unsigned>();
  if (vm.count("out-peers")) n.network.out_peers = vm["out-peers"].as<unsigned>();
  if (vm.count("node-key-file")) n.node_key_file = vm["node-key-file"].as<std::string>();
  if (vm.count("node-key")) {
    if (vm.count("node-key-file")) return std::string("--node-key and --node-key-file exclude each other");
    auto key = parse_node_key_arg(vm["node-key"].as<std::string>());
    if (!key) return key.error();
    n.node_key = std::move(key).value();
  }

  if (vm.count("state-pruning")) {
    const auto v = vm["state-pruning"].as<std::string>();
    if (v == "archive" || v == "archive-canonical") {
      o.chain_options.state_pruning = std::nullopt;
    } else {
      unsigned long keep = 0;
      try {
        std::size_t used = 0;
        keep = std::stoul(v, &used);
        if (used != v.size()) throw std::invalid_argument(v);
      } catch (const std::exception&) {
        return "--state-pruning: expected a number of blocks or archive, got '" + v + "'";
      }
      if (keep == 0 || keep > 1000000000) return "--state-pruning: " + v + " is not between 1 and 10^9 blocks";
      o.chain_options.state_pruning = static_cast<uint32_t>(keep);
    }
  } else {
    o.chain_options.state_pruning = dev ? std::nullopt : std::optional<uint32_t>(256);
  }
  if (vm.count("blocks-pruning")) {
    const auto v = vm["blocks-pruning"].as<std::string>();
    if (v != "archive")
      return "--blocks-pruning: only archive is supported (every block is kept), got '" + v + "'";
  }

  auto& p = o.prometheus;
  p.enabled = vm.count("no-prometheus") == 0;
  if (vm.count("prometheus-port")) {
    auto port_value = vm["prometheus-port"].as<unsigned>();
    if (port_value > 65535) return "--prometheus-port: " + std::to_string(port_value) + " is not a port (0-65535)";
    p.port = static_cast<uint16_t>(port_value);
  } else {
    p.optional = true;  // the default port may be taken by another node on this machine
  }
  if (vm.count("prometheus-external")) p.listen_address = "0.0.0.0";
  return std::nullopt;
}

/// The dev-account shortcut given (--alice ...): its capitalised name, or nullopt.
std::optional<std::string> dev_account(const po::variables_map& vm, std::string& error) {
  std::optional<std::string> found;
  for (const char* name : {"alice", "bob", "charlie", "dave", "eve", "ferdie"}) {
    if (!vm.count(name)) continue;
    if (found) {
      error = "--" + std::string(name) + " and another dev account shortcut exclude each other";
      return std::nullopt;
    }
    std::string capital(name);
    capital[0] = static_cast<char>(std::toupper(capital[0]));
    found = capital;
  }
  return found;
}

std::filesystem::path default_base_path() {
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local" / "share" / "bazaar";
  return std::filesystem::current_path() / "bazaar-data";
}

}  // namespace

namespace {

/// `key generate-node-key ...` and `build-spec ...` (argv[1] is the subcommand).
boost::outcome_v2::result<CliCommand, std::string> parse_subcommand(int argc, const char* const* argv) {
  const std::string sub = argv[1];
  CliCommand cmd;
  po::options_description desc;
  int skip = 2;
  if (sub == "key") {
    if (argc < 3 || std::string_view(argv[2]) != "generate-node-key")
      return std::string("key: the only key subcommand is generate-node-key");
    skip = 3;
    cmd.kind = CliCommand::Kind::GenerateNodeKey;
    desc.add_options()("file", po::value<std::string>()->value_name("PATH"), "write the key to PATH (else: stdout)");
  } else {
    cmd.kind = CliCommand::Kind::BuildSpec;
    desc.add_options()
        ("chain", po::value<std::string>()->value_name("NAME|FILE"), "the spec to write (default local)")
        ("raw", "write the genesis as raw storage key/values")
        ("bootnodes", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("MULTIADDR"), "bootnodes to add to the spec");
  }
  desc.add_options()("help,h", "print this help");
  po::variables_map vm;
  try {
    po::positional_options_description none;
    po::store(po::command_line_parser(argc - skip + 1, argv + skip - 1).options(desc).positional(none).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return sub + ": " + e.what();
  }
  if (vm.count("help")) {
    std::ostringstream out;
    out << "Usage: bazaar-node " << (sub == "key" ? "key generate-node-key" : "build-spec") << " [OPTIONS]\n" << desc;
    return CliCommand{CliCommand::Kind::Help, {}, out.str()};
  }
  if (cmd.kind == CliCommand::Kind::GenerateNodeKey) {
    if (vm.count("file")) cmd.key_file = vm["file"].as<std::string>();
    return cmd;
  }
  cmd.options.chain = vm.count("chain") ? vm["chain"].as<std::string>() : "local";
  cmd.raw = vm.count("raw") != 0;
  if (auto error = parse_addrs(vm, "bootnodes", true, cmd.options.networking.network.bootnodes)) return *error;
  return cmd;
}

}  // namespace

boost::outcome_v2::result<CliCommand, std::string> parse_command_line(int argc, const char* const* argv) {
  if (argc >= 2 && (std::string_view(argv[1]) == "key" || std::string_view(argv[1]) == "build-spec"))
    return parse_subcommand(argc, argv);
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

  std::string account_error;
  const auto account = dev_account(vm, account_error);
  if (!account_error.empty()) return account_error;
  if (account) {
    if (vm.count("key")) return std::string("--key and --") + boost::algorithm::to_lower_copy(*account) + " exclude each other";
    if (!vm.count("name")) o.node_name = *account;
    if (!o.storage.base_path && !o.storage.tmp)
      o.storage.base_path = default_base_path() / boost::algorithm::to_lower_copy(*account);
  }
  o.authoring.validator = dev || account || vm.count("validator") != 0;
  if (account) {
    o.authoring.key_suri = "//" + *account;
  } else if (vm.count("key")) {
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

  if (auto error = parse_network(vm, dev, o)) return *error;

  if (vm.count("log")) o.log_specs = vm["log"].as<std::vector<std::string>>();
  return cmd;
}

}  // namespace bazaar::node::cli
