#include "rpc/server/rpc_server.hpp"

#include "tests/rpc/support/toy_registry.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::rpc;
using nlohmann::json;
namespace http = boost::beast::http;

namespace {

struct Served {
  explicit Served(RpcServerOptions options = {}) {
    test::add_toy_methods(registry, state);
    options.port = 0;
    server = std::make_unique<RpcServer>(options, registry);
    auto started = server->start();
    REQUIRE(started.has_value());
  }
  uint16_t port() const { return server->port(); }
  std::shared_ptr<test::ToyState> state = std::make_shared<test::ToyState>();
  MethodRegistry registry;
  std::unique_ptr<RpcServer> server;
};

std::string request(const std::string& method, json params, int id = 1) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
}

}  // namespace

SCENARIO("the server binds a port") {
  GIVEN("a server started on port 0") {
    Served s;
    THEN("it reports the bound port") { CHECK(s.port() != 0); }
    THEN("a second server on the same port fails clearly") {
      MethodRegistry registry;
      RpcServerOptions options;
      options.port = s.port();
      RpcServer other(options, registry);
      auto r = other.start();
      REQUIRE(r.has_error());
      CHECK(r.error() == RpcServerError::AddressInUse);
      CHECK(r.error().message() == "RPC port is already in use");
    }
    THEN("starting twice is refused") { CHECK(s.server->start().error() == RpcServerError::AlreadyStarted); }
  }
  THEN("an invalid listen address is refused") {
    MethodRegistry registry;
    RpcServerOptions options;
    options.listen_address = "not-an-ip";
    RpcServer server(options, registry);
    CHECK(server.start().error() == RpcServerError::InvalidAddress);
  }
}

SCENARIO("JSON-RPC over HTTP POST") {
  Served s;
  WHEN("a request is posted") {
    auto r = test::http_post(s.port(), request("add", {20, 22}));
    THEN("the response is JSON with the result") {
      CHECK(r.status == 200);
      CHECK(r.header("Content-Type").rfind("application/json", 0) == 0);
      CHECK(json::parse(r.body) == json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", 42}});
    }
  }
  THEN("batches, errors and notifications work over HTTP") {
    auto batch = json::parse(test::http_post(s.port(), "[" + request("greet", json::array(), 1) + "," +
                                                           request("nope", json::array(), 2) + "]")
                                 .body);
    REQUIRE(batch.size() == 2);
    CHECK(batch[0]["result"] == "hello, world");
    CHECK(batch[1]["error"]["code"] == kMethodNotFound);
    CHECK(json::parse(test::http_post(s.port(), "{oops").body)["error"]["code"] == kParseError);
    CHECK(test::http_post(s.port(), R"({"jsonrpc":"2.0","method":"greet"})").status == 204);
  }
  THEN("a throwing handler answers -32603 and the server keeps serving") {
    CHECK(json::parse(test::http_post(s.port(), request("throws", json::array())).body)["error"]["code"] ==
          kInternalError);
    CHECK(json::parse(test::http_post(s.port(), request("add", {1, 1})).body)["result"] == 2);
  }
  THEN("subscriptions are refused over HTTP") {
    auto r = json::parse(test::http_post(s.port(), request("test_subscribeCount", json::array())).body);
    CHECK(r["error"]["code"] == kSubscriptionsUnsupported);
  }
  THEN("unsafe methods answer loopback peers") {
    CHECK(json::parse(test::http_post(s.port(), request("unsafe_op", json::array())).body)["result"] == "ok");
  }
  THEN("other verbs and content types are refused") {
    CHECK(test::http_request(s.port(), http::verb::get, "").status == 405);
    CHECK(test::http_request(s.port(), http::verb::post, request("greet", json::array()), "text/plain").status == 415);
    CHECK(test::http_request(s.port(), http::verb::post, request("greet", json::array()),
                             "application/json; charset=utf-8")
              .status == 200);
  }
}

SCENARIO("browser origins are checked (CORS)") {
  RpcServerOptions options;
  options.cors_origins = {"http://good.example"};
  Served s(options);
  auto post = [&](const std::string& origin, http::verb verb = http::verb::post) {
    return test::http_request(s.port(), verb, request("greet", json::array()), "application/json",
                              {{"Origin", origin}});
  };
  THEN("an allowed origin is answered with the CORS header, others get 403") {
    auto ok = post("http://good.example");
    CHECK(ok.status == 200);
    CHECK(ok.header("Access-Control-Allow-Origin") == "http://good.example");
    CHECK(post("http://evil.example").status == 403);
    auto preflight = post("http://good.example", http::verb::options);
    CHECK(preflight.status == 204);
    CHECK(preflight.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
  }
}

SCENARIO("origin patterns") {
  THEN("the default allows local pages on any port and polkadot.js.org, nothing else") {
    auto d = default_cors_origins();
    CHECK(origin_allowed(d, "http://localhost:3000"));
    CHECK(origin_allowed(d, "http://localhost"));
    CHECK(origin_allowed(d, "https://127.0.0.1:8080"));
    CHECK(origin_allowed(d, "https://polkadot.js.org"));
    CHECK_FALSE(origin_allowed(d, "http://localhost.evil.example"));
    CHECK_FALSE(origin_allowed(d, "http://localhost:80x"));
    CHECK_FALSE(origin_allowed(d, "https://evil.example"));
    CHECK_FALSE(origin_allowed(d, "http://polkadot.js.org"));
  }
  THEN("all and * allow any origin; an empty list none") {
    CHECK(origin_allowed({"all"}, "https://anything.example"));
    CHECK(origin_allowed({"*"}, "https://anything.example"));
    CHECK_FALSE(origin_allowed({}, "https://anything.example"));
  }
}

SCENARIO("a WebSocket upgrade from a refused origin gets no socket") {
  RpcServerOptions options;
  options.cors_origins = {"http://good.example"};
  Served s(options);
  auto upgrade = [&](const std::string& origin) {
    boost::asio::io_context ioc;
    boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws(ioc);
    ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), s.port()});
    ws.set_option(boost::beast::websocket::stream_base::decorator(
        [origin](boost::beast::websocket::request_type& req) { req.set(http::field::origin, origin); }));
    boost::beast::error_code ec;
    ws.handshake("127.0.0.1", "/", ec);
    return ec;
  };
  CHECK_FALSE(upgrade("http://good.example"));
  CHECK(upgrade("http://evil.example"));
}

SCENARIO("request size is bounded") {
  RpcServerOptions options;
  options.max_request_bytes = 4096;
  Served s(options);
  std::string huge = request("echo", json::array({std::string(10000, 'a')}));
  WHEN("an oversized HTTP body is posted") {
    auto r = test::http_post(s.port(), huge);
    THEN("the answer is 413 with a JSON-RPC error naming the limit") {
      CHECK(r.status == 413);
      auto body = json::parse(r.body);
      CHECK(body["error"]["code"] == kOversizedRequest);
      CHECK(body["error"]["data"] == "limit 4096 bytes");
    }
  }
  WHEN("an oversized WebSocket message is sent") {
    test::RawWs ws(s.port());
    ws.send(huge);
    THEN("it is answered with -32007 and the connection keeps serving") {
      auto error = ws.read();
      CHECK(error["error"]["code"] == kOversizedRequest);
      CHECK(error["error"]["message"] == "Request is too big");
      CHECK(error["id"].is_null());
      ws.send(request("echo", json::array({"after"}), 7));
      auto after = ws.read();
      CHECK(after["id"] == 7);
      CHECK(after["result"] == "after");
    }
  }
  WHEN("a message far over the limit arrives in many frames") {
    test::RawWs ws(s.port());
    ws.stream().auto_fragment(true);
    ws.stream().write_buffer_bytes(512);
    ws.send(request("echo", json::array({std::string(1 << 20, 'b')})));
    THEN("it is dropped and answered, and the server holds no more than the limit") {
      CHECK(ws.read()["error"]["code"] == kOversizedRequest);
      ws.send(request("echo", json::array({"ok"})));
      CHECK(ws.read()["result"] == "ok");
    }
  }
  THEN("requests within the limit are served") {
    CHECK(json::parse(test::http_post(s.port(), request("echo", json::array({"a"}))).body)["result"] == "a");
  }
}

SCENARIO("connections are bounded") {
  RpcServerOptions options;
  options.max_connections = 2;
  Served s(options);
  GIVEN("two open WebSocket connections") {
    auto a = std::make_unique<test::RawWs>(s.port());
    test::RawWs b(s.port());
    REQUIRE(test::eventually([&] { return s.server->connection_count() == 2; }));
    WHEN("a third client connects") {
      auto r = test::http_post(s.port(), request("greet", json::array()));
      THEN("it is refused with a JSON-RPC error naming the limit") {
        CHECK(r.status == 503);
        auto body = json::parse(r.body);
        CHECK(body["error"]["code"] == kServerBusy);
        CHECK(body["error"]["data"] == "too many connections: limit 2");
      }
    }
    WHEN("one connection closes") {
      a.reset();
      THEN("a new client is served again") {
        REQUIRE(test::eventually([&] { return s.server->connection_count() == 1; }));
        CHECK(test::http_post(s.port(), request("greet", json::array())).status == 200);
      }
    }
  }
}

SCENARIO("subscriptions over WebSocket") {
  Served s;
  GIVEN("a subscription whose handler sends the initial value at once") {
    test::RawWs ws(s.port());
    ws.send(request("test_subscribeCount", json::array({3}), 5));
    auto reply = ws.read();
    auto first = ws.read();
    THEN("the reply with the string id comes first, then the initial notification") {
      CHECK(reply["id"] == 5);
      REQUIRE(reply["result"].is_string());
      CHECK(first["method"] == "test_count");
      CHECK(first["params"] == json{{"subscription", reply["result"]}, {"result", 3}});
    }
    WHEN("the node sends from another thread") {
      auto sink = s.state->last();
      REQUIRE(sink);
      std::thread([sink] { sink->send(4); }).join();
      THEN("the client receives it") { CHECK(ws.read()["params"]["result"] == 4); }
    }
    WHEN("the client unsubscribes") {
      ws.send(request("test_unsubscribeCount", json::array({reply["result"]}), 6));
      THEN("the answer is true, the sink closes, and a second unsubscribe answers false") {
        CHECK(ws.read() == json{{"jsonrpc", "2.0"}, {"id", 6}, {"result", true}});
        CHECK(s.state->last()->closed());
        ws.send(request("test_unsubscribeCount", json::array({reply["result"]}), 7));
        CHECK(ws.read()["result"] == false);
      }
    }
    WHEN("the alias is used") {
      ws.send(request("test_subscribeCounter", json::array(), 8));
      THEN("it subscribes like the canonical name") {
        CHECK(ws.read()["result"].is_string());
        CHECK(ws.read()["method"] == "test_count");
      }
    }
  }
  GIVEN("subscriptions on a socket that closes") {
    auto ws = std::make_unique<test::RawWs>(s.port());
    for (int i = 0; i < 3; ++i) {
      ws->send(request("test_subscribeCount", json::array(), i));
      ws->read();
      ws->read();
    }
    REQUIRE(s.server->subscription_count() == 3);
    register_server_stats(s.registry, *s.server);
    auto stats = json::parse(test::http_post(s.port(), request("bazaar_rpcStats", json::array())).body)["result"];
    CHECK(stats["subscriptions"] == 3);
    CHECK(stats["connections"].get<int>() >= 1);
    auto sink = s.state->last();
    ws.reset();
    THEN("all its sinks close and their on_close callbacks run, and the live count returns to 0") {
      CHECK(test::eventually([&] { return s.state->closed == 3; }));
      CHECK(test::eventually([&] { return s.server->subscription_count() == 0; }));
      CHECK(sink->closed());
      CHECK_FALSE(sink->send(1));
      CHECK(test::eventually([&] { return s.server->connection_count() == 0; }));
    }
  }
  GIVEN("an open subscription when the server stops") {
    test::RawWs ws(s.port());
    ws.send(request("test_subscribeCount", json::array(), 1));
    ws.read();
    ws.read();
    s.server->stop();
    THEN("the subscription is closed") {
      CHECK(s.state->closed == 1);
      CHECK_FALSE(s.state->last()->send(1));
    }
  }
}

SCENARIO("a WebSocket client that does not read is disconnected") {
  RpcServerOptions options;
  options.max_outbound_queue_bytes = 256 * 1024;
  Served s(options);
  test::RawWs ws(s.port());
  ws.send(request("test_subscribeCount", json::array(), 1));
  ws.read();
  ws.read();
  auto sink = s.state->last();
  REQUIRE(sink);
  WHEN("the node keeps sending large notifications that the client never reads") {
    std::string chunk(64 * 1024, 'z');
    bool refused = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::size_t sent = 0;
    while (!refused && std::chrono::steady_clock::now() < deadline) {
      refused = !sink->send(chunk);
      ++sent;
    }
    THEN("send starts failing, the sink closes and the connection is dropped") {
      CHECK(refused);
      CHECK(sent < 100000);
      CHECK(test::eventually([&] { return sink->closed(); }));
      CHECK(test::eventually([&] { return s.state->closed == 1; }));
      CHECK(test::eventually([&] { return s.server->connection_count() == 0; }));
    }
  }
}
