#include "rpc/server/rpc_error.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::rpc, RpcServerError, "rpc-server", to_string)

namespace bazaar::rpc {

const char* to_string(RpcServerError e) {
  switch (e) {
    case RpcServerError::InvalidAddress: return "RPC listen address is not a valid IP address";
    case RpcServerError::AddressInUse: return "RPC port is already in use";
    case RpcServerError::BindFailed: return "cannot open the RPC listening socket";
    case RpcServerError::AlreadyStarted: return "RPC server already started";
  }
  return "unknown RPC server error";
}

namespace {
RpcError with_detail(int code, const char* message, std::string detail) {
  RpcError e{code, message, std::nullopt};
  if (!detail.empty()) e.data = std::move(detail);
  return e;
}
}  // namespace

RpcError RpcError::parse_error(std::string detail) {
  return with_detail(kParseError, "Parse error", std::move(detail));
}

RpcError RpcError::invalid_request(std::string detail) {
  return with_detail(kInvalidRequest, "Invalid request", std::move(detail));
}

RpcError RpcError::method_not_found(const std::string& method) {
  return RpcError{kMethodNotFound, "Method not found: " + method, std::nullopt};
}

RpcError RpcError::invalid_params(std::string message) {
  return RpcError{kInvalidParams, std::move(message), std::nullopt};
}

RpcError RpcError::internal(std::string detail) {
  return with_detail(kInternalError, "Internal error", std::move(detail));
}

nlohmann::json RpcError::to_json() const {
  nlohmann::json j{{"code", code}, {"message", message}};
  if (data) j["data"] = *data;
  return j;
}

std::string RpcError::to_string() const {
  std::string s = std::to_string(code) + ": " + message;
  if (data) s += ": " + (data->is_string() ? data->get<std::string>() : data->dump());
  return s;
}

}  // namespace bazaar::rpc
