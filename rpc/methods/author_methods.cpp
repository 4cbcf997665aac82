#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"
#include "runtime/primitives/extrinsic.hpp"

namespace bazaar::rpc {

namespace {

/// 1001 when the bytes are not a v4 extrinsic (Substrate's author BadFormat).
RpcResult<void> check_format(const runtime::Bytes& bytes) {
  auto decoded = runtime::decode_extrinsic(bytes);
  if (!decoded) return RpcError{kAuthorBadFormat, "Extrinsic has invalid format", decoded.error().message()};
  return boost::outcome_v2::success();
}

}  // namespace

void register_author_methods(MethodRegistry& registry, AuthorPort& author) {
  registry.add("author_submitExtrinsic",
               "Submits a SCALE-encoded extrinsic (with its length prefix) to the pool; returns its hash",
               {"extrinsic"}, [&author](HexBytes extrinsic) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(check_format(extrinsic.bytes));
                 auto hash = author.submit(std::move(extrinsic.bytes));
                 if (!hash) return rejection_to_rpc(hash.error());
                 return nlohmann::json(runtime::to_hex(hash.value()));
               });

  registry.add_subscription(
      {"author_submitAndWatchExtrinsic", "author_extrinsicUpdate", "author_unwatchExtrinsic",
       "Submits an extrinsic and reports its status: \"future\" | \"ready\" -> {\"inBlock\": hash} -> "
       "{\"finalized\": hash}, or \"dropped\" / \"invalid\" / {\"usurped\": hash}",
       {"extrinsic"}},
      [&author](SubscriptionSink sink, HexBytes extrinsic) -> RpcResult<void> {
        BAZAAR_TRY(check_format(extrinsic.bytes));
        auto watch = author.submit_and_watch(std::move(extrinsic.bytes), [sink](const TxStatus& status) {
          sink.send(tx_status_to_json(status));
          if (status.is_final()) sink.close();
        });
        if (!watch) return rejection_to_rpc(watch.error());
        auto handle = std::make_shared<PortSubscription>(std::move(watch).value());
        sink.on_close([handle] { handle->reset(); });
        return boost::outcome_v2::success();
      });

  registry.add("author_pendingExtrinsics", "Every extrinsic in the pool (ready and future), hex-encoded", {},
               [&author] {
                 nlohmann::json out = nlohmann::json::array();
                 for (const auto& xt : author.pending_extrinsics()) out.push_back(runtime::to_hex(xt));
                 return out;
               });
}

void register_node_methods(MethodRegistry& registry, const NodePorts& ports, StateMethodsOptions options) {
  register_system_methods(registry, ports.system);
  register_chain_methods(registry, ports.chain);
  register_state_methods(registry, ports.chain, ports.state, options);
  register_author_methods(registry, ports.author);
  register_runtime_methods(registry, ports.chain, ports.state);
  register_key_methods(registry, ports.keystore);
  register_offchain_methods(registry, ports.offchain);
}

}  // namespace bazaar::rpc
