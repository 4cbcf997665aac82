#include "rpc/client/rpc_client.hpp"

#include "rpc/client/client_core.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::rpc, RpcClientError, "rpc-client", to_string)

namespace bazaar::rpc {

using nlohmann::json;

const char* to_string(RpcClientError e) {
  switch (e) {
    case RpcClientError::InvalidUrl: return "invalid RPC URL (expected ws://host[:port][/path])";
    case RpcClientError::UnsupportedScheme: return "unsupported URL scheme (TLS is not supported: use ws:// or http://)";
    case RpcClientError::ConnectFailed: return "cannot connect to the RPC server";
    case RpcClientError::HandshakeFailed: return "the RPC server refused the WebSocket connection";
    case RpcClientError::Timeout: return "the RPC server did not answer in time";
    case RpcClientError::ConnectionClosed: return "the RPC connection is closed";
    case RpcClientError::CallFailed: return "the RPC server answered with an error";
    case RpcClientError::InvalidResponse: return "the RPC server sent an invalid response";
    case RpcClientError::SubscriptionClosed: return "the subscription has ended";
    case RpcClientError::SubscriptionOverflow: return "the subscription's notification queue overflowed";
  }
  return "unknown RPC client error";
}

std::string RpcCallError::to_string() const {
  std::string s = std::to_string(code) + ": " + message;
  if (!data.is_null()) s += ": " + (data.is_string() ? data.get<std::string>() : data.dump());
  return s;
}

namespace detail {

Result<WsUrl> parse_ws_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return RpcClientError::InvalidUrl;
  auto scheme = url.substr(0, scheme_end);
  if (scheme == "wss" || scheme == "https") return RpcClientError::UnsupportedScheme;
  if (scheme != "ws" && scheme != "http") return RpcClientError::InvalidUrl;
  auto rest = url.substr(scheme_end + 3);
  auto path_start = rest.find('/');
  WsUrl out;
  out.path = path_start == std::string::npos ? "/" : rest.substr(path_start);
  auto authority = rest.substr(0, path_start);
  std::string port;
  if (!authority.empty() && authority[0] == '[') {  // [ipv6]:port
    auto close = authority.find(']');
    if (close == std::string::npos) return RpcClientError::InvalidUrl;
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return RpcClientError::InvalidUrl;
      port = authority.substr(close + 2);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
    if (colon != std::string::npos && port.empty()) return RpcClientError::InvalidUrl;
  }
  if (out.host.empty()) return RpcClientError::InvalidUrl;
  if (port.empty()) port = "80";
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535 ||
      std::stoul(port) == 0)
    return RpcClientError::InvalidUrl;
  out.port = port;
  return out;
}

}  // namespace detail

Result<RpcClient> RpcClient::connect(const std::string& url, RpcClientOptions options) {
  BAZAAR_TRY(auto parsed, detail::parse_ws_url(url));
  auto core = std::make_shared<detail::ClientCore>(options);
  BAZAAR_TRY(core->open(parsed));
  return RpcClient(std::move(core));
}

RpcClient::RpcClient(std::shared_ptr<detail::ClientCore> core) : m_core(std::move(core)) {}
RpcClient::RpcClient(RpcClient&&) noexcept = default;
RpcClient& RpcClient::operator=(RpcClient&& other) noexcept {
  if (this != &other) {
    close();
    m_core = std::move(other.m_core);
  }
  return *this;
}
RpcClient::~RpcClient() { close(); }

Result<json> RpcClient::call(const std::string& method, const json& params, RpcCallError* error) {
  if (!m_core) return make_error_code(RpcClientError::ConnectionClosed);
  return m_core->call(method, params, error);
}

Result<Subscription> RpcClient::subscribe(const std::string& subscribe_method, const json& params,
                                          const std::string& unsubscribe_method, RpcCallError* error) {
  if (!m_core) return RpcClientError::ConnectionClosed;
  auto state = std::make_shared<detail::ClientSubscription>();
  state->max_queued = m_core->options.max_queued_notifications;
  BAZAAR_TRY(auto id, m_core->call(subscribe_method, params, error, state));
  if (!id.is_string() && !id.is_number()) return RpcClientError::InvalidResponse;
  return Subscription(m_core, std::move(state), unsubscribe_method);
}

void RpcClient::close() {
  if (m_core) m_core->close();
}

bool RpcClient::is_open() const { return m_core && m_core->is_open(); }

Subscription::Subscription(std::weak_ptr<detail::ClientCore> core, std::shared_ptr<detail::ClientSubscription> state,
                           std::string unsubscribe_method)
    : m_core(std::move(core)), m_state(std::move(state)), m_unsubscribe_method(std::move(unsubscribe_method)) {}

Subscription::Subscription(Subscription&&) noexcept = default;

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    release();
    m_core = std::move(other.m_core);
    m_state = std::move(other.m_state);
    m_unsubscribe_method = std::move(other.m_unsubscribe_method);
  }
  return *this;
}

Subscription::~Subscription() { release(); }

void Subscription::release() {
  if (!m_state) return;
  bool was_open;
  {
    std::lock_guard lock(m_state->mutex);
    was_open = !m_state->closed;
  }
  if (was_open) {
    if (auto core = m_core.lock()) {
      core->forget_subscription(m_state->id);
      core->send_and_forget(m_unsubscribe_method, json::array({m_state->raw_id}));
    }
  }
  m_state->end();
  m_state.reset();
}

Result<json> Subscription::next(std::chrono::milliseconds timeout) {
  if (!m_state) return make_error_code(RpcClientError::SubscriptionClosed);
  std::unique_lock lock(m_state->mutex);
  m_state->cv.wait_for(lock, timeout, [&] { return !m_state->queue.empty() || m_state->closed; });
  if (!m_state->queue.empty()) {
    json result = std::move(m_state->queue.front());
    m_state->queue.pop_front();
    return result;
  }
  if (m_state->overflow) return make_error_code(RpcClientError::SubscriptionOverflow);
  if (m_state->closed) return make_error_code(RpcClientError::SubscriptionClosed);
  return make_error_code(RpcClientError::Timeout);
}

const std::string& Subscription::id() const {
  static const std::string kNone;
  return m_state ? m_state->id : kNone;
}

Result<bool> Subscription::unsubscribe() {
  if (!m_state) return RpcClientError::SubscriptionClosed;
  auto core = m_core.lock();
  m_state->end();
  if (!core) return RpcClientError::ConnectionClosed;
  core->forget_subscription(m_state->id);
  BAZAAR_TRY(auto answer, core->call(m_unsubscribe_method, json::array({m_state->raw_id}), nullptr));
  if (!answer.is_boolean()) return RpcClientError::InvalidResponse;
  return answer.get<bool>();
}

}  // namespace bazaar::rpc
