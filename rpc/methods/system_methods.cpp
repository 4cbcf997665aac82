#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"
#include "runtime/crypto/ss58.hpp"

namespace bazaar::rpc {

void register_system_methods(MethodRegistry& registry, SystemPort& system) {
  registry.add("system_name", "The node implementation's name", {}, [&system] { return system.node_name(); });
  registry.add("system_version", "The node implementation's version", {},
               [&system] { return system.node_version(); });
  registry.add("system_chain", "The chain's name (chain spec \"name\")", {}, [&system] { return system.chain_name(); });
  registry.add("system_chainType", "The chain's type: Development, Local, Live or a custom name", {},
               [&system] { return system.chain_type(); });
  registry.add("system_properties", "The chain spec's properties: {ss58Format, tokenDecimals, tokenSymbol}", {},
               [&system] { return system.properties(); });
  registry.add("system_health", "Node health: {peers, isSyncing, shouldHavePeers}", {},
               [&system] { return health_to_json(system.health()); });
  registry.add("system_accountNextIndex",
               "The next nonce of an account (SS58 or 0x-hex AccountId32), counting its transactions in the pool",
               {"account"}, [&system](const std::string& account) -> RpcResult<nlohmann::json> {
                 auto id = runtime::crypto::parse_account(account);
                 if (!id)
                   return RpcError::invalid_params("invalid account '" + account + "': " + id.error().message());
                 return nlohmann::json(system.account_next_index(id.value()));
               });
  registry.add("system_nodeRoles", "The node's roles: [\"Authority\"] for a validator, [\"Full\"] otherwise", {},
               [&system] { return system.node_roles(); });
  registry.add("system_syncState", "{startingBlock, currentBlock, highestBlock}", {}, [&system] {
    auto s = system.sync_state();
    return nlohmann::json{
        {"startingBlock", s.starting_block}, {"currentBlock", s.current_block}, {"highestBlock", s.highest_block}};
  });
  registry.add("system_localPeerId", "The node's peer id on the network (an error while networking is not running)",
               {}, [&system]() -> RpcResult<nlohmann::json> {
                 auto id = system.local_peer_id();
                 if (!id) return RpcError::internal("networking is not running on this node: it has no peer id");
                 return nlohmann::json(*id);
               });
  registry.add(
      "system_peers", "The connected peers: [{peerId, roles, bestHash, bestNumber}] ([] without networking)", {},
      [&system] {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : system.peers())
          out.push_back({{"peerId", p.peer_id},
                         {"roles", p.roles},
                         {"bestHash", runtime::to_hex(p.best_hash)},
                         {"bestNumber", p.best_number}});
        return out;
      },
      MethodSafety::Unsafe);
}

}  // namespace bazaar::rpc
