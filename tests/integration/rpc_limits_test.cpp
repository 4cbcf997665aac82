// RPC bounds and hygiene on real nodes: subscriptions dropped by disconnecting
// clients are freed (the node's live count returns to 0 and its resident
// memory to near its baseline), --rpc-methods, --rpc-max-request-size,
// --rpc-max-subscriptions-per-connection and --rpc-cors.

#include "tests/integration/node_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

using bazaar::test::eventually;
using bazaar::test::http_rpc;
using bazaar::test::NodeProcess;
using nlohmann::json;

namespace {

namespace websocket = boost::beast::websocket;

/// A bare WebSocket client: no automatic unsubscribe, so dropping it leaves the
/// server with subscriptions of a vanished peer.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : m_ws(m_ioc) {
    m_ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    m_ws.handshake("127.0.0.1:" + std::to_string(port), "/");
    m_ws.text(true);
  }
  /// Sends a request and reads messages until its reply (skipping notifications).
  json call(const std::string& method, const json& params) {
    int id = ++m_id;
    m_ws.write(boost::asio::buffer(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump()));
    for (;;) {
      boost::beast::flat_buffer buffer;
      m_ws.read(buffer);
      auto message = json::parse(boost::beast::buffers_to_string(buffer.data()));
      if (message.contains("id") && message["id"] == id) return message;
    }
  }
  void send_raw(const std::string& text) { m_ws.write(boost::asio::buffer(text)); }
  json read() {
    boost::beast::flat_buffer buffer;
    m_ws.read(buffer);
    return json::parse(boost::beast::buffers_to_string(buffer.data()));
  }

 private:
  boost::asio::io_context m_ioc;
  websocket::stream<boost::asio::ip::tcp::socket> m_ws;
  int m_id = 0;
};

/// The pids of this process's children named bazaar-node.
std::set<pid_t> node_children() {
  std::set<pid_t> out;
  DIR* proc = opendir("/proc");
  if (!proc) return out;
  while (auto* entry = readdir(proc)) {
    pid_t pid = static_cast<pid_t>(std::atol(entry->d_name));
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    auto close = line.rfind(')');
    auto open = line.find('(');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == getpid() && line.substr(open + 1, close - open - 1) == "bazaar-node") out.insert(pid);
  }
  closedir(proc);
  return out;
}

/// VmRSS of a process in kB (0 if unreadable).
long resident_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return 0;
}

/// Opens `count` subscriptions spread over connections of 100, then drops every connection.
void open_and_drop(uint16_t port, int count) {
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < count; ++i) {
    if (i % 100 == 0) clients.push_back(std::make_unique<RawClient>(port));
    auto& c = *clients.back();
    json r;
    switch (i % 3) {
      case 0: r = c.call("chain_subscribeNewHeads", json::array()); break;
      case 1: r = c.call("state_subscribeStorage", json::array({json::array({"0x26aa394eea5630e07c48ae0c9558cef7"})})); break;
      default: r = c.call("state_subscribeRuntimeVersion", json::array()); break;
    }
    REQUIRE(r.contains("result"));
  }
  clients.clear();  // disconnect without unsubscribing
}

uint64_t live_subscriptions(uint16_t port) {
  return http_rpc(port, "bazaar_rpcStats")["result"]["subscriptions"].get<uint64_t>();
}

}  // namespace

SCENARIO("subscriptions of clients that disconnect are freed", "[integration]") {
  auto before = node_children();
  NodeProcess node({"--dev", "--tmp", "--rpc-port", "0"});
  auto port = node.wait_for_port();
  INFO(node.output());
  REQUIRE(port);
  auto after = node_children();
  std::set<pid_t> mine;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::inserter(mine, mine.end()));
  REQUIRE(mine.size() == 1);
  pid_t pid = *mine.begin();

  GIVEN("a node that has served 1,000 subscriptions once (allocator warmed up)") {
    open_and_drop(*port, 1000);
    REQUIRE(eventually([&] { return live_subscriptions(*port) == 0; }));
    long baseline = resident_kb(pid);
    REQUIRE(baseline > 0);
    WHEN("clients open and drop 1,000 subscriptions three more times") {
      for (int round = 0; round < 3; ++round) {
        open_and_drop(*port, 1000);
        REQUIRE(eventually([&] { return live_subscriptions(*port) == 0; }));
      }
      THEN("the live count is 0 and resident memory is back near the baseline") {
        long now = resident_kb(pid);
        INFO("baseline " << baseline << " kB, now " << now << " kB");
        CHECK(now < baseline + 16 * 1024);
        CHECK(http_rpc(*port, "bazaar_rpcStats")["result"]["subscriptions"] == 0);
        CHECK(node.running());
      }
    }
  }
}

SCENARIO("a storage subscription without keys reports each block's changes", "[integration]") {
  NodeProcess node({"--dev", "--tmp", "--rpc-port", "0"});
  auto port = node.wait_for_port();
  REQUIRE(port);
  RawClient c(*port);
  auto id = c.call("state_subscribeStorage", json::array())["result"];
  REQUIRE(id.is_string());
  auto initial = c.read();
  CHECK(initial["params"]["result"]["changes"] == json::array());
  auto next = c.read();  // the next block's changes
  REQUIRE(next["method"] == "state_storage");
  auto changes = next["params"]["result"]["changes"];
  // System.Number (twox128("System") ++ twox128("Number")) changes in every block.
  std::string number_key = "0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac";
  CHECK(std::any_of(changes.begin(), changes.end(), [&](const json& kv) { return kv[0] == number_key; }));
  auto block = next["params"]["result"]["block"];
  for (const auto& kv : changes) {
    INFO(kv.dump());
    CHECK(http_rpc(*port, "state_getStorage", json::array({kv[0], block}))["result"] == kv[1]);
  }
}

SCENARIO("RPC flags bound the server and answer with JSON-RPC errors", "[integration]") {
  NodeProcess node({"--dev", "--tmp", "--rpc-port", "0", "--rpc-methods", "safe", "--rpc-max-request-size", "1",
                    "--rpc-max-subscriptions-per-connection", "2", "--rpc-cors", "http://good.example"});
  auto port = node.wait_for_port();
  INFO(node.output());
  REQUIRE(port);
  THEN("--rpc-methods safe refuses unsafe methods even on loopback") {
    auto r = http_rpc(*port, "author_rotateKeys");
    CHECK(r["error"]["code"] == -32601);
    CHECK(r["error"]["message"].get<std::string>().find("--rpc-methods safe") != std::string::npos);
    CHECK(http_rpc(*port, "system_name")["result"] == "bazaar-node");
  }
  THEN("a request over 1 MB is -32007, over HTTP and WebSocket, and the node lives on") {
    std::string big = json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "system_name"},
                           {"params", json::array({std::string(2 * 1024 * 1024, 'a')})}}.dump();
    auto r = bazaar::test::http_post(*port, big);
    CHECK(r.status == 413);
    CHECK(json::parse(r.body)["error"]["code"] == -32007);
    RawClient c(*port);
    c.send_raw(big);
    CHECK(c.read()["error"]["code"] == -32007);
    CHECK(c.call("system_name", json::array())["result"] == "bazaar-node");
  }
  THEN("the third subscription on a connection is -32006") {
    RawClient c(*port);
    CHECK(c.call("chain_subscribeNewHeads", json::array())["result"].is_string());
    CHECK(c.call("chain_subscribeNewHeads", json::array())["result"].is_string());
    auto third = c.call("chain_subscribeNewHeads", json::array());
    CHECK(third["error"]["code"] == -32006);
  }
  THEN("--rpc-cors admits the listed origin only") {
    auto with_origin = [&](const std::string& origin) {
      boost::asio::io_context ioc;
      boost::asio::ip::tcp::socket s(ioc);
      s.connect({boost::asio::ip::make_address("127.0.0.1"), *port});
      std::string body = R"({"jsonrpc":"2.0","id":1,"method":"system_name"})";
      std::string req = "POST / HTTP/1.1\r\nHost: x\r\nOrigin: " + origin +
                        "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
      boost::asio::write(s, boost::asio::buffer(req));
      std::string reply;
      boost::system::error_code ec;
      char buf[4096];
      for (;;) {
        auto n = s.read_some(boost::asio::buffer(buf), ec);
        reply.append(buf, n);
        if (ec) break;
      }
      return reply.substr(0, reply.find("\r\n"));
    };
    CHECK(with_origin("http://good.example").find("200") != std::string::npos);
    CHECK(with_origin("http://evil.example").find("403") != std::string::npos);
  }
}
