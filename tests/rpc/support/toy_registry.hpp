#pragma once
// Test support for tests/rpc: a toy method registry and small blocking HTTP /
// WebSocket helpers built on Beast. Polls use deadlines, never fixed sleeps.

#include "rpc/server/method_registry.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bazaar::rpc::test {

using nlohmann::json;

/// Subscriptions opened through the toy "test_subscribeCount", for the test to drive.
struct ToyState {
  std::mutex mutex;
  std::vector<SubscriptionSink> sinks;
  std::atomic<int> closed{0};

  std::optional<SubscriptionSink> last() {
    std::lock_guard lock(mutex);
    if (sinks.empty()) return std::nullopt;
    return sinks.back();
  }
};

/// echo, add, greet (optional), block (NumberOrHex), fail_app (1010), throws,
/// big (n-char string), unsafe_op (unsafe), sum (vector), flags (bool + raw json),
/// and the subscription test_subscribeCount / test_count / test_unsubscribeCount
/// (alias test_subscribeCounter) that sends `start` at once.
inline void add_toy_methods(MethodRegistry& r, std::shared_ptr<ToyState> state) {
  r.add("echo", "Returns its argument", {"value"}, [](json v) { return v; });
  r.add("add", "a + b", {"a", "b"}, [](int64_t a, int64_t b) -> RpcResult<int64_t> { return a + b; });
  r.add("greet", "Greets", {"name?"}, [](std::optional<std::string> n) {
    return "hello, " + n.value_or("world");
  });
  r.add("block", "Echoes a block number", {"number?"},
        [](std::optional<NumberOrHex> n) -> RpcResult<json> {
          if (!n) return json(nullptr);
          return json(n->value);
        });
  r.add("fail_app", "Always fails with 1010", {}, []() -> RpcResult<json> {
    return RpcError{1010, "Invalid Transaction", json("bad signature")};
  });
  r.add("throws", "Always throws", {}, []() -> json { throw std::runtime_error("boom"); });
  r.add("big", "A string of n characters", {"n"}, [](uint64_t n) { return std::string(n, 'x'); });
  r.add("unsafe_op", "Unsafe", {}, [] { return "ok"; }, MethodSafety::Unsafe);
  r.add("sum", "Sum of a list", {"values"}, [](std::vector<uint32_t> v) {
    uint64_t s = 0;
    for (auto x : v) s += x;
    return s;
  });
  r.add("flags", "Returns its flag and raw value", {"flag", "raw?"},
        [](bool flag, std::optional<json> raw) { return json{{"flag", flag}, {"raw", raw.value_or(json())}}; });
  r.add_subscription(
      SubscriptionSpec{"test_subscribeCount", "test_count", "test_unsubscribeCount", "Counts", {"start?"}},
      [state](SubscriptionSink sink, std::optional<uint64_t> start) -> RpcResult<void> {
        if (start && *start == 666) return RpcError{1001, "Refused", std::nullopt};
        sink.on_close([state] { ++state->closed; });
        sink.send(json(start.value_or(0)));  // initial value, before the reply is written
        std::lock_guard lock(state->mutex);
        state->sinks.push_back(sink);
        return boost::outcome_v2::success();
      });
  r.alias("test_subscribeCounter", "test_subscribeCount");
}

/// A SubscriptionHost that records what a connection would write.
struct RecordingHost : SubscriptionHost {
  bool enqueue(std::string message) override {
    std::lock_guard lock(mutex);
    if (!accepting) return false;
    out.push_back(json::parse(message));
    return true;
  }
  std::vector<json> written() {
    std::lock_guard lock(mutex);
    return out;
  }
  std::mutex mutex;
  std::vector<json> out;
  bool accepting = true;
};

/// Polls `pred` until true or the deadline; returns its last value.
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds deadline = std::chrono::milliseconds(5000)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return pred();
    std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // poll interval, not a wait for an event
  }
  return true;
}

struct HttpReply {
  int status = 0;
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : std::string(it->value());
  }
  boost::beast::http::fields headers;
};

/// One blocking HTTP request to 127.0.0.1:port.
inline HttpReply http_request(uint16_t port, boost::beast::http::verb verb, std::string body,
                              std::string content_type = "application/json",
                              std::vector<std::pair<std::string, std::string>> extra = {}) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{verb, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  for (auto& [k, v] : extra) req.set(k, v);
  req.body() = std::move(body);
  req.prepare_payload();
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  HttpReply out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  out.headers = res.base();
  return out;
}

inline HttpReply http_post(uint16_t port, const std::string& body) {
  return http_request(port, boost::beast::http::verb::post, body);
}

/// A blocking raw WebSocket client, to observe exact frames.
class RawWs {
 public:
  explicit RawWs(uint16_t port) : m_ws(m_ioc) {
    boost::asio::ip::tcp::endpoint ep{boost::asio::ip::make_address("127.0.0.1"), port};
    m_ws.next_layer().connect(ep);
    m_ws.handshake("127.0.0.1:" + std::to_string(port), "/");
  }
  void send(const std::string& text) {
    m_ws.text(true);
    m_ws.write(boost::asio::buffer(text));
  }
  json read() {
    boost::beast::flat_buffer buffer;
    m_ws.read(buffer);
    return json::parse(boost::beast::buffers_to_string(buffer.data()));
  }
  /// Reads until an error; returns it (e.g. after the server closed the socket).
  boost::beast::error_code read_until_error() {
    boost::beast::flat_buffer buffer;
    boost::beast::error_code ec;
    while (!ec) {
      m_ws.read(buffer, ec);
      buffer.consume(buffer.size());
    }
    return ec;
  }
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket>& stream() { return m_ws; }

 private:
  boost::asio::io_context m_ioc;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> m_ws;
};

}  // namespace bazaar::rpc::test
