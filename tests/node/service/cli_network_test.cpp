// The validator-network flags and subcommands of bazaar-node's command line.

#include "genesis/chain_spec.hpp"
#include "node/cli/cli.hpp"
#include "node/cli/commands.hpp"
#include "node/network/node_key.hpp"
#include "node/network/peer_id.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "tests/node/service/cli_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <unistd.h>
#include <vector>

using namespace bazaar::node;
using bazaar::test::cli_error_of;
using bazaar::test::parse_cli;

namespace {


constexpr const char* kBoot = "/ip4/127.0.0.1/tcp/30333/p2p/2Drjgb5JaqoeLJEWb2b68XRtbKC5unSU5wA5wGeduBXob4GHVt";
/// The peer id of node key 0x00…01, which README.md's "Run a validator network" gives Alice.
constexpr const char* kReadmeAliceId = "2Drjgb73jkCKE4JvQ4DuEPvfonn3siVZa4nTBuXmuFfJCzg3rE";

}  // namespace

SCENARIO("dev-account shortcuts make a validator with that key, name and base path") {
  WHEN("--alice is given on the local chain") {
    auto r = parse_cli({"--chain", "local", "--alice"});
    REQUIRE(r);
    const auto& o = r.value().options;
    THEN("it is a validator with //Alice, named Alice, with a base path of its own") {
      CHECK(o.authoring.validator);
      CHECK(o.authoring.key_suri == "//Alice");
      CHECK(o.node_name == "Alice");
      REQUIRE(o.storage.base_path);
      CHECK(o.storage.base_path->filename() == "alice");
    }
    THEN("networking is on with the default port (free-port fallback) and state pruning keeps 256") {
      CHECK(o.networking.enabled);
      REQUIRE(o.networking.network.listen_addrs.size() == 1);
      CHECK(o.networking.network.listen_addrs[0].port == 30333);
      CHECK(o.networking.fallback_to_free_port);
      CHECK(o.chain_options.state_pruning == std::optional<uint32_t>(256));
      CHECK(o.prometheus.enabled);
      CHECK(o.prometheus.port == 9615);
      CHECK(o.prometheus.listen_address == "127.0.0.1");
    }
  }
  WHEN("--bob comes with --base-path") {
    auto r = parse_cli({"--bob", "--base-path", "/tmp/b"});
    REQUIRE(r);
    THEN("the given base path is kept") { CHECK(*r.value().options.storage.base_path == "/tmp/b"); }
  }
  THEN("two shortcuts, or a shortcut and --key, are refused") {
    CHECK_THAT(cli_error_of({"--alice", "--bob"}), Catch::Contains("exclude each other"));
    CHECK_THAT(cli_error_of({"--charlie", "--key", "//Dave"}), Catch::Contains("exclude each other"));
  }
}

SCENARIO("network, pruning and metrics flags") {
  WHEN("every network flag is given") {
    auto r = parse_cli({"--chain", "local", "--port", "30400", "--public-addr", "/ip4/1.2.3.4/tcp/30400", "--bootnodes",
                    kBoot, "--reserved-nodes", kBoot, "--reserved-only", "--in-peers", "5", "--out-peers", "3",
                    "--node-key-file", "/tmp/k", "--state-pruning", "archive", "--blocks-pruning", "archive",
                    "--prometheus-port", "9700", "--prometheus-external"});
    REQUIRE(r);
    const auto& o = r.value().options;
    THEN("they land in the options") {
      CHECK(o.networking.network.listen_addrs[0].to_string() == "/ip4/0.0.0.0/tcp/30400");
      CHECK_FALSE(o.networking.fallback_to_free_port);
      CHECK(o.networking.network.public_addrs[0].to_string() == "/ip4/1.2.3.4/tcp/30400");
      REQUIRE(o.networking.network.bootnodes.size() == 1);
      CHECK(o.networking.network.bootnodes[0].to_string() == kBoot);
      CHECK(o.networking.network.reserved_nodes.size() == 1);
      CHECK(o.networking.network.reserved_only);
      CHECK(o.networking.network.in_peers == 5);
      CHECK(o.networking.network.out_peers == 3);
      CHECK(*o.networking.node_key_file == "/tmp/k");
      CHECK_FALSE(o.chain_options.state_pruning);
      CHECK(o.prometheus.port == 9700);
      CHECK_FALSE(o.prometheus.optional);
      CHECK(o.prometheus.listen_address == "0.0.0.0");
    }
  }
  WHEN("--dev is given alone") {
    auto r = parse_cli({"--dev"});
    REQUIRE(r);
    THEN("its states are archived") { CHECK_FALSE(r.value().options.chain_options.state_pruning); }
  }
  WHEN("--state-pruning 100 --no-prometheus --no-network") {
    auto r = parse_cli({"--state-pruning", "100", "--no-prometheus", "--no-network"});
    REQUIRE(r);
    THEN("they are taken") {
      CHECK(r.value().options.chain_options.state_pruning == std::optional<uint32_t>(100));
      CHECK_FALSE(r.value().options.prometheus.enabled);
      CHECK_FALSE(r.value().options.networking.enabled);
    }
  }
  THEN("bad values are refused with the flag named") {
    CHECK_THAT(cli_error_of({"--bootnodes", "/ip4/127.0.0.1/tcp/30333"}), Catch::Contains("--bootnodes") && Catch::Contains("/p2p"));
    CHECK_THAT(cli_error_of({"--bootnodes", "nonsense"}), Catch::Contains("--bootnodes"));
    CHECK_THAT(cli_error_of({"--port", "70000"}), Catch::Contains("--port"));
    CHECK_THAT(cli_error_of({"--state-pruning", "lots"}), Catch::Contains("--state-pruning"));
    CHECK_THAT(cli_error_of({"--state-pruning", "0"}), Catch::Contains("--state-pruning"));
    CHECK_THAT(cli_error_of({"--blocks-pruning", "256"}), Catch::Contains("only archive"));
    CHECK_THAT(cli_error_of({"--listen-addr", kBoot}), Catch::Contains("--listen-addr"));
  }
}

SCENARIO("--node-key gives the node key as hex, like Substrate's") {
  constexpr const char* kOne = "0000000000000000000000000000000000000000000000000000000000000001";
  // The secp256k1 group order n: the first secret that is out of range.
  constexpr const char* kOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
  constexpr const char* kOrderMinusOne = "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140";
  WHEN("a valid secret is given") {
    auto r = parse_cli({"--chain", "local", "--alice", "--node-key", kOne});
    REQUIRE(r);
    const auto& o = r.value().options;
    THEN("the service gets that key, and no key file") {
      REQUIRE(o.networking.node_key);
      auto expected = bazaar::runtime::crypto::Keypair::from_secret(bazaar::runtime::from_hex(kOne).value());
      REQUIRE(expected);
      CHECK(o.networking.node_key->public_key() == expected.value().public_key());
      CHECK_FALSE(o.networking.node_key_file);
      AND_THEN("its peer id is the one the README prints for Alice") {
        CHECK(network::PeerId::from_public(o.networking.node_key->public_key()).to_string() == kReadmeAliceId);
      }
    }
  }
  WHEN("the largest valid secret is given 0x-prefixed in capitals") {
    auto r = parse_cli({"--node-key", kOrderMinusOne});
    REQUIRE(r);
    THEN("it is taken") { CHECK(r.value().options.networking.node_key); }
  }
  WHEN("no --node-key is given") {
    auto r = parse_cli({"--chain", "local"});
    REQUIRE(r);
    THEN("the key comes from the key file as before") { CHECK_FALSE(r.value().options.networking.node_key); }
  }
  THEN("it excludes --node-key-file") {
    CHECK_THAT(cli_error_of({"--node-key", kOne, "--node-key-file", "/tmp/k"}),
               Catch::Contains("--node-key and --node-key-file exclude each other"));
  }
  THEN("a malformed key is refused saying what a key looks like") {
    const std::string short_key(63, 'a');
    CHECK_THAT(cli_error_of({"--node-key", short_key.c_str()}),
               Catch::Contains("--node-key: expected 64 hex digits") && Catch::Contains("got 63 hex digits"));
    const std::string not_hex = std::string(63, '1') + "g";
    CHECK_THAT(cli_error_of({"--node-key", not_hex.c_str()}), Catch::Contains("got a non-hex character"));
    CHECK_THAT(cli_error_of({"--node-key", ""}), Catch::Contains("got 0 hex digits"));
  }
  THEN("an out-of-range secret (zero, the group order or above) is refused as such") {
    const std::string zero(64, '0');
    for (const std::string& bad : {zero, std::string(kOrder), std::string(64, 'f')})
      CHECK_THAT(cli_error_of({"--node-key", bad.c_str()}), Catch::Contains("not a valid secp256k1 secret key"));
  }
}

SCENARIO("subcommands: key generate-node-key and build-spec") {
  const auto dir = std::filesystem::temp_directory_path() / ("bazaar-cli-net-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  WHEN("a node key is generated into a file") {
    const auto file = dir / "node.key";
    auto r = parse_cli({"key", "generate-node-key", "--file", file.c_str()});
    REQUIRE(r);
    REQUIRE(r.value().kind == cli::CliCommand::Kind::GenerateNodeKey);
    std::ostringstream out, err;
    CHECK(cli::run_subcommand(r.value(), out, err) == 0);
    THEN("the file holds a key whose peer id was printed, and a second run does not overwrite it") {
      auto key = network::load_node_key(file);
      REQUIRE(key);
      CHECK(out.str() == network::PeerId::from_public(key.value().public_key()).to_string() + "\n");
      std::ostringstream out2, err2;
      CHECK(cli::run_subcommand(r.value(), out2, err2) == 1);
      CHECK_THAT(err2.str(), Catch::Contains("exists"));
    }
  }
  WHEN("build-spec writes the local spec raw with a bootnode") {
    auto r = parse_cli({"build-spec", "--chain", "local", "--raw", "--bootnodes", kBoot});
    REQUIRE(r);
    REQUIRE(r.value().kind == cli::CliCommand::Kind::BuildSpec);
    std::ostringstream out, err;
    REQUIRE(cli::run_subcommand(r.value(), out, err) == 0);
    THEN("the output is a raw spec the loader accepts, with the same genesis and the bootnode") {
      std::string detail;
      auto spec = bazaar::genesis::parse_chain_spec(out.str(), &detail);
      INFO(detail);
      REQUIRE(spec);
      CHECK(spec.value().genesis_storage == bazaar::genesis::resolve_chain_spec("local").value().genesis_storage);
      CHECK(spec.value().boot_nodes == std::vector<std::string>{kBoot});
    }
  }
  THEN("unknown key subcommands are refused") {
    CHECK_THAT(cli_error_of({"key", "insert"}), Catch::Contains("generate-node-key"));
  }
  std::filesystem::remove_all(dir);
}
