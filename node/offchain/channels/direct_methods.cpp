// The direct_* JSON-RPC methods of DirectService and the DirectServer that serves them.
#include "node/offchain/channels/direct_service.hpp"

#include "runtime/crypto/ss58.hpp"

namespace bazaar::node::offchain::channels {

namespace {

rpc::RpcError to_rpc_error(const Refusal& r) {
  return rpc::RpcError{kRefusalCodeBase + static_cast<int>(r.error), to_string(r.error), nlohmann::json(r.reason)};
}

std::optional<SubmitRequest> request_from(const nlohmann::json& task, const nlohmann::json& state,
                                          const nlohmann::json& sig) {
  auto t = task_from_json(task);
  auto s = state_from_json(state);
  auto g = sig.is_string() ? runtime::fixed_from_hex<EcdsaSignature>(sig.get<std::string>()) : std::nullopt;
  if (!t || !s || !g) return std::nullopt;
  return SubmitRequest{std::move(*t), *s, *g};
}

}  // namespace

void DirectService::register_methods(rpc::MethodRegistry& registry) {
  registry.add("direct_submitTask",
               "Runs a task paid by a proposed channel update; answers the output with the provider's signature",
               {"task", "proposedState", "requesterSig"},
               [this](nlohmann::json task, nlohmann::json state, nlohmann::json sig) -> rpc::RpcResult<nlohmann::json> {
                 auto req = request_from(task, state, sig);
                 if (!req) return rpc::RpcError::invalid_params("expected a task, a channel state and a signature");
                 auto out = submit({std::move(*req)});
                 if (auto* r = std::get_if<Refusal>(&out.front())) return to_rpc_error(*r);
                 return reply_to_json(std::get<TaskReply>(out.front()));
               });
  registry.add("direct_submitTasks",
               "Pipelined direct_submitTask: consecutive updates of one channel, answered after one fsync",
               {"items"}, [this](nlohmann::json items) -> rpc::RpcResult<nlohmann::json> {
                 if (!items.is_array()) return rpc::RpcError::invalid_params("items: expected an array");
                 std::vector<SubmitRequest> batch;
                 for (const auto& item : items) {
                   auto req = item.is_object() ? request_from(item.value("task", nlohmann::json()),
                                                              item.value("proposedState", nlohmann::json()),
                                                              item.value("requesterSig", nlohmann::json()))
                                               : std::nullopt;
                   if (!req) return rpc::RpcError::invalid_params("items: each needs task, proposedState, requesterSig");
                   batch.push_back(std::move(*req));
                 }
                 nlohmann::json out = nlohmann::json::array();
                 for (const auto& o : submit(std::move(batch))) {
                   if (auto* r = std::get_if<Refusal>(&o)) out.push_back(refusal_to_json(*r));
                   else out.push_back(reply_to_json(std::get<TaskReply>(o)));
                 }
                 return out;
               });
  registry.add("direct_closeChannel", "Signs the close hash of a final state (cooperative close)",
               {"finalState", "requesterSig"},
               [this](nlohmann::json state, runtime::crypto::EcdsaSignature sig) -> rpc::RpcResult<nlohmann::json> {
                 auto s = state_from_json(state);
                 if (!s) return rpc::RpcError::invalid_params("finalState: expected a channel state");
                 auto out = close(*s, sig);
                 if (auto* r = std::get_if<Refusal>(&out)) return to_rpc_error(*r);
                 return nlohmann::json{{"providerSig", runtime::to_hex(std::get<EcdsaSignature>(out))}};
               });
  registry.add("direct_getChannel", "The provider's latest co-signed state of a channel and its task log",
               {"channelId", "fromLeaf?"},
               [this](runtime::H256 id, std::optional<uint64_t> from) -> rpc::RpcResult<nlohmann::json> {
                 auto out = snapshot(id, from.value_or(0));
                 if (auto* r = std::get_if<Refusal>(&out)) return to_rpc_error(*r);
                 const auto& snap = std::get<ChannelSnapshot>(out);
                 nlohmann::json leaves = nlohmann::json::array();
                 for (const auto& e : snap.leaves) leaves.push_back(entry_to_json(e));
                 return nlohmann::json{
                     {"latest", snap.latest ? signed_state_to_json(*snap.latest) : nlohmann::json(nullptr)},
                     {"leaves", leaves},
                     {"leafCount", snap.leaf_count}};
               });
  registry.add("direct_info", "The provider's account, price per task and limits", {},
               [this]() -> nlohmann::json {
                 return {{"provider", runtime::crypto::ss58_encode(m_account)},
                         {"price", runtime::u128_to_string(m_options.price)},
                         {"maxFuel", m_options.max_fuel},
                         {"genesisHash", runtime::to_hex(m_genesis)}};
               });
}

Result<std::unique_ptr<DirectServer>> DirectServer::start(DirectService& service, const std::string& listen_address,
                                                          uint16_t port) {
  std::unique_ptr<DirectServer> server(new DirectServer());
  service.register_methods(server->m_registry);
  rpc::RpcServerOptions options;
  options.listen_address = listen_address;
  options.port = port;
  options.threads = 2;
  options.max_batch = 1000;
  server->m_server = std::make_unique<rpc::RpcServer>(options, server->m_registry);
  BAZAAR_TRY(server->m_server->start());
  return server;
}

DirectServer::~DirectServer() {
  if (m_server) m_server->stop();
}

uint16_t DirectServer::port() const { return m_server ? m_server->port() : 0; }

}  // namespace bazaar::node::offchain::channels
