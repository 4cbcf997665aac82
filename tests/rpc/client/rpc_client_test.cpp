#include "rpc/client/rpc_client.hpp"

#include "rpc/client/client_core.hpp"
#include "rpc/server/rpc_server.hpp"
#include "tests/rpc/support/toy_registry.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace bazaar::rpc;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct Served {
  explicit Served(RpcServerOptions options = {}) {
    test::add_toy_methods(registry, state);
    registry.add("slow", "Waits until the test releases it", {}, [this] {
      release.wait_for(10s);
      return "late";
    });
    options.port = 0;
    server = std::make_unique<RpcServer>(options, registry);
    REQUIRE(server->start().has_value());
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(server->port()); }
  std::shared_ptr<test::ToyState> state = std::make_shared<test::ToyState>();
  std::promise<void> released;
  std::shared_future<void> release = released.get_future().share();
  MethodRegistry registry;
  std::unique_ptr<RpcServer> server;
};

}  // namespace

SCENARIO("URLs are parsed into host, port and path") {
  using bazaar::rpc::detail::parse_ws_url;
  auto a = parse_ws_url("ws://127.0.0.1:9944");
  REQUIRE(a);
  CHECK(a.value().host == "127.0.0.1");
  CHECK(a.value().port == "9944");
  CHECK(a.value().path == "/");
  auto b = parse_ws_url("http://node.example/rpc");
  REQUIRE(b);
  CHECK(b.value().host == "node.example");
  CHECK(b.value().port == "80");
  CHECK(b.value().path == "/rpc");
  auto c = parse_ws_url("ws://[::1]:1234/x");
  REQUIRE(c);
  CHECK(c.value().host == "::1");
  CHECK(c.value().port == "1234");
  CHECK(parse_ws_url("wss://x:1").error() == RpcClientError::UnsupportedScheme);
  CHECK(parse_ws_url("localhost:9944").error() == RpcClientError::InvalidUrl);
  CHECK(parse_ws_url("ws://:9944").error() == RpcClientError::InvalidUrl);
  CHECK(parse_ws_url("ws://h:99999").error() == RpcClientError::InvalidUrl);
  CHECK(parse_ws_url("ws://h:").error() == RpcClientError::InvalidUrl);
}

SCENARIO("calls over WebSocket") {
  Served s;
  auto connected = RpcClient::connect(s.url());
  REQUIRE(connected);
  auto client = std::move(connected).value();
  THEN("results come back for positional and named params") {
    CHECK(client.call("add", {40, 2}).value() == 42);
    CHECK(client.call("add", json{{"a", 1}, {"b", 2}}).value() == 3);
    CHECK(client.call("greet").value() == "hello, world");
    CHECK(client.is_open());
  }
  THEN("a JSON-RPC error gives CallFailed with code, message and data") {
    RpcCallError details;
    auto r = client.call("fail_app", json::array(), &details);
    REQUIRE(r.has_error());
    CHECK(r.error() == RpcClientError::CallFailed);
    CHECK(details.code == 1010);
    CHECK(details.message == "Invalid Transaction");
    CHECK(details.data == "bad signature");
    CHECK(details.to_string() == "1010: Invalid Transaction: bad signature");
    CHECK(client.call("nope", json::array(), &details).has_error());
    CHECK(details.code == kMethodNotFound);
    CHECK(details.data.is_null());
  }
  THEN("several threads share the connection") {
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          auto r = client.call("add", {t * 1000, i});
          if (r && r.value() == t * 1000 + i) ++good;
        }
      });
    for (auto& th : threads) th.join();
    CHECK(good == 200);
  }
}

SCENARIO("a call that is not answered in time") {
  Served s;
  RpcClientOptions options;
  options.call_timeout = 200ms;
  auto client = RpcClient::connect(s.url(), options).value();
  WHEN("the handler is slow") {
    auto r = client.call("slow");
    THEN("the call times out, and the late reply does not disturb later calls") {
      REQUIRE(r.has_error());
      CHECK(r.error() == RpcClientError::Timeout);
      s.released.set_value();
      CHECK(client.call("add", {1, 2}).value() == 3);
    }
  }
}

SCENARIO("subscriptions through the client") {
  Served s;
  auto client = RpcClient::connect(s.url()).value();
  GIVEN("a subscription") {
    auto sub = client.subscribe("test_subscribeCount", {3}, "test_unsubscribeCount");
    REQUIRE(sub);
    auto& subscription = sub.value();
    THEN("the initial notification and later ones are queued in order") {
      CHECK(!subscription.id().empty());
      CHECK(subscription.next(5s).value() == 3);
      REQUIRE(test::eventually([&] { return s.state->last().has_value(); }));
      s.state->last()->send(4);
      s.state->last()->send(5);
      CHECK(subscription.next(5s).value() == 4);
      CHECK(subscription.next(5s).value() == 5);
      CHECK(subscription.next(20ms).error() == RpcClientError::Timeout);
    }
    WHEN("it is unsubscribed") {
      REQUIRE(subscription.next(5s).value() == 3);
      auto answer = subscription.unsubscribe();
      THEN("the server answers true and the subscription ends") {
        CHECK(answer.value() == true);
        CHECK(subscription.next(5s).error() == RpcClientError::SubscriptionClosed);
        CHECK(s.state->closed == 1);
      }
    }
    WHEN("the Subscription object is destroyed") {
      { auto gone = std::move(subscription); }
      THEN("the server-side subscription is ended") {
        CHECK(test::eventually([&] { return s.state->closed == 1; }));
      }
    }
    WHEN("the server goes away") {
      REQUIRE(test::eventually([&] { return s.state->last().has_value(); }));
      s.state->last()->send(4);
      REQUIRE(subscription.next(5s).value() == 3);
      REQUIRE(subscription.next(5s).value() == 4);
      s.state->last()->send(5);  // queued on the client or lost with the connection
      s.server->stop();
      THEN("the subscription ends and calls fail with ConnectionClosed") {
        auto after = subscription.next(5s);
        if (after) after = subscription.next(5s);  // 5 arrived before the close
        CHECK(after.error() == RpcClientError::SubscriptionClosed);
        CHECK(client.call("greet").error() == RpcClientError::ConnectionClosed);
        CHECK_FALSE(client.is_open());
      }
    }
  }
  THEN("a refused subscription reports the server's error") {
    RpcCallError details;
    auto sub = client.subscribe("test_subscribeCount", {666}, "test_unsubscribeCount", &details);
    REQUIRE(sub.has_error());
    CHECK(sub.error() == RpcClientError::CallFailed);
    CHECK(details.code == 1001);
  }
  THEN("closing the client ends its subscriptions on both sides") {
    auto sub = client.subscribe("test_subscribeCount", json::array(), "test_unsubscribeCount").value();
    CHECK(sub.next(5s).value() == 0);
    client.close();
    CHECK(client.call("greet").error() == RpcClientError::ConnectionClosed);
    CHECK(sub.next(5s).error() == RpcClientError::SubscriptionClosed);
    CHECK(test::eventually([&] { return s.state->closed == 1; }));
  }
}

SCENARIO("notifications that arrive before the subscribe reply are kept") {
  GIVEN("a server that sends the notification first") {
    namespace net = boost::asio;
    namespace ws = boost::beast::websocket;
    net::io_context ioc;
    net::ip::tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
    auto port = acceptor.local_endpoint().port();
    std::thread server([&] {
      ws::stream<net::ip::tcp::socket> stream(acceptor.accept());
      stream.accept();
      boost::beast::flat_buffer buffer;
      stream.read(buffer);
      auto req = json::parse(boost::beast::buffers_to_string(buffer.data()));
      auto send = [&](const json& j) {
        stream.text(true);
        stream.write(net::buffer(j.dump()));
      };
      send({{"jsonrpc", "2.0"}, {"method", "x_note"}, {"params", {{"subscription", "s1"}, {"result", 1}}}});
      send({{"jsonrpc", "2.0"}, {"method", "x_note"}, {"params", {{"subscription", "other"}, {"result", 9}}}});
      send({{"jsonrpc", "2.0"}, {"id", req["id"]}, {"result", "s1"}});
      send({{"jsonrpc", "2.0"}, {"method", "x_note"}, {"params", {{"subscription", "s1"}, {"result", 2}}}});
      boost::beast::error_code ec;
      while (!ec) stream.read(buffer, ec);  // until the client closes
    });
    auto client = RpcClient::connect("ws://127.0.0.1:" + std::to_string(port)).value();
    auto sub = client.subscribe("x_subscribe", json::array(), "x_unsubscribe").value();
    THEN("the early notification is delivered first, and only this subscription's") {
      CHECK(sub.id() == "s1");
      CHECK(sub.next(5s).value() == 1);
      CHECK(sub.next(5s).value() == 2);
      CHECK(sub.next(20ms).error() == RpcClientError::Timeout);
    }
    client.close();
    server.join();
  }
}

SCENARIO("connection failures") {
  THEN("bad URLs and closed ports are reported") {
    CHECK(RpcClient::connect("wss://127.0.0.1:1").error() == RpcClientError::UnsupportedScheme);
    CHECK(RpcClient::connect("nonsense").error() == RpcClientError::InvalidUrl);
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto port = probe.local_endpoint().port();
    probe.close();
    CHECK(RpcClient::connect("ws://127.0.0.1:" + std::to_string(port)).error() == RpcClientError::ConnectFailed);
  }
  GIVEN("a server at its connection limit") {
    RpcServerOptions options;
    options.max_connections = 1;
    Served s(options);
    auto first = RpcClient::connect(s.url());
    REQUIRE(first);
    THEN("a further client is refused at the handshake") {
      CHECK(RpcClient::connect(s.url()).error() == RpcClientError::HandshakeFailed);
    }
  }
}
