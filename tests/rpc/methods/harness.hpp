#pragma once
// Drives the registered methods through the real Dispatcher (JSON text in,
// JSON text out) with a capturing subscription host, over the fake ports.

#include "rpc/methods/methods.hpp"
#include "rpc/server/dispatcher.hpp"
#include "tests/rpc/methods/fake_ports.hpp"

#include <catch2/catch.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace bazaar::test {

/// A WebSocket connection stand-in: keeps every message the server queues.
class CapturingHost : public rpc::SubscriptionHost {
 public:
  bool enqueue(std::string message) override {
    std::lock_guard lock(m_mutex);
    m_messages.push_back(nlohmann::json::parse(message));
    return true;
  }
  /// Results of the notifications for subscription `id`, in order.
  std::vector<nlohmann::json> notifications(const std::string& id, const std::string& method) const {
    std::lock_guard lock(m_mutex);
    std::vector<nlohmann::json> out;
    for (const auto& m : m_messages)
      if (m.value("method", "") == method && m["params"]["subscription"] == id) out.push_back(m["params"]["result"]);
    return out;
  }

 private:
  mutable std::mutex m_mutex;
  std::vector<nlohmann::json> m_messages;
};

struct MethodsHarness {
  FakeChain chain;
  FakeState state;
  FakeAuthor author;
  FakeSystem system;
  FakeKeystore keystore;
  FakeOffchain offchain;
  rpc::MethodRegistry registry;
  rpc::Dispatcher dispatcher{registry, rpc::DispatchOptions{}};
  std::shared_ptr<CapturingHost> host = std::make_shared<CapturingHost>();

  MethodsHarness() { rpc::register_node_methods(registry, {chain, state, author, system, keystore, offchain}); }
  /// Like a server stop: ends every subscription while the ports still exist.
  ~MethodsHarness() { host->close_all_subscriptions(); }

  /// The whole response object of one request.
  nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::array()) {
    nlohmann::json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
    rpc::CallContext ctx;
    ctx.peer_is_loopback = true;
    ctx.host = host;
    auto out = dispatcher.handle(request.dump(), ctx);
    ctx.activate_subscriptions();
    return out ? nlohmann::json::parse(*out) : nlohmann::json();
  }
  /// The "result" of a call that must succeed (null and a failed check otherwise).
  nlohmann::json result(const std::string& method, nlohmann::json params = nlohmann::json::array()) {
    auto r = call(method, std::move(params));
    INFO(method << " answered " << r.dump());
    REQUIRE(r.contains("result"));
    return r["result"];
  }
  /// The "error" object of a call that must fail.
  nlohmann::json error(const std::string& method, nlohmann::json params = nlohmann::json::array()) {
    auto r = call(method, std::move(params));
    INFO(method << " answered " << r.dump());
    REQUIRE(r.contains("error"));
    return r["error"];
  }
};

}  // namespace bazaar::test
