#include "rpc/methods/json_format.hpp"

#include "runtime/codec/scale.hpp"

#include <fmt/format.h>

namespace bazaar::rpc {

using runtime::to_hex;

std::string number_to_hex(uint64_t number) { return fmt::format("0x{:x}", number); }

nlohmann::json header_to_json(const runtime::Header& header) {
  nlohmann::json logs = nlohmann::json::array();
  for (const auto& item : header.digest.logs) logs.push_back(to_hex(runtime::codec::encode(item)));
  return {{"parentHash", to_hex(header.parent_hash)},
          {"number", number_to_hex(header.number.value)},
          {"stateRoot", to_hex(header.state_root)},
          {"extrinsicsRoot", to_hex(header.extrinsics_root)},
          {"digest", {{"logs", std::move(logs)}}}};
}

nlohmann::json signed_block_to_json(const runtime::Block& block, const std::vector<Justification>& justifications) {
  nlohmann::json extrinsics = nlohmann::json::array();
  for (const auto& xt : block.extrinsics) extrinsics.push_back(to_hex(xt.encoded));
  nlohmann::json just = nullptr;
  if (!justifications.empty()) {
    just = nlohmann::json::array();
    for (const auto& j : justifications) {
      nlohmann::json engine = nlohmann::json::array();
      for (auto b : j.engine) engine.push_back(b);
      just.push_back(nlohmann::json::array({std::move(engine), to_hex(j.data)}));
    }
  }
  return {{"block", {{"header", header_to_json(block.header)}, {"extrinsics", std::move(extrinsics)}}},
          {"justifications", std::move(just)}};
}

nlohmann::json runtime_version_to_json(const RuntimeVersionInfo& v) {
  nlohmann::json apis = nlohmann::json::array();
  for (const auto& [id, version] : v.apis)
    apis.push_back(nlohmann::json::array({to_hex(runtime::ByteSpan(id.data(), id.size())), version}));
  // Substrate serializes the state version twice, under its old and new name (spec §2.2).
  return {{"specName", v.spec_name},
          {"implName", v.impl_name},
          {"authoringVersion", v.authoring_version},
          {"specVersion", v.spec_version},
          {"implVersion", v.impl_version},
          {"apis", std::move(apis)},
          {"transactionVersion", v.transaction_version},
          {"systemVersion", v.state_version},
          {"stateVersion", v.state_version}};
}

nlohmann::json health_to_json(const NodeHealth& h) {
  return {{"peers", h.peers}, {"isSyncing", h.is_syncing}, {"shouldHavePeers", h.should_have_peers}};
}

nlohmann::json tx_status_to_json(const TxStatus& s) {
  using K = TxStatus::Kind;
  switch (s.kind) {
    case K::Future: return "future";
    case K::Ready: return "ready";
    case K::Broadcast: return {{"broadcast", s.peers}};
    case K::InBlock: return {{"inBlock", to_hex(s.hash)}};
    case K::Retracted: return {{"retracted", to_hex(s.hash)}};
    case K::FinalityTimeout: return {{"finalityTimeout", to_hex(s.hash)}};
    case K::Finalized: return {{"finalized", to_hex(s.hash)}};
    case K::Usurped: return {{"usurped", to_hex(s.hash)}};
    case K::Dropped: return "dropped";
    case K::Invalid: return "invalid";
  }
  return "invalid";
}

RpcError port_error_to_rpc(const PortError& e) {
  switch (e.kind) {
    case PortError::Kind::UnknownBlock:
    case PortError::Kind::StateUnavailable: return RpcError{kStateClientError, "Client error: " + e.message, {}};
    case PortError::Kind::CallFailed:
      return RpcError{kStateClientError, "Client error: Execution failed: " + e.message, {}};
    case PortError::Kind::Internal: break;
  }
  return RpcError::internal(e.message);
}

RpcError rejection_to_rpc(const SubmitRejection& r) {
  RpcError e{r.code, r.message, {}};
  if (r.data) e.data = *r.data;
  return e;
}

}  // namespace bazaar::rpc
