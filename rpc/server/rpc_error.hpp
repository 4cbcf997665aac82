#pragma once
// JSON-RPC 2.0 errors as handlers return them, the result type of handlers,
// and the errors of the server itself (binding, starting).
//
// Codes follow the JSON-RPC 2.0 specification (-32700 .. -32600) and
// jsonrpsee, Substrate's RPC library (-32006 .. -32011); application codes such
// as 1010 "Invalid Transaction" come from handlers
// (/work/shared/spec/polkadot-js-compat.md §1).

#include "runtime/result.hpp"

#include <boost/outcome/result.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace bazaar::rpc {

/// Standard and server-defined JSON-RPC error codes.
inline constexpr int kParseError = -32700;      ///< body is not valid JSON
inline constexpr int kInvalidRequest = -32600;  ///< not a JSON-RPC 2.0 request object
inline constexpr int kMethodNotFound = -32601;  ///< unknown method (also: unsafe method refused)
inline constexpr int kInvalidParams = -32602;   ///< wrong parameter count, name or type
inline constexpr int kInternalError = -32603;   ///< handler failed unexpectedly
/// Subscribe / unsubscribe called over HTTP (subscriptions need a WebSocket).
inline constexpr int kSubscriptionsUnsupported = -32000;
inline constexpr int kTooManySubscriptions = -32006;  ///< per-connection subscription limit reached
inline constexpr int kOversizedRequest = -32007;      ///< request larger than max_request_bytes
inline constexpr int kOversizedResponse = -32008;     ///< response larger than max_response_bytes
inline constexpr int kServerBusy = -32009;            ///< connection refused: too many connections
inline constexpr int kBatchTooLarge = -32010;         ///< batch longer than max_batch

/// A JSON-RPC error object: {"code", "message", "data"?}.
struct RpcError {
  int code = kInternalError;
  std::string message;
  std::optional<nlohmann::json> data;

  static RpcError parse_error(std::string detail);
  static RpcError invalid_request(std::string detail = {});
  static RpcError method_not_found(const std::string& method);
  static RpcError invalid_params(std::string message);
  static RpcError internal(std::string detail = {});

  /// The JSON object of the "error" member.
  nlohmann::json to_json() const;
  /// "<code>: <message>[: <data>]", the way polkadot.js prints errors.
  std::string to_string() const;
  friend bool operator==(const RpcError&, const RpcError&) = default;
};

/// What a handler returns: a value or an RpcError (`return RpcError{1010, "Invalid Transaction",
/// "bad signature"};`). Accessing the value of a failed result terminates (a bug).
template <class T>
using RpcResult = boost::outcome_v2::result<T, RpcError, boost::outcome_v2::policy::terminate>;

/// Failures of the server itself, returned by RpcServer::start().
enum class RpcServerError {
  InvalidAddress = 1,  ///< listen_address is not an IP address
  AddressInUse,        ///< the port is already bound by another socket
  BindFailed,          ///< any other failure to open, bind or listen
  AlreadyStarted,      ///< start() called twice
};
const char* to_string(RpcServerError e);

}  // namespace bazaar::rpc

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::rpc, RpcServerError)
