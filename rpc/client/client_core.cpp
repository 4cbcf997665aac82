#include "rpc/client/client_core.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

namespace bazaar::rpc::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;

namespace {

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::shared_ptr<spdlog::logger> log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("rpc::client")) return existing;
    auto sinks = spdlog::default_logger()->sinks();
    auto created = std::make_shared<spdlog::logger>("rpc::client", sinks.begin(), sinks.end());
    try {
      spdlog::initialize_logger(created);
    } catch (const spdlog::spdlog_ex&) {
      if (auto existing = spdlog::get("rpc::client")) return existing;
    }
    return created;
  }();
  return logger;
}

}  // namespace

std::string subscription_key(const json& id) { return id.is_string() ? id.get<std::string>() : dump(id); }

bool ClientSubscription::push(json result) {
  {
    std::lock_guard lock(mutex);
    if (closed) return false;
    if (queue.size() >= max_queued) {
      overflow = true;
      closed = true;
    } else {
      queue.push_back(std::move(result));
    }
  }
  cv.notify_all();
  return !overflow;
}

void ClientSubscription::end() {
  {
    std::lock_guard lock(mutex);
    closed = true;
  }
  cv.notify_all();
}

ClientCore::ClientCore(RpcClientOptions opts)
    : options(opts), work(net::make_work_guard(ioc)), ws(net::make_strand(ioc)) {}

ClientCore::~ClientCore() { close(); }

Result<void> ClientCore::open(const WsUrl& url) {
  auto done = std::make_shared<std::promise<std::optional<RpcClientError>>>();
  auto future = done->get_future();
  thread = std::thread([this] { ioc.run(); });
  auto resolver = std::make_shared<tcp::resolver>(ioc);
  auto response = std::make_shared<websocket::response_type>();
  resolver->async_resolve(url.host, url.port, [=, this](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return done->set_value(RpcClientError::ConnectFailed);
    beast::get_lowest_layer(ws).expires_after(options.connect_timeout);
    beast::get_lowest_layer(ws).async_connect(results, [=, this](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return done->set_value(ec == beast::error::timeout ? RpcClientError::Timeout : RpcClientError::ConnectFailed);
      beast::error_code ignored;
      beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true), ignored);
      ws.read_message_max(options.max_message_bytes);
      ws.async_handshake(*response, url.host + ":" + url.port, url.path, [=, this](beast::error_code ec) {
        if (ec) {
          if (response->result_int() != 0)
            log()->warn("{}:{} refused the WebSocket upgrade: {} {}", url.host, url.port, response->result_int(),
                        response->body());
          return done->set_value(ec == beast::error::timeout ? RpcClientError::Timeout
                                                             : RpcClientError::HandshakeFailed);
        }
        beast::get_lowest_layer(ws).expires_never();
        ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        done->set_value(std::nullopt);
        read_next();
      });
    });
  });
  // The connect and handshake carry their own timeouts; this bounds a hanging name resolution.
  if (future.wait_for(options.connect_timeout * 2) != std::future_status::ready) return RpcClientError::Timeout;
  if (auto err = future.get()) return *err;
  return outcome::success();
}

std::pair<uint64_t, std::future<Reply>> ClientCore::send_request(const std::string& method, const json& params,
                                                                 std::shared_ptr<ClientSubscription> subscription) {
  auto call = std::make_shared<PendingCall>();
  call->subscription = std::move(subscription);
  auto future = call->promise.get_future();
  std::lock_guard lock(mutex);
  if (closed) {
    call->promise.set_value(RpcClientError::ConnectionClosed);
    return {0, std::move(future)};
  }
  uint64_t id = next_id++;
  pending[id] = std::move(call);
  write_queue.push_back(dump(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}));
  if (!writing) {
    writing = true;
    net::post(ws.get_executor(), [this] { write_next(); });
  }
  return {id, std::move(future)};
}

Reply ClientCore::wait(uint64_t id, std::future<Reply>& future, std::chrono::milliseconds timeout) {
  if (future.wait_for(timeout) == std::future_status::ready) return future.get();
  {
    std::lock_guard lock(mutex);
    if (pending.erase(id) != 0) return RpcClientError::Timeout;
  }
  // The I/O thread took the call just before us and is about to set the reply.
  return future.get();
}

Result<json> ClientCore::call(const std::string& method, const json& params, RpcCallError* error,
                              std::shared_ptr<ClientSubscription> subscription) {
  auto [id, future] = send_request(method, params, std::move(subscription));
  auto reply = wait(id, future, options.call_timeout);
  if (auto* result = std::get_if<json>(&reply)) return std::move(*result);
  if (auto* call_error = std::get_if<RpcCallError>(&reply)) {
    if (error) *error = std::move(*call_error);
    return make_error_code(RpcClientError::CallFailed);
  }
  return make_error_code(std::get<RpcClientError>(reply));
}

void ClientCore::send_and_forget(const std::string& method, const json& params) {
  auto [id, future] = send_request(method, params, nullptr);
  std::lock_guard lock(mutex);
  pending.erase(id);
}

void ClientCore::forget_subscription(const std::string& id) {
  std::lock_guard lock(mutex);
  subscriptions.erase(id);
}

bool ClientCore::is_open() {
  std::lock_guard lock(mutex);
  return !closed;
}

void ClientCore::close() {
  if (!thread.joinable()) return on_closed();
  {
    std::lock_guard lock(mutex);
    closed = true;  // no new requests
  }
  auto sent = std::make_shared<std::promise<void>>();
  auto future = sent->get_future();
  net::post(ws.get_executor(), [this, sent] {
    if (!ws.is_open()) return sent->set_value();
    ws.async_close(websocket::close_code::normal, [sent](beast::error_code) { sent->set_value(); });
  });
  future.wait_for(std::chrono::seconds(1));
  work.reset();
  ioc.stop();
  thread.join();
  on_closed();
}

void ClientCore::read_next() {
  ws.async_read(read_buffer, [this](beast::error_code ec, std::size_t) {
    if (ec) {
      if (ec != websocket::error::closed && ec != net::error::operation_aborted)
        log()->debug("connection lost: {}", ec.message());
      return on_closed();
    }
    std::string text = beast::buffers_to_string(read_buffer.data());
    read_buffer.consume(read_buffer.size());
    on_message(text);
    read_next();
  });
}

void ClientCore::on_message(std::string_view text) {
  json message = json::parse(text, nullptr, false);
  if (!message.is_object()) {
    log()->debug("ignoring a message that is not a JSON object");
    return;
  }
  auto id = message.find("id");
  if (id != message.end() && id->is_number_unsigned()) return on_reply(id->get<uint64_t>(), message);
  auto method = message.find("method");
  auto params = message.find("params");
  if (method != message.end() && method->is_string() && params != message.end() && params->is_object() &&
      params->contains("subscription"))
    return on_notification(*params);
  log()->debug("ignoring an unexpected message");
}

void ClientCore::on_reply(uint64_t id, const json& message) {
  std::shared_ptr<PendingCall> call;
  Reply reply = RpcClientError::InvalidResponse;
  auto error = message.find("error");
  auto result = message.find("result");
  if (error != message.end() && error->is_object()) {
    RpcCallError e;
    e.code = error->value("code", 0);
    e.message = error->value("message", std::string{});
    if (auto data = error->find("data"); data != error->end()) e.data = *data;
    reply = std::move(e);
  } else if (result != message.end()) {
    reply = *result;
  }
  {
    std::lock_guard lock(mutex);
    auto it = pending.find(id);
    if (it == pending.end()) return;  // timed out or not awaited
    call = std::move(it->second);
    pending.erase(it);
    if (call->subscription && std::holds_alternative<json>(reply)) {
      const auto& sub_id = std::get<json>(reply);
      if (sub_id.is_string() || sub_id.is_number()) {
        auto& sub = call->subscription;
        sub->raw_id = sub_id;
        sub->id = subscription_key(sub_id);
        subscriptions[sub->id] = sub;
        for (auto e = early.begin(); e != early.end();) {
          if (e->first == sub->id) {
            sub->push(std::move(e->second));
            e = early.erase(e);
          } else {
            ++e;
          }
        }
      }
    }
  }
  call->promise.set_value(std::move(reply));
}

void ClientCore::on_notification(const json& params) {
  auto key = subscription_key(params["subscription"]);
  json result = params.contains("result") ? params["result"] : json(nullptr);
  std::lock_guard lock(mutex);
  auto it = subscriptions.find(key);
  if (it == subscriptions.end()) {  // the subscribe reply may still be on its way
    early.emplace_back(std::move(key), std::move(result));
    if (early.size() > options.max_early_notifications) early.pop_front();
    return;
  }
  if (!it->second->push(std::move(result))) subscriptions.erase(it);
}

void ClientCore::write_next() {
  const std::string* front = nullptr;
  {
    std::lock_guard lock(mutex);
    if (write_queue.empty()) {
      writing = false;
      return;
    }
    front = &write_queue.front();
  }
  ws.text(true);
  ws.async_write(net::buffer(*front), [this](beast::error_code ec, std::size_t) {
    if (ec) {
      {
        std::lock_guard lock(mutex);
        writing = false;
        write_queue.clear();
      }
      beast::get_lowest_layer(ws).close();  // the pending read fails and ends the connection
      return;
    }
    {
      std::lock_guard lock(mutex);
      write_queue.pop_front();
    }
    write_next();
  });
}

void ClientCore::on_closed() {
  std::map<uint64_t, std::shared_ptr<PendingCall>> calls;
  std::map<std::string, std::shared_ptr<ClientSubscription>> subs;
  {
    std::lock_guard lock(mutex);
    closed = true;
    calls.swap(pending);
    subs.swap(subscriptions);
    early.clear();
  }
  for (auto& [id, call] : calls) call->promise.set_value(RpcClientError::ConnectionClosed);
  for (auto& [id, sub] : subs) sub->end();
}

}  // namespace bazaar::rpc::detail
