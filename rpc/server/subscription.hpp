#pragma once
// Server-side subscriptions: the sink a subscription handler pushes
// notifications into, and the per-connection table of live subscriptions.
//
// Notification framing (polkadot-js-compat.md §1):
//   {"jsonrpc":"2.0","method":<notification>,"params":{"subscription":<id>,"result":<payload>}}

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::rpc {

struct SinkState;
class SubscriptionSink;

/// Declares a subscription: the three method names of its pubsub triple, docs and
/// parameter names ("name" required, "name?" optional, as in MethodRegistry::add).
struct SubscriptionSpec {
  std::string subscribe;     ///< e.g. "chain_subscribeNewHeads"
  std::string notification;  ///< e.g. "chain_newHead"
  std::string unsubscribe;   ///< e.g. "chain_unsubscribeNewHeads"
  std::string docs;
  std::vector<std::string> params;
};

/// The connection side of a subscription (implemented by the WebSocket session).
/// Owns the connection's table of live subscriptions.
class SubscriptionHost {
 public:
  /// `live_counter` (optional, shared by the hosts of one server) counts the
  /// subscriptions open on every host.
  explicit SubscriptionHost(std::shared_ptr<std::atomic<std::size_t>> live_counter = nullptr)
      : m_live(std::move(live_counter)) {}
  /// Closes the subscriptions still open.
  virtual ~SubscriptionHost();
  /// Queues one text message for the peer, in order; any thread. Returns false if
  /// the connection is closed or its outbound queue is over its bound; the host
  /// must then close all its subscriptions (close_all_subscriptions) on its own
  /// thread, never inside enqueue (the caller holds the sink's lock).
  virtual bool enqueue(std::string message) = 0;

  std::size_t subscription_count() const;
  /// Closes every live subscription of this connection (on disconnect).
  void close_all_subscriptions();

 private:
  friend class SubscriptionSink;
  friend struct SubscriptionAccess;
  bool has_subscription(const std::string& id) const;
  void add_subscription(const SubscriptionSink& sink);
  std::optional<SubscriptionSink> take_subscription(const std::string& id);

  mutable std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<SinkState>> m_subscriptions;
  std::shared_ptr<std::atomic<std::size_t>> m_live;
};

/// Where a subscription handler sends notifications. Copyable (copies share one
/// subscription) and thread-safe: send() may be called from any thread.
///
/// Notifications sent before the server has written the subscribe reply (for
/// example the initial value, sent from inside the handler) are held back (at
/// most SubscriptionAccess::kMaxHeldBack) and written right after the reply.
/// The subscription ends when the handler calls close(), the client
/// unsubscribes, the connection closes or the client stops reading. on_close
/// callbacks then run once: inside close() when the handler ended it, otherwise
/// on a server I/O thread (or in RpcServer::stop()) -- never inside send(), so
/// send() may be called while holding a lock that a callback takes.
class SubscriptionSink {
 public:
  /// Sends one notification with `result` as payload. Returns false (and drops
  /// it) once the subscription is closed or its connection is going away.
  bool send(const nlohmann::json& result) const;
  /// Ends the subscription from the server side (no further notifications).
  void close() const;
  bool closed() const;
  /// Registers a callback run once when the subscription ends; runs it at once
  /// (on the calling thread) if it already has.
  void on_close(std::function<void()> callback) const;
  /// The subscription id sent to the client.
  const std::string& id() const;
  /// The notification method name, e.g. "chain_newHead".
  const std::string& notification() const;

 private:
  friend class SubscriptionHost;
  friend struct SubscriptionAccess;
  explicit SubscriptionSink(std::shared_ptr<SinkState> state) : m_state(std::move(state)) {}
  std::shared_ptr<SinkState> m_state;
};

/// Server internals: creating and activating sinks. Not for handler authors.
struct SubscriptionAccess {
  /// Maximum notifications held back before the subscribe reply is written.
  static constexpr std::size_t kMaxHeldBack = 1024;
  /// A new pending sink with a fresh id unique on `host`, registered in its table.
  static SubscriptionSink create(const std::shared_ptr<SubscriptionHost>& host, std::string notification);
  /// Writes the held-back notifications after the reply and lets later ones through.
  static void activate(const SubscriptionSink& sink);
  /// Ends a sink whose subscribe call failed: drops held-back notifications.
  static void abort(const SubscriptionSink& sink);
  /// Ends the subscription `id` of `host` if it carries `notification`; false if none.
  static bool unsubscribe(SubscriptionHost& host, const std::string& id, const std::string& notification);
  /// Removes a just-closed sink from its host and runs its on_close callbacks (no lock held).
  static void finish_close(SinkState& state, std::vector<std::function<void()>> callbacks);
};

}  // namespace bazaar::rpc
