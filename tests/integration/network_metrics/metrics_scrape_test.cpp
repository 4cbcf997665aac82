// Scrapes /metrics from three running validators (Alice with a fixed
// --node-key, Bob and Charlie joining through her) and checks every metric
// issue 4 lists: its type, its help, and a value that fits the network.

#include "node/network/peer_id.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "tests/integration/node_process.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

using namespace bazaar;
using bazaar::test::eventually;
using bazaar::test::NodeProcess;
using namespace std::chrono_literals;

namespace {

namespace http = boost::beast::http;

/// A parsed exposition: each family's type and help, each sample's value by "name{labels}".
struct Scrape {
  std::map<std::string, std::string> types;
  std::map<std::string, std::string> helps;
  std::map<std::string, double> samples;

  double at(const std::string& sample) const {
    auto it = samples.find(sample);
    return it == samples.end() ? -1 : it->second;
  }
};

/// GET http://127.0.0.1:port/metrics, parsed; nullopt if the endpoint does not answer 200.
std::optional<Scrape> scrape(uint16_t port) {
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> req{http::verb::get, "/metrics", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    if (res.result() != http::status::ok) return std::nullopt;
    Scrape s;
    std::istringstream in(res.body());
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# TYPE ", 0) == 0 || line.rfind("# HELP ", 0) == 0) {
        auto rest = line.substr(7);
        auto space = rest.find(' ');
        (line[2] == 'T' ? s.types : s.helps)[rest.substr(0, space)] = rest.substr(space + 1);
      } else if (!line.empty()) {
        auto space = line.rfind(' ');
        s.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
      }
    }
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

/// A free TCP port on 127.0.0.1 (bound and released).
uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

struct Validator {
  std::string name;
  uint16_t p2p_port = 0;
  uint16_t metrics_port = 0;
  std::unique_ptr<NodeProcess> process;
};

}  // namespace

SCENARIO("a running validator network serves every metric of issue 4 on its Prometheus endpoint") {
  GIVEN("Alice with node key 0x00..01, Bob and Charlie bootstrapping from her, each with a metrics port") {
    test::ScopedDir dir;
    const std::string alice_key(63, '0');
    const auto key = runtime::crypto::Keypair::from_secret(runtime::from_hex(alice_key + "1").value());
    REQUIRE(key);
    const auto alice_id = node::network::PeerId::from_public(key.value().public_key()).to_string();
    std::vector<Validator> nodes;
    for (const char* name : {"alice", "bob", "charlie"})
      nodes.push_back({name, free_port(), free_port(), nullptr});
    const auto bootnode = "/ip4/127.0.0.1/tcp/" + std::to_string(nodes[0].p2p_port) + "/p2p/" + alice_id;
    for (auto& n : nodes) {
      std::vector<std::string> args{"--chain", "local", "--" + n.name, "--base-path", (dir.path() / n.name).string(),
                                    "--port", std::to_string(n.p2p_port), "--rpc-port", "0",
                                    "--prometheus-port", std::to_string(n.metrics_port)};
      if (n.name == "alice") {
        args.insert(args.end(), {"--node-key", alice_key + "1"});
      } else {
        args.insert(args.end(), {"--bootnodes", bootnode});
      }
      n.process = std::make_unique<NodeProcess>(args);
      REQUIRE(n.process->wait_for_port());
    }
    auto logs = [&] {
      std::string out;
      for (auto& n : nodes) {
        auto text = n.process->output();
        out += "---- " + n.name + "\n" + text.substr(text.size() > 3000 ? text.size() - 3000 : 0);
      }
      return out;
    };

    WHEN("the network has finalized a few blocks") {
      const bool finalized = eventually(
          [&] {
            for (auto& n : nodes) {
              auto s = scrape(n.metrics_port);
              if (!s || s->at("bazaar_block_height{status=\"finalized\"}") < 3) return false;
            }
            return true;
          },
          90s);
      INFO(logs());
      REQUIRE(finalized);

      THEN("every node's scrape has each metric with its type, a help line and a fitting value") {
        // Bob and Charlie found Alice by the peer id of her --node-key, which she prints.
        CHECK(nodes[0].process->output().find("Local node identity is: " + alice_id) != std::string::npos);
        for (auto& n : nodes) {
          INFO(n.name);
          auto s = scrape(n.metrics_port);
          REQUIRE(s);
          const std::map<std::string, std::string> expected_types{
              {"bazaar_block_height", "gauge"},          {"bazaar_blocks_imported_total", "counter"},
              {"bazaar_block_import_seconds", "histogram"}, {"bazaar_txpool_transactions", "gauge"},
              {"bazaar_peers", "gauge"},                 {"bazaar_sync_is_syncing", "gauge"},
              {"bazaar_sync_highest_block", "gauge"},    {"bazaar_sync_starting_block", "gauge"},
              {"bazaar_network_bytes_total", "counter"}, {"bazaar_finality_round", "gauge"}};
          for (const auto& [name, type] : expected_types) {
            INFO(name);
            CHECK(s->types[name] == type);
            CHECK(s->helps[name].size() > 10);
          }
          const double best = s->at("bazaar_block_height{status=\"best\"}");
          CHECK(best >= 3);
          CHECK(s->at("bazaar_block_height{status=\"finalized\"}") <= best);
          CHECK(s->at("bazaar_txpool_transactions{queue=\"ready\"}") >= 0);
          CHECK(s->at("bazaar_txpool_transactions{queue=\"future\"}") >= 0);
          CHECK(s->at("bazaar_peers") == 2);
          // Every block of the best chain was imported here, whoever authored
          // it: the import-time histogram counts them all, as does the counter.
          const double timed = s->at("bazaar_block_import_seconds_count");
          const double imported = s->at("bazaar_blocks_imported_total");
          CHECK(timed + 1 >= best);
          CHECK(imported >= timed);
          CHECK(imported <= timed + 1);
          CHECK(s->at("bazaar_block_import_seconds_bucket{le=\"+Inf\"}") == timed);
          CHECK(s->at("bazaar_block_import_seconds_sum") > 0);
          CHECK(s->at("bazaar_sync_is_syncing") == 0);
          CHECK(s->at("bazaar_sync_highest_block") >= 3);
          CHECK(s->at("bazaar_sync_starting_block") == 0);
          CHECK(s->at("bazaar_network_bytes_total{direction=\"in\"}") > 0);
          CHECK(s->at("bazaar_network_bytes_total{direction=\"out\"}") > 0);
          CHECK(s->at("bazaar_finality_round") >= 1);
        }
      }
    }
  }
}
