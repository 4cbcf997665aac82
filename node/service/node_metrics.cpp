#include "node/service/node_metrics.hpp"

namespace bazaar::node::service {

chain::ListenerId register_chain_metrics(metrics::Registry& registry, chain::Chain& chain, const txpool::TxPool& pool) {
  const std::string height_help = "Block height of the best and of the last finalized block.";
  registry.gauge_fn("bazaar_block_height", height_help, [&chain] { return double(chain.best().number); },
                    {{"status", "best"}});
  registry.gauge_fn("bazaar_block_height", height_help, [&chain] { return double(chain.finalized().number); },
                    {{"status", "finalized"}});
  const std::string pool_help = "Transactions in the pool: ready to be included, or waiting for an earlier nonce.";
  registry.gauge_fn("bazaar_txpool_transactions", pool_help, [&pool] { return double(pool.status().ready); },
                    {{"queue", "ready"}});
  registry.gauge_fn("bazaar_txpool_transactions", pool_help, [&pool] { return double(pool.status().future); },
                    {{"queue", "future"}});
  auto& imported = registry.counter("bazaar_blocks_imported_total",
                                    "Blocks checked, executed and stored (authored here, announced or synced).");
  auto& import_time = registry.histogram(
      "bazaar_block_import_seconds",
      "Time to check, execute and store a block, in seconds (every imported block: authored here, announced or synced).",
      metrics::exponential_buckets(0.001, 2, 14));
  chain::ChainListener listener;
  listener.on_imported = [&imported, &import_time](const chain::BlockImportedEvent& e) {
    import_time.observe(e.import_seconds);
    imported.inc();
  };
  return chain.subscribe(std::move(listener));
}

void register_network_metrics(metrics::Registry& registry, const NodeNetwork& net) {
  const auto& counters = net.net().metrics();
  registry.gauge_fn("bazaar_peers", "Connected peers (handshake completed).",
                    [&counters] { return double(counters.peers.load()); });
  const std::string bytes_help = "Bytes received (in) and sent (out) on peer connections, frame headers included.";
  registry.counter_fn("bazaar_network_bytes_total", bytes_help, [&counters] { return counters.bytes_in.load(); },
                      {{"direction", "in"}});
  registry.counter_fn("bazaar_network_bytes_total", bytes_help, [&counters] { return counters.bytes_out.load(); },
                      {{"direction", "out"}});
  registry.gauge_fn("bazaar_sync_is_syncing", "1 while a peer's best block is well above ours (major sync), else 0.",
                    [&net] { return net.sync_status().is_syncing ? 1.0 : 0.0; });
  registry.gauge_fn("bazaar_sync_highest_block", "The highest best block announced by a peer (or ours if higher).",
                    [&net] { return double(net.sync_status().highest); });
  registry.gauge_fn("bazaar_sync_starting_block", "Our best block when the node started.",
                    [&net] { return double(net.sync_status().starting); });
  registry.gauge_fn("bazaar_finality_round", "The finality gadget's current voting round.",
                    [&net] { return double(net.voter_status().round); });
}

}  // namespace bazaar::node::service
