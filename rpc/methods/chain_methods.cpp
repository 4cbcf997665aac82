#include "rpc/methods/head_feed.hpp"
#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"

#include <limits>

namespace bazaar::rpc {

namespace {

using runtime::H256;
using runtime::Header;

/// Hash of the block at `number` on the best chain (best block if nullopt) as JSON; null above the best.
RpcResult<nlohmann::json> hash_at(ChainPort& chain, const std::optional<NumberOrHex>& number) {
  if (!number) return nlohmann::json(runtime::to_hex(chain.best_hash()));
  if (number->value > std::numeric_limits<runtime::BlockNumber>::max())
    return RpcError::invalid_params("block number " + std::to_string(number->value) +
                                    " is above u32::MAX, the largest block number");
  auto hash = chain.hash_at(static_cast<runtime::BlockNumber>(number->value));
  if (!hash) return nlohmann::json(nullptr);
  return nlohmann::json(runtime::to_hex(*hash));
}

void add_head_subscription(MethodRegistry& registry, ChainPort& chain, detail::HeadStream stream,
                           SubscriptionSpec spec) {
  registry.add_subscription(std::move(spec), [&chain, stream](SubscriptionSink sink) {
    auto send_header = [sink](const H256&, const Header& header) { sink.send(header_to_json(header)); };
    auto initial = [&chain, stream, send_header]() -> H256 {
      auto hash = stream == detail::HeadStream::Finalized ? chain.finalized_hash() : chain.best_hash();
      if (auto header = chain.header(hash)) send_header(hash, *header);
      return hash;
    };
    detail::start_head_feed(chain, stream, sink, initial, send_header);
  });
}

}  // namespace

void register_chain_methods(MethodRegistry& registry, ChainPort& chain) {
  registry.add("chain_getBlockHash",
               "Hash of the best-chain block at a number (JSON number or hex; best block if omitted; a list gives "
               "a list); null above the best block",
               {"number?"},
               [&chain](std::optional<ListOrValue<std::optional<NumberOrHex>>> number) -> RpcResult<nlohmann::json> {
                 if (!number) return hash_at(chain, std::nullopt);
                 if (!number->is_list) return hash_at(chain, number->items.front());
                 nlohmann::json out = nlohmann::json::array();
                 for (const auto& n : number->items) {
                   auto one = hash_at(chain, n);
                   if (!one) return one.error();
                   out.push_back(std::move(one).value());
                 }
                 return out;
               });
  registry.alias("chain_getHead", "chain_getBlockHash");

  registry.add("chain_getHeader", "Header of a block (best block if omitted); null if unknown", {"hash?"},
               [&chain](std::optional<H256> hash) -> nlohmann::json {
                 auto header = chain.header(hash ? *hash : chain.best_hash());
                 if (!header) return nullptr;
                 return header_to_json(*header);
               });

  registry.add("chain_getBlock",
               "Block with its extrinsics and justifications (best block if omitted); null if unknown", {"hash?"},
               [&chain](std::optional<H256> hash) -> nlohmann::json {
                 auto at = hash ? *hash : chain.best_hash();
                 auto block = chain.block(at);
                 if (!block) return nullptr;
                 return signed_block_to_json(*block, chain.justifications(at));
               });

  registry.add("chain_getFinalizedHead", "Hash of the last finalized block", {},
               [&chain] { return runtime::to_hex(chain.finalized_hash()); });
  registry.alias("chain_getFinalisedHead", "chain_getFinalizedHead");

  add_head_subscription(registry, chain, detail::HeadStream::Best,
                        {"chain_subscribeNewHeads", "chain_newHead", "chain_unsubscribeNewHeads",
                         "The best block's header at once, then each new best header",
                         {}});
  registry.alias("chain_subscribeNewHead", "chain_subscribeNewHeads");
  registry.alias("subscribe_newHead", "chain_subscribeNewHeads");
  registry.alias("chain_unsubscribeNewHead", "chain_unsubscribeNewHeads");
  registry.alias("unsubscribe_newHead", "chain_unsubscribeNewHeads");

  add_head_subscription(registry, chain, detail::HeadStream::Finalized,
                        {"chain_subscribeFinalizedHeads", "chain_finalizedHead", "chain_unsubscribeFinalizedHeads",
                         "The last finalized header at once, then each newly finalized header",
                         {}});
  registry.alias("chain_subscribeFinalisedHeads", "chain_subscribeFinalizedHeads");
  registry.alias("chain_unsubscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads");

  add_head_subscription(registry, chain, detail::HeadStream::All,
                        {"chain_subscribeAllHeads", "chain_allHead", "chain_unsubscribeAllHeads",
                         "The best block's header at once, then the header of every imported block",
                         {}});
}

}  // namespace bazaar::rpc
