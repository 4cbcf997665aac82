#include "node/cli/cli.hpp"
#include "tests/node/service/cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <vector>

using namespace bazaar::node;
using bazaar::test::cli_error_of;
using bazaar::test::parse_cli;

namespace {


}  // namespace

SCENARIO("--dev expands to a temporary single-authority dev chain") {
  WHEN("only --dev is given") {
    auto r = parse_cli({"--dev"});
    REQUIRE(r);
    const auto& o = r.value().options;
    THEN("chain dev, validator with //Alice, --tmp, RPC on 9944 loopback") {
      CHECK(r.value().kind == cli::CliCommand::Kind::Run);
      CHECK(o.chain == "dev");
      CHECK(o.authoring.validator);
      CHECK(o.authoring.key_suri == "//Alice");
      CHECK(o.storage.tmp);
      CHECK_FALSE(o.storage.base_path);
      CHECK(o.rpc.port == 9944);
      CHECK(o.rpc.listen_address == "127.0.0.1");
      CHECK_FALSE(o.provider.enabled);
    }
  }
  WHEN("--dev comes with --base-path, --key and --chain") {
    auto r = parse_cli({"--dev", "--base-path", "/tmp/x", "--key", "//Bob", "--chain", "local"});
    REQUIRE(r);
    const auto& o = r.value().options;
    THEN("those win and the data persists") {
      CHECK(o.chain == "local");
      CHECK(o.authoring.key_suri == "//Bob");
      CHECK_FALSE(o.storage.tmp);
      CHECK(o.storage.base_path == std::filesystem::path("/tmp/x"));
    }
  }
}

SCENARIO("RPC, logging and provider flags fill their options") {
  auto r = parse_cli({"--chain", "spec.json", "--tmp", "--rpc-port", "0", "--rpc-external", "--rpc-cors",
                  "http://a.example, http://b.example", "--rpc-max-connections", "7", "--rpc-methods", "unsafe",
                  "-l", "txpool=debug", "--log", "rpc=trace,info", "--name", "n1", "--provider", "--provider-key",
                  "//Charlie", "--provider-db", "/tmp/pdb"});
  REQUIRE(r);
  const auto& o = r.value().options;
  CHECK(o.chain == "spec.json");
  CHECK(o.storage.tmp);
  CHECK(o.rpc.port == 0);
  CHECK(o.rpc.listen_address == "0.0.0.0");
  CHECK(o.rpc.cors_origins == std::vector<std::string>{"http://a.example", "http://b.example"});
  CHECK(o.rpc.max_connections == 7);
  CHECK(o.rpc.methods == bazaar::rpc::RpcMethods::Unsafe);
  CHECK(o.log_specs == std::vector<std::string>{"txpool=debug", "rpc=trace,info"});
  CHECK(o.node_name == "n1");
  CHECK_FALSE(o.authoring.validator);
  CHECK(o.provider.enabled);
  CHECK(o.provider.key_suri == "//Charlie");
  CHECK(o.provider.db_path == std::filesystem::path("/tmp/pdb"));
}

SCENARIO("RPC limits and the unsafe-method policy") {
  WHEN("no RPC flag is given") {
    auto r = parse_cli({"--tmp"});
    REQUIRE(r);
    const auto& o = r.value().options.rpc;
    THEN("unsafe methods are for loopback peers and browsers from local pages and polkadot.js.org") {
      CHECK(o.methods == bazaar::rpc::RpcMethods::Auto);
      CHECK(o.cors_origins == bazaar::rpc::default_cors_origins());
      CHECK(o.listen_address == "127.0.0.1");
    }
  }
  WHEN("the limits are given") {
    auto r = parse_cli({"--tmp", "--rpc-max-request-size", "2", "--rpc-max-response-size", "3",
                    "--rpc-max-subscriptions-per-connection", "9", "--rpc-methods", "safe", "--rpc-cors", "all"});
    REQUIRE(r);
    const auto& o = r.value().options.rpc;
    THEN("they fill the server options (sizes in MB)") {
      CHECK(o.max_request_bytes == 2u * 1024 * 1024);
      CHECK(o.max_response_bytes == 3u * 1024 * 1024);
      CHECK(o.max_subscriptions_per_connection == 9);
      CHECK(o.methods == bazaar::rpc::RpcMethods::Safe);
      CHECK(o.cors_origins == std::vector<std::string>{"all"});
    }
  }
  THEN("bad values are refused with the flag's name") {
    for (auto args : std::vector<std::vector<const char*>>{{"--rpc-max-request-size", "0"},
                                                           {"--rpc-max-response-size", "5000"},
                                                           {"--rpc-max-subscriptions-per-connection", "0"},
                                                           {"--rpc-methods", "maybe"}}) {
      auto r = parse_cli({"--tmp", args[0], args[1]});
      REQUIRE_FALSE(r);
      CHECK(r.error().find(args[0]) != std::string::npos);
    }
  }
}

SCENARIO("--key reads a file when it names one") {
  GIVEN("a key file with a trailing newline") {
    auto path = std::filesystem::temp_directory_path() / ("bazaar-key-" + std::to_string(::getpid()));
    { std::ofstream(path) << "  //Dave  \n"; }
    auto r = parse_cli({"--validator", "--key", path.c_str()});
    std::filesystem::remove(path);
    REQUIRE(r);
    THEN("the SURI is its trimmed first line") { CHECK(r.value().options.authoring.key_suri == "//Dave"); }
  }
}

SCENARIO("bad flags are reported clearly") {
  CHECK(cli_error_of({"--frobnicate"}).find("frobnicate") != std::string::npos);
  CHECK(cli_error_of({"--rpc-port", "70000"}) == "--rpc-port: 70000 is not a port (0-65535)");
  CHECK(cli_error_of({"--rpc-port", "abc"}).find("rpc-port") != std::string::npos);
  CHECK(cli_error_of({"--rpc-port"}).find("rpc-port") != std::string::npos);
  CHECK(cli_error_of({"--tmp", "--base-path", "/x"}) == "--tmp and --base-path exclude each other");
  CHECK(cli_error_of({"--validator"}) == "--validator needs --key SURI|FILE");
  CHECK(cli_error_of({"--rpc-methods", "maybe"}).find("safe or unsafe") != std::string::npos);
  CHECK(cli_error_of({"--rpc-max-connections", "0"}).find("at least 1") != std::string::npos);
  CHECK(cli_error_of({"--rpc-cors", "a,,b"}).find("empty origin") != std::string::npos);
  CHECK(cli_error_of({"--provider-key", "//Bob"}).find("need --provider") != std::string::npos);
  CHECK(cli_error_of({"stray"}).find("see --help") != std::string::npos);
}

SCENARIO("--help and --version print instead of running") {
  auto help = parse_cli({"--help"});
  REQUIRE(help);
  CHECK(help.value().kind == cli::CliCommand::Kind::Help);
  CHECK(help.value().text.find("--rpc-port") != std::string::npos);
  auto version = parse_cli({"-V"});
  REQUIRE(version);
  CHECK(version.value().kind == cli::CliCommand::Kind::Version);
  CHECK(version.value().text.rfind("bazaar-node ", 0) == 0);
}
