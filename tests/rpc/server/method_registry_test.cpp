#include "rpc/server/method_registry.hpp"

#include "tests/rpc/support/toy_registry.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::rpc;
using nlohmann::json;

SCENARIO("methods are declared once in the registry") {
  GIVEN("the toy registry") {
    MethodRegistry registry;
    test::add_toy_methods(registry, std::make_shared<test::ToyState>());

    THEN("rpc_methods lists exactly the registry, aliases and unsubscribe included, sorted") {
      std::vector<std::string> expected{"add",        "big",   "block",     "echo",          "fail_app",
                                        "flags",      "greet", "rpc_methods", "sum",         "test_subscribeCount",
                                        "test_subscribeCounter", "test_unsubscribeCount", "throws", "unsafe_op"};
      CHECK(registry.method_names() == expected);
      auto rpc_methods = registry.find("rpc_methods");
      REQUIRE(rpc_methods);
      auto listed = rpc_methods->call({});
      REQUIRE(listed.has_value());
      CHECK(listed.value() == json{{"methods", expected}});
    }
    THEN("an alias resolves to the canonical entry, and entries() lists canonical names only") {
      auto alias = registry.find("test_subscribeCounter");
      REQUIRE(alias);
      CHECK(alias->name == "test_subscribeCount");
      CHECK(alias->kind == MethodEntry::Kind::Subscribe);
      CHECK(alias->notification == "test_count");
      CHECK(registry.entries().size() == registry.method_names().size() - 1);
    }
    THEN("parameter names carry their optional marker and docs are kept") {
      auto greet = registry.find("greet");
      REQUIRE(greet);
      REQUIRE(greet->params.size() == 1);
      CHECK(greet->params[0].name == "name");
      CHECK(greet->params[0].optional);
      CHECK(greet->docs == "Greets");
      CHECK(registry.find("unsafe_op")->safety == MethodSafety::Unsafe);
      CHECK(registry.find("nope") == nullptr);
    }
    WHEN("a typed handler is invoked with raw arguments") {
      auto add = registry.find("add");
      json a = 2, b = -5, s = "x";
      THEN("arguments are decoded by the handler's types") {
        CHECK(add->call({&a, &b}).value() == json(-3));
        auto bad = add->call({&a, &s});
        REQUIRE(bad.has_error());
        CHECK(bad.error().code == kInvalidParams);
        CHECK(bad.error().message == "invalid type for parameter b: expected signed 64-bit integer");
        auto missing = add->call({&a, nullptr});
        REQUIRE(missing.has_error());
        CHECK(missing.error().message == "missing parameter b");
      }
    }
  }
}

SCENARIO("handlers may return a Result with an error code") {
  MethodRegistry registry;
  registry.add("failing", "Result-returning", {}, []() -> bazaar::Result<int> {
    return make_error_code(RpcServerError::BindFailed);
  });
  registry.add("nothing", "void-returning", {}, [] {});
  auto r = registry.find("failing")->call({});
  REQUIRE(r.has_error());
  CHECK(r.error().code == kInternalError);
  CHECK(r.error().data == json(to_string(RpcServerError::BindFailed)));
  CHECK(registry.find("nothing")->call({}).value().is_null());
}
