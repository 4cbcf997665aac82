#include "rpc/server/dispatcher.hpp"

#include "rpc/server/log.hpp"

namespace bazaar::rpc {

namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string success_response(const json& id, const json& result) {
  return dump(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

// Nesting depth of arrays and objects, ignoring brackets inside strings.
bool nesting_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

RpcResult<ArgList> resolve_params(const MethodEntry& entry, const json& params) {
  ArgList args(entry.params.size(), nullptr);
  if (params.is_array()) {
    if (params.size() > entry.params.size())
      return RpcError::invalid_params("too many parameters: expected at most " + std::to_string(entry.params.size()) +
                                      ", got " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) args[i] = &params[i];
  } else if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      std::size_t i = 0;
      while (i < entry.params.size() && entry.params[i].name != key) ++i;
      if (i == entry.params.size()) return RpcError::invalid_params("unknown parameter " + key);
      args[i] = &value;
    }
  }
  return args;
}

}  // namespace

void CallContext::activate_subscriptions() {
  for (const auto& sink : accepted) SubscriptionAccess::activate(sink);
  accepted.clear();
}

std::string error_response(const json& id, const RpcError& error) {
  return dump(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", error.to_json()}});
}

Dispatcher::Dispatcher(const MethodRegistry& registry, DispatchOptions options)
    : m_registry(registry), m_options(options) {}

std::optional<std::string> Dispatcher::handle(std::string_view text, CallContext& ctx) const {
  if (!nesting_within(text, kMaxDepth))
    return error_response(nullptr, RpcError::parse_error("nesting deeper than " + std::to_string(kMaxDepth)));
  json message;
  try {
    message = json::parse(text);
  } catch (const json::exception& e) {
    return error_response(nullptr, RpcError::parse_error(e.what()));
  }
  if (!message.is_array()) return handle_one(message, ctx);

  if (message.empty()) return error_response(nullptr, RpcError::invalid_request("empty batch"));
  if (message.size() > m_options.max_batch)
    return error_response(nullptr, RpcError{kBatchTooLarge, "Batch request limit exceeded",
                                            "at most " + std::to_string(m_options.max_batch) + " requests"});
  std::string out = "[";
  bool any = false;
  for (const auto& request : message) {
    auto response = handle_one(request, ctx);
    if (!response) continue;
    if (any) out += ',';
    out += *response;
    any = true;
  }
  if (!any) return std::nullopt;
  out += ']';
  if (out.size() > m_options.max_response_bytes) {
    for (const auto& sink : ctx.accepted) SubscriptionAccess::abort(sink);  // their ids never reach the client
    ctx.accepted.clear();
    return error_response(nullptr, RpcError{kOversizedResponse, "Response is too big",
                                            "limit " + std::to_string(m_options.max_response_bytes) + " bytes"});
  }
  return out;
}

std::optional<std::string> Dispatcher::handle_one(const json& request, CallContext& ctx) const {
  if (!request.is_object()) return error_response(nullptr, RpcError::invalid_request("request must be an object"));
  auto id_it = request.find("id");
  bool notification = id_it == request.end();
  json id = notification ? json(nullptr) : *id_it;
  if (!id.is_null() && !id.is_string() && !id.is_number())
    return error_response(nullptr, RpcError::invalid_request("id must be a string, a number or null"));
  auto version = request.find("jsonrpc");
  if (version == request.end() || *version != "2.0")
    return error_response(id, RpcError::invalid_request("jsonrpc must be \"2.0\""));
  auto method = request.find("method");
  if (method == request.end() || !method->is_string())
    return error_response(id, RpcError::invalid_request("method must be a string"));
  auto params_it = request.find("params");
  static const json kNoParams = json::array();
  const json& params = params_it == request.end() || params_it->is_null() ? kNoParams : *params_it;
  if (!params.is_array() && !params.is_object())
    return error_response(id, RpcError::invalid_params("params must be an array or an object"));

  auto result = call(method->get_ref<const std::string&>(), params, notification, ctx);
  if (notification) return std::nullopt;
  if (result.has_error()) {
    rpc_log()->debug("{} failed: {}", method->get_ref<const std::string&>(), result.error().to_string());
    return error_response(id, result.error());
  }
  auto text = success_response(id, result.value());
  if (text.size() > m_options.max_response_bytes)
    return error_response(id, RpcError{kOversizedResponse, "Response is too big",
                                       "limit " + std::to_string(m_options.max_response_bytes) + " bytes"});
  return text;
}

RpcResult<json> Dispatcher::call(const std::string& method, const json& params, bool notification,
                                 CallContext& ctx) const {
  auto entry = m_registry.find(method);
  if (!entry) return RpcError::method_not_found(method);
  if (entry->safety == MethodSafety::Unsafe) {
    if (m_options.methods == RpcMethods::Safe)
      return RpcError{kMethodNotFound, "RPC call is unsafe and this node only serves safe methods (--rpc-methods safe)",
                      std::nullopt};
    if (m_options.methods == RpcMethods::Auto && !ctx.peer_is_loopback)
      return RpcError{kMethodNotFound, "RPC call is unsafe to be called externally", std::nullopt};
  }
  auto args = resolve_params(*entry, params);
  if (args.has_error()) return args.error();

  switch (entry->kind) {
    case MethodEntry::Kind::Call:
      try {
        return entry->call(args.value());
      } catch (const std::exception& e) {
        rpc_log()->warn("handler of {} threw: {}", method, e.what());
        return RpcError::internal(e.what());
      } catch (...) {
        rpc_log()->warn("handler of {} threw a non-standard exception", method);
        return RpcError::internal();
      }
    case MethodEntry::Kind::Subscribe:
      if (notification) return json(nullptr);  // nobody could learn the id: don't open it
      return subscribe(*entry, args.value(), ctx);
    case MethodEntry::Kind::Unsubscribe: {
      if (!ctx.host)
        return RpcError{kSubscriptionsUnsupported, "Subscriptions are only available over WebSocket", std::nullopt};
      const json* id = args.value()[0];
      if (id == nullptr) return RpcError::invalid_params("missing parameter subscription");
      if (id->is_number()) return json(false);  // our ids are strings: a number names no subscription
      if (!id->is_string())
        return RpcError::invalid_params("invalid type for parameter subscription: expected string");
      return json(SubscriptionAccess::unsubscribe(*ctx.host, id->get<std::string>(), entry->notification));
    }
  }
  return RpcError::internal("unknown method kind");
}

RpcResult<json> Dispatcher::subscribe(const MethodEntry& entry, const ArgList& args, CallContext& ctx) const {
  if (!ctx.host)
    return RpcError{kSubscriptionsUnsupported, "Subscriptions are only available over WebSocket", std::nullopt};
  if (ctx.host->subscription_count() >= m_options.max_subscriptions_per_connection)
    return RpcError{kTooManySubscriptions, "Too many subscriptions on the connection",
                    "limit " + std::to_string(m_options.max_subscriptions_per_connection)};
  auto sink = SubscriptionAccess::create(ctx.host, entry.notification);
  RpcResult<void> r = RpcError::internal();
  try {
    r = entry.subscribe(sink, args);
  } catch (const std::exception& e) {
    rpc_log()->warn("handler of {} threw: {}", entry.name, e.what());
    r = RpcError::internal(e.what());
  } catch (...) {
    rpc_log()->warn("handler of {} threw a non-standard exception", entry.name);
  }
  if (r.has_error()) {
    SubscriptionAccess::abort(sink);
    return r.error();
  }
  ctx.accepted.push_back(sink);
  return json(sink.id());
}

}  // namespace bazaar::rpc
