#pragma once
// Turns one JSON-RPC 2.0 message (a request, a notification or a batch) into the
// response text, using the registry. Shared by the HTTP and WebSocket transports.

#include "rpc/server/method_registry.hpp"
#include "rpc/server/subscription.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::rpc {

/// Which peers may call unsafe methods (--rpc-methods, as Substrate's RpcMethods).
enum class RpcMethods {
  Auto,    ///< loopback peers only
  Safe,    ///< nobody: unsafe methods are refused everywhere
  Unsafe,  ///< every peer
};

struct DispatchOptions {
  std::size_t max_batch = 100;                       ///< requests per batch
  std::size_t max_response_bytes = 15 * 1024 * 1024;  ///< per response (-32008 beyond)
  std::size_t max_subscriptions_per_connection = 1024;
  RpcMethods methods = RpcMethods::Auto;
};

/// Where a message came from, and the subscriptions it opened.
struct CallContext {
  bool peer_is_loopback = false;
  /// The WebSocket connection; null over HTTP (subscriptions then fail).
  std::shared_ptr<SubscriptionHost> host;
  /// Subscriptions accepted while handling the message; the transport calls
  /// activate_subscriptions() once the response is queued, so that the reply
  /// precedes every notification.
  std::vector<SubscriptionSink> accepted;

  void activate_subscriptions();
};

class Dispatcher {
 public:
  /// Maximum nesting of arrays/objects in a request (deeper: parse error).
  static constexpr std::size_t kMaxDepth = 128;

  Dispatcher(const MethodRegistry& registry, DispatchOptions options);

  /// Handles one message. Returns the response text, or nullopt when the message
  /// holds only notifications (requests without "id") and nothing is answered.
  std::optional<std::string> handle(std::string_view text, CallContext& ctx) const;

 private:
  std::optional<std::string> handle_one(const nlohmann::json& request, CallContext& ctx) const;
  RpcResult<nlohmann::json> call(const std::string& method, const nlohmann::json& params, bool notification,
                                 CallContext& ctx) const;
  RpcResult<nlohmann::json> subscribe(const MethodEntry& entry, const ArgList& args, CallContext& ctx) const;

  const MethodRegistry& m_registry;
  DispatchOptions m_options;
};

/// The response text {"jsonrpc":"2.0","id":id,"error":{...}}.
std::string error_response(const nlohmann::json& id, const RpcError& error);

}  // namespace bazaar::rpc
