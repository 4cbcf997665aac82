#include "rpc/server/subscription.hpp"

#include <random>

namespace bazaar::rpc {

/// Shared state of one subscription; every field is guarded by `mutex`.
struct SinkState {
  enum class Phase { Pending, Active, Closed };

  std::mutex mutex;
  std::string id;
  std::string notification;
  std::weak_ptr<SubscriptionHost> host;
  Phase phase = Phase::Pending;
  bool close_requested = false;      // close() while Pending: close right after activation
  std::vector<std::string> held_back;  // notifications sent while Pending
  std::vector<std::function<void()>> on_close;
};

namespace {

std::string random_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  uint64_t v = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kDigits[v & 0xf];
    v >>= 4;
  }
  return id;
}

std::string frame(const SinkState& s, const nlohmann::json& result) {
  nlohmann::json n{{"jsonrpc", "2.0"},
                   {"method", s.notification},
                   {"params", {{"subscription", s.id}, {"result", result}}}};
  return n.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Marks the state closed and returns what must run outside the lock. Requires the lock.
std::vector<std::function<void()>> mark_closed(SinkState& s) {
  s.phase = SinkState::Phase::Closed;
  s.held_back.clear();
  return std::exchange(s.on_close, {});
}

}  // namespace

void SubscriptionAccess::finish_close(SinkState& s, std::vector<std::function<void()>> callbacks) {
  if (auto host = s.host.lock()) host->take_subscription(s.id);
  for (auto& cb : callbacks) cb();
}

SubscriptionHost::~SubscriptionHost() { close_all_subscriptions(); }

std::size_t SubscriptionHost::subscription_count() const {
  std::lock_guard lock(m_mutex);
  return m_subscriptions.size();
}

void SubscriptionHost::close_all_subscriptions() {
  std::map<std::string, std::shared_ptr<SinkState>> all;
  {
    std::lock_guard lock(m_mutex);
    all.swap(m_subscriptions);
    if (m_live) m_live->fetch_sub(all.size());
  }
  for (auto& [id, state] : all) SubscriptionAccess::abort(SubscriptionSink(state));
}

bool SubscriptionHost::has_subscription(const std::string& id) const {
  std::lock_guard lock(m_mutex);
  return m_subscriptions.count(id) != 0;
}

void SubscriptionHost::add_subscription(const SubscriptionSink& sink) {
  std::lock_guard lock(m_mutex);
  if (m_subscriptions.emplace(sink.id(), sink.m_state).second && m_live) m_live->fetch_add(1);
}

std::optional<SubscriptionSink> SubscriptionHost::take_subscription(const std::string& id) {
  std::lock_guard lock(m_mutex);
  auto it = m_subscriptions.find(id);
  if (it == m_subscriptions.end()) return std::nullopt;
  SubscriptionSink sink(std::move(it->second));
  m_subscriptions.erase(it);
  if (m_live) m_live->fetch_sub(1);
  return sink;
}

bool SubscriptionSink::send(const nlohmann::json& result) const {
  std::string text = frame(*m_state, result);  // id and notification never change
  std::lock_guard lock(m_state->mutex);
  auto& s = *m_state;
  if (s.phase == SinkState::Phase::Closed || s.close_requested) return false;
  if (s.phase == SinkState::Phase::Pending) {
    if (s.held_back.size() < SubscriptionAccess::kMaxHeldBack) {
      s.held_back.push_back(std::move(text));
      return true;
    }
    s.close_requested = true;  // activation writes what is held back, then ends the subscription
    return false;
  }
  // A refusing host closes all its subscriptions itself, on its own thread.
  auto host = s.host.lock();
  return host && host->enqueue(std::move(text));
}

void SubscriptionSink::close() const {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(m_state->mutex);
    auto& s = *m_state;
    if (s.phase == SinkState::Phase::Closed) return;
    if (s.phase == SinkState::Phase::Pending) {
      s.close_requested = true;  // the reply and held-back notifications still go out
      return;
    }
    callbacks = mark_closed(s);
  }
  SubscriptionAccess::finish_close(*m_state, std::move(callbacks));
}

bool SubscriptionSink::closed() const {
  std::lock_guard lock(m_state->mutex);
  return m_state->phase == SinkState::Phase::Closed || m_state->close_requested;
}

void SubscriptionSink::on_close(std::function<void()> callback) const {
  {
    std::lock_guard lock(m_state->mutex);
    if (m_state->phase != SinkState::Phase::Closed) {
      m_state->on_close.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

const std::string& SubscriptionSink::id() const { return m_state->id; }

const std::string& SubscriptionSink::notification() const { return m_state->notification; }

SubscriptionSink SubscriptionAccess::create(const std::shared_ptr<SubscriptionHost>& host,
                                            std::string notification) {
  auto state = std::make_shared<SinkState>();
  state->notification = std::move(notification);
  state->host = host;
  do {
    state->id = random_id();
  } while (host->has_subscription(state->id));  // ids are only created on the connection's strand
  SubscriptionSink sink(state);
  host->add_subscription(sink);
  return sink;
}

void SubscriptionAccess::activate(const SubscriptionSink& sink) {
  auto& s = *sink.m_state;
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(s.mutex);
    if (s.phase != SinkState::Phase::Pending) return;
    auto host = s.host.lock();
    bool ok = host != nullptr;
    for (auto& text : s.held_back) {
      if (!ok) break;
      ok = host->enqueue(std::move(text));
    }
    s.held_back.clear();
    if (ok && !s.close_requested) {
      s.phase = SinkState::Phase::Active;
      return;
    }
    callbacks = mark_closed(s);
  }
  finish_close(s, std::move(callbacks));
}

void SubscriptionAccess::abort(const SubscriptionSink& sink) {
  auto& s = *sink.m_state;
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(s.mutex);
    if (s.phase == SinkState::Phase::Closed) return;
    callbacks = mark_closed(s);
  }
  finish_close(s, std::move(callbacks));
}

bool SubscriptionAccess::unsubscribe(SubscriptionHost& host, const std::string& id,
                                     const std::string& notification) {
  {
    std::lock_guard lock(host.m_mutex);
    auto it = host.m_subscriptions.find(id);
    if (it == host.m_subscriptions.end() || it->second->notification != notification) return false;
  }
  auto sink = host.take_subscription(id);
  if (!sink) return false;
  abort(*sink);
  return true;
}

}  // namespace bazaar::rpc
