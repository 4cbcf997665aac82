#include "rpc/server/dispatcher.hpp"

#include "tests/rpc/support/toy_registry.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::rpc;
using nlohmann::json;

namespace {

using FakeHost = test::RecordingHost;

struct Fixture {
  Fixture(DispatchOptions options = {}) : dispatcher(registry, options) {
    test::add_toy_methods(registry, state);
  }
  json run(const std::string& text, bool loopback = true, std::shared_ptr<FakeHost> host = nullptr) {
    CallContext ctx;
    ctx.peer_is_loopback = loopback;
    ctx.host = host;
    auto out = dispatcher.handle(text, ctx);
    if (out && host) host->enqueue(*out);
    ctx.activate_subscriptions();
    return out ? json::parse(*out) : json();
  }
  json call(const std::string& method, json params, bool loopback = true) {
    return run(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}}.dump(), loopback);
  }
  std::shared_ptr<test::ToyState> state = std::make_shared<test::ToyState>();
  MethodRegistry registry;
  Dispatcher dispatcher;
};

int code_of(const json& response) { return response.at("error").at("code").get<int>(); }

}  // namespace

SCENARIO("JSON-RPC 2.0 framing") {
  Fixture f;
  WHEN("a valid request is handled") {
    auto r = f.run(R"({"jsonrpc":"2.0","id":7,"method":"add","params":[2,3]})");
    THEN("the response echoes the id and carries the result") {
      CHECK(r == json{{"jsonrpc", "2.0"}, {"id", 7}, {"result", 5}});
    }
  }
  WHEN("the id is a string or null") {
    THEN("it is echoed as given") {
      CHECK(f.run(R"({"jsonrpc":"2.0","id":"abc","method":"greet"})")["id"] == "abc");
      auto r = f.run(R"({"jsonrpc":"2.0","id":null,"method":"greet"})");
      CHECK(r["id"].is_null());
      CHECK(r["result"] == "hello, world");
    }
  }
  WHEN("a request has no id") {
    CallContext ctx;
    auto out = f.dispatcher.handle(R"({"jsonrpc":"2.0","method":"greet"})", ctx);
    THEN("it is a notification: nothing is answered") { CHECK_FALSE(out); }
  }
  THEN("every error code of the specification is produced") {
    auto parse = f.run("{not json");
    CHECK(code_of(parse) == kParseError);
    CHECK(parse["id"].is_null());
    CHECK(code_of(f.run("[1,2")) == kParseError);
    CHECK(code_of(f.run(std::string(200, '[') + std::string(200, ']'))) == kParseError);
    CHECK(code_of(f.run("42")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"jsonrpc":"1.0","id":1,"method":"greet"})")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"id":1,"method":"greet"})")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"jsonrpc":"2.0","id":1})")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"jsonrpc":"2.0","id":1,"method":5})")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"jsonrpc":"2.0","id":{"x":1},"method":"greet"})")) == kInvalidRequest);
    CHECK(code_of(f.run(R"({"jsonrpc":"2.0","id":1,"method":"greet","params":"x"})")) == kInvalidParams);
    auto unknown = f.call("nope", json::array());
    CHECK(code_of(unknown) == kMethodNotFound);
    CHECK(unknown["error"]["message"] == "Method not found: nope");
    CHECK(code_of(f.call("add", json::array({1}))) == kInvalidParams);
    auto thrown = f.call("throws", json::array());
    CHECK(code_of(thrown) == kInternalError);
    CHECK(thrown["error"]["data"] == "boom");
  }
  THEN("application errors keep their code, message and data") {
    auto r = f.call("fail_app", json::array());
    CHECK(r["error"] == json{{"code", 1010}, {"message", "Invalid Transaction"}, {"data", "bad signature"}});
  }
}

SCENARIO("parameters by position, by name, optional and typed") {
  Fixture f;
  THEN("positional and named parameters give the same result") {
    CHECK(f.call("add", json::array({40, 2}))["result"] == 42);
    CHECK(f.call("add", json{{"b", 2}, {"a", 40}})["result"] == 42);
  }
  THEN("optional parameters may be missing or null") {
    CHECK(f.call("greet", json::array())["result"] == "hello, world");
    CHECK(f.call("greet", json::array({nullptr}))["result"] == "hello, world");
    CHECK(f.call("greet", json::object())["result"] == "hello, world");
    CHECK(f.call("greet", json{{"name", "bob"}})["result"] == "hello, bob");
    CHECK(f.run(R"({"jsonrpc":"2.0","id":1,"method":"greet","params":null})")["result"] == "hello, world");
    CHECK(f.call("flags", json::array({true}))["result"] == json{{"flag", true}, {"raw", nullptr}});
    CHECK(f.call("flags", json::array({false, {{"k", 1}}}))["result"]["raw"] == json{{"k", 1}});
  }
  THEN("block numbers are accepted as numbers and hex strings") {
    CHECK(f.call("block", json::array({16}))["result"] == 16);
    CHECK(f.call("block", json::array({"0x10"}))["result"] == 16);
    CHECK(f.call("block", json::array())["result"].is_null());
    CHECK(f.call("sum", json::array({json::array({1, 2, 3})}))["result"] == 6);
  }
  THEN("wrong parameters name the parameter") {
    auto wrong_type = f.call("add", json::array({1, "two"}));
    CHECK(code_of(wrong_type) == kInvalidParams);
    CHECK(wrong_type["error"]["message"] == "invalid type for parameter b: expected signed 64-bit integer");
    CHECK(f.call("add", json{{"a", 1}})["error"]["message"] == "missing parameter b");
    CHECK(f.call("add", json::array({1, 2, 3}))["error"]["message"] ==
          "too many parameters: expected at most 2, got 3");
    CHECK(f.call("add", json{{"a", 1}, {"b", 2}, {"c", 3}})["error"]["message"] == "unknown parameter c");
    CHECK(f.call("greet", json::array({5}))["error"]["message"] ==
          "invalid type for parameter name: expected string or null");
    CHECK(f.call("sum", json::array({json::array({1, -2})}))["error"]["message"] ==
          "invalid type for parameter values: expected array of unsigned 32-bit integer");
  }
}

SCENARIO("batches") {
  Fixture f(DispatchOptions{3, 1024, 4, RpcMethods::Auto});
  WHEN("a batch mixes calls, errors and notifications") {
    auto r = f.run(R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[1,1]},
                       {"jsonrpc":"2.0","method":"greet"},
                       {"jsonrpc":"2.0","id":2,"method":"nope"}])");
    THEN("each request with an id gets its response, in order") {
      REQUIRE(r.is_array());
      REQUIRE(r.size() == 2);
      CHECK(r[0]["result"] == 2);
      CHECK(r[1]["id"] == 2);
      CHECK(code_of(r[1]) == kMethodNotFound);
    }
  }
  THEN("an empty batch, an invalid item and an oversized batch are rejected") {
    CHECK(code_of(f.run("[]")) == kInvalidRequest);
    auto items = f.run(R"([1, {"jsonrpc":"2.0","id":1,"method":"greet"}])");
    CHECK(code_of(items[0]) == kInvalidRequest);
    CHECK(items[1]["result"] == "hello, world");
    auto big = f.run(R"([{"jsonrpc":"2.0","id":1,"method":"greet"},{"jsonrpc":"2.0","id":2,"method":"greet"},
                         {"jsonrpc":"2.0","id":3,"method":"greet"},{"jsonrpc":"2.0","id":4,"method":"greet"}])");
    CHECK(code_of(big) == kBatchTooLarge);
  }
  THEN("a batch of notifications gets no response") {
    CallContext ctx;
    CHECK_FALSE(f.dispatcher.handle(R"([{"jsonrpc":"2.0","method":"greet"}])", ctx));
  }
  THEN("responses over the limit become -32008") {
    CHECK(f.call("big", json::array({100}))["result"].get<std::string>().size() == 100);
    auto r = f.call("big", json::array({2000}));
    CHECK(code_of(r) == kOversizedResponse);
    CHECK(r["id"] == 1);
    std::string batch = "[";
    for (int i = 0; i < 3; ++i) batch += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"big","params":[400]})";
    CHECK(code_of(f.run(batch + "]")) == kOversizedResponse);
  }
}

SCENARIO("unsafe methods") {
  GIVEN("a server with the default policy (--rpc-methods auto)") {
    Fixture f;
    THEN("loopback peers may call them, others get -32601") {
      CHECK(f.call("unsafe_op", json::array(), true)["result"] == "ok");
      auto refused = f.call("unsafe_op", json::array(), false);
      CHECK(code_of(refused) == kMethodNotFound);
      CHECK(refused["error"]["message"] == "RPC call is unsafe to be called externally");
      CHECK(f.call("greet", json::array(), false)["result"] == "hello, world");
    }
  }
  GIVEN("a server that allows unsafe methods (--rpc-methods unsafe)") {
    Fixture f(DispatchOptions{100, 1 << 20, 4, RpcMethods::Unsafe});
    THEN("remote peers may call them") { CHECK(f.call("unsafe_op", json::array(), false)["result"] == "ok"); }
  }
  GIVEN("a server that serves safe methods only (--rpc-methods safe)") {
    Fixture f(DispatchOptions{100, 1 << 20, 4, RpcMethods::Safe});
    THEN("nobody may call them, not even loopback peers, and the message says why") {
      for (bool loopback : {true, false}) {
        auto refused = f.call("unsafe_op", json::array(), loopback);
        CHECK(code_of(refused) == kMethodNotFound);
        CHECK(refused["error"]["message"].get<std::string>().find("--rpc-methods safe") != std::string::npos);
      }
      CHECK(f.call("greet", json::array(), false)["result"] == "hello, world");
    }
  }
}

SCENARIO("subscriptions through the dispatcher") {
  Fixture f(DispatchOptions{100, 1 << 20, 2, RpcMethods::Auto});
  GIVEN("no connection (HTTP)") {
    THEN("subscribing and unsubscribing fail clearly") {
      CHECK(code_of(f.call("test_subscribeCount", json::array())) == kSubscriptionsUnsupported);
      CHECK(code_of(f.call("test_unsubscribeCount", json::array({"x"}))) == kSubscriptionsUnsupported);
    }
  }
  GIVEN("a WebSocket connection") {
    auto host = std::make_shared<FakeHost>();
    auto sub = [&](json params) {
      return f.run(json{{"jsonrpc", "2.0"}, {"id", 9}, {"method", "test_subscribeCount"}, {"params", params}}.dump(),
                   true, host);
    };
    WHEN("a subscription is opened whose handler sends at once") {
      auto reply = sub(json::array({5}));
      THEN("the reply with the id is written before the initial notification") {
        REQUIRE(reply["result"].is_string());
        auto id = reply["result"].get<std::string>();
        auto out = host->written();
        REQUIRE(out.size() == 2);
        CHECK(out[0]["id"] == 9);
        CHECK(out[1] == json{{"jsonrpc", "2.0"},
                             {"method", "test_count"},
                             {"params", {{"subscription", id}, {"result", 5}}}});
        CHECK(host->subscription_count() == 1);
      }
      AND_WHEN("it is unsubscribed") {
        auto id = reply["result"];
        auto un = [&](json sub_id, const char* method = "test_unsubscribeCount") {
          return f.run(json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", method}, {"params", {sub_id}}}.dump(), true,
                       host)["result"];
        };
        auto sink = f.state->last();
        THEN("it answers true once, then false, and the sink is closed") {
          CHECK(un(id) == true);
          CHECK(un(id) == false);
          CHECK(un(12) == false);
          REQUIRE(sink);
          CHECK(sink->closed());
          CHECK_FALSE(sink->send(1));
          CHECK(f.state->closed == 1);
          CHECK(host->subscription_count() == 0);
        }
      }
    }
    WHEN("the handler refuses") {
      auto reply = sub(json::array({666}));
      THEN("the error is answered and nothing stays open") {
        CHECK(reply["error"]["code"] == 1001);
        CHECK(host->subscription_count() == 0);
      }
    }
    WHEN("the per-connection limit is reached") {
      sub(json::array());
      sub(json::array());
      auto third = sub(json::array());
      THEN("the next subscribe gets -32006") {
        CHECK(code_of(third) == kTooManySubscriptions);
        CHECK(host->subscription_count() == 2);
      }
    }
    WHEN("the connection closes") {
      sub(json::array());
      sub(json::array());
      host->accepting = false;
      host->close_all_subscriptions();
      THEN("every sink is closed and its on_close ran") {
        CHECK(f.state->closed == 2);
        CHECK(host->subscription_count() == 0);
      }
    }
  }
}
