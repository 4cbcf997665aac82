#include "node/service/node_metrics.hpp"

namespace bazaar::node::service {

chain::ListenerId register_chain_metrics(metrics::Registry& registry, chain::Chain& chain, const txpool::TxPool& pool) {
  registry.gauge_fn("bazaar_block_height", "Block height of the best and the finalized block.",
                    [&chain] { return double(chain.best().number); }, {{"status", "best"}});
  registry.gauge_fn("bazaar_block_height", "Block height of the best and the finalized block.",
                    [&chain] { return double(chain.finalized().number); }, {{"status", "finalized"}});
  registry.gauge_fn("bazaar_txpool_transactions", "Transactions in the pool, by queue.",
                    [&pool] { return double(pool.status().ready); }, {{"queue", "ready"}});
  registry.gauge_fn("bazaar_txpool_transactions", "Transactions in the pool, by queue.",
                    [&pool] { return double(pool.status().future); }, {{"queue", "future"}});
  auto& imported = registry.counter("bazaar_blocks_imported_total", "Blocks stored by the chain (own and peers').");
  chain::ChainListener listener;
  listener.on_imported = [&imported](const chain::BlockImportedEvent&) { imported.inc(); };
  return chain.subscribe(std::move(listener));
}

metrics::Histogram& import_time_histogram(metrics::Registry& registry) {
  return registry.histogram("bazaar_block_import_seconds",
                            "Time to check, execute and store a block received from a peer.",
                            metrics::exponential_buckets(0.001, 2, 14));
}

void register_network_metrics(metrics::Registry& registry, const NodeNetwork& net) {
  const auto& counters = net.net().metrics();
  registry.gauge_fn("bazaar_peers", "Connected peers (handshake completed).",
                    [&counters] { return double(counters.peers.load()); });
  registry.gauge_fn("bazaar_network_bytes_total", "Bytes received and sent on peer connections (a counter).",
                    [&counters] { return double(counters.bytes_in.load()); }, {{"direction", "in"}});
  registry.gauge_fn("bazaar_network_bytes_total", "Bytes received and sent on peer connections (a counter).",
                    [&counters] { return double(counters.bytes_out.load()); }, {{"direction", "out"}});
  registry.gauge_fn("bazaar_sync_is_syncing", "1 while a peer's best block is well above ours.",
                    [&net] { return net.sync_status().is_syncing ? 1.0 : 0.0; });
  registry.gauge_fn("bazaar_sync_highest_block", "The highest best block announced by a peer (or ours).",
                    [&net] { return double(net.sync_status().highest); });
  registry.gauge_fn("bazaar_sync_starting_block", "Our best block when the node started.",
                    [&net] { return double(net.sync_status().starting); });
  registry.gauge_fn("bazaar_finality_round", "The finality gadget's current round.",
                    [&net] { return double(net.voter_status().round); });
}

}  // namespace bazaar::node::service
