#include "tools/bench/finality_watch.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <future>
#include <thread>

namespace bazaar::tools::bench {

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using nlohmann::json;

uint64_t unix_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

// ---- LagTracker ------------------------------------------------------------------------

void LagTracker::on_best(uint32_t number, uint64_t now_ms) {
  m_best = number;
  m_first_seen_ms.try_emplace(number, now_ms);
}

void LagTracker::on_finalized(uint32_t number, uint64_t now_ms) {
  if (!m_finalized) {  // the subscription's first head: finalized before we watched
    m_finalized = number;
    return;
  }
  if (number <= *m_finalized) return;
  // A finalized block is imported, so the best block is at least as high.
  const uint32_t best = std::max(m_best.value_or(number), number);
  for (uint32_t n = *m_finalized + 1; n <= number; ++n) {
    Lag lag{best - n, std::nullopt};
    if (auto seen = m_first_seen_ms.find(n); seen != m_first_seen_ms.end())
      lag.ms = now_ms >= seen->second ? now_ms - seen->second : 0;
    m_lags.emplace(n, lag);
  }
  m_finalized = number;
  m_first_seen_ms.erase(m_first_seen_ms.begin(), m_first_seen_ms.upper_bound(number));
}

std::vector<LagTracker::Lag> LagTracker::lags(uint32_t from, uint32_t to) const {
  std::vector<Lag> out;
  for (auto it = m_lags.lower_bound(from); it != m_lags.end() && it->first <= to; ++it) out.push_back(it->second);
  return out;
}

uint64_t percentile(std::vector<uint64_t> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// ---- HeadWatch -------------------------------------------------------------------------

/// The WebSocket and its I/O thread: subscribes, then reads text messages until closed.
struct HeadWatch::Connection {
  boost::asio::io_context io;
  websocket::stream<beast::tcp_stream> ws{io};
  beast::flat_buffer buffer;
  std::string host;
  std::vector<std::string> requests;
  std::function<void(std::string)> on_text;
  std::function<void(std::string)> on_error;
  std::promise<std::string> opened;  ///< "" when subscribed, else why not
  std::thread thread;

  void start(uint16_t port, std::chrono::milliseconds timeout) {
    const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    host = "127.0.0.1:" + std::to_string(port);
    beast::get_lowest_layer(ws).expires_after(timeout);
    beast::get_lowest_layer(ws).async_connect(endpoint, [this](beast::error_code ec) {
      if (ec) return opened.set_value("connect: " + ec.message());
      beast::get_lowest_layer(ws).expires_never();
      ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      ws.async_handshake(host, "/", [this](beast::error_code ec) {
        if (ec) return opened.set_value("WebSocket handshake: " + ec.message());
        ws.text(true);
        write_next(0);
      });
    });
    thread = std::thread([this] { io.run(); });
  }

  void write_next(std::size_t i) {
    if (i == requests.size()) {
      opened.set_value("");
      return read_next();
    }
    ws.async_write(boost::asio::buffer(requests[i]), [this, i](beast::error_code ec, std::size_t) {
      if (ec) return opened.set_value("subscribe: " + ec.message());
      write_next(i + 1);
    });
  }

  void read_next() {
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      if (ec) return on_error("connection closed: " + ec.message());
      on_text(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      read_next();
    });
  }

  ~Connection() {
    io.stop();
    if (thread.joinable()) thread.join();
  }
};

HeadWatch::HeadWatch() : m_connection(std::make_unique<Connection>()) {}

HeadWatch::~HeadWatch() { m_connection.reset(); }

NetResult<std::unique_ptr<HeadWatch>> HeadWatch::connect(uint16_t rpc_port, std::chrono::milliseconds timeout) {
  std::unique_ptr<HeadWatch> watch(new HeadWatch());
  Connection& c = *watch->m_connection;
  c.requests = {
      json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "chain_subscribeNewHeads"}, {"params", json::array()}}.dump(),
      json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "chain_subscribeFinalizedHeads"}, {"params", json::array()}}
          .dump()};
  HeadWatch* self = watch.get();
  c.on_text = [self](std::string text) { self->on_message(text); };
  c.on_error = [self](std::string why) {
    std::lock_guard lock(self->m_mutex);
    if (self->m_error.empty()) self->m_error = std::move(why);
  };
  auto opened = c.opened.get_future();
  c.start(rpc_port, timeout);
  if (opened.wait_for(timeout + std::chrono::seconds(1)) != std::future_status::ready)
    return "node RPC port " + std::to_string(rpc_port) + ": no WebSocket connection in time";
  if (auto why = opened.get(); !why.empty()) return "node RPC port " + std::to_string(rpc_port) + ": " + why;
  return watch;
}

void HeadWatch::on_message(const std::string& text) {
  const uint64_t now = unix_ms();
  auto message = json::parse(text, nullptr, false);
  std::lock_guard lock(m_mutex);
  if (!message.is_object()) {
    if (m_error.empty()) m_error = "undecodable message: " + text.substr(0, 200);
    return;
  }
  if (message.contains("error")) {
    if (m_error.empty()) m_error = "subscription refused: " + message["error"].dump();
    return;
  }
  const auto method = message.value("method", std::string());
  if (method != "chain_newHead" && method != "chain_finalizedHead") return;  // a subscribe reply
  const auto& header = message["params"]["result"];
  if (!header.is_object() || !header.contains("number") || !header["number"].is_string()) {
    if (m_error.empty()) m_error = "a head without a number: " + text.substr(0, 200);
    return;
  }
  const auto number = static_cast<uint32_t>(std::stoul(header["number"].get<std::string>(), nullptr, 16));
  if (method == "chain_newHead")
    m_tracker.on_best(number, now);
  else
    m_tracker.on_finalized(number, now);
}

std::optional<uint32_t> HeadWatch::best() const {
  std::lock_guard lock(m_mutex);
  return m_tracker.best();
}

std::optional<uint32_t> HeadWatch::finalized() const {
  std::lock_guard lock(m_mutex);
  return m_tracker.finalized();
}

std::vector<LagTracker::Lag> HeadWatch::lags(uint32_t from, uint32_t to) const {
  std::lock_guard lock(m_mutex);
  return m_tracker.lags(from, to);
}

std::string HeadWatch::error() const {
  std::lock_guard lock(m_mutex);
  return m_error;
}

}  // namespace bazaar::tools::bench
