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
}

}  // namespace bazaar::rpc
