#pragma once
// The node's Prometheus metrics (issue 4 "Operations"), registered on one
// metrics::Registry and read at scrape time where possible. Names follow
// Substrate's (substrate_block_height, substrate_block_verification_and_import_time,
// substrate_sub_libp2p_network_bytes_total, …) with the bazaar_ prefix:
//
//   bazaar_block_height{status="best"|"finalized"}     gauge
//   bazaar_blocks_imported_total                        counter (every block the chain stored)
//   bazaar_block_import_seconds                         histogram (every imported block: authored here,
//                                                       announced or synced; check + execute + store)
//   bazaar_txpool_transactions{queue="ready"|"future"}  gauge
//   bazaar_peers                                        gauge
//   bazaar_sync_is_syncing, bazaar_sync_highest_block, bazaar_sync_starting_block   gauges
//   bazaar_network_bytes_total{direction="in"|"out"}    counter (read from the network's counters)
//   bazaar_finality_round                               gauge

#include "node/chain/chain.hpp"
#include "node/metrics/registry.hpp"
#include "node/service/node_network.hpp"
#include "node/txpool/tx_pool.hpp"

namespace bazaar::node::service {

/// Registers the chain and pool metrics; subscribes a listener counting
/// imported blocks and observing their import times (returned: unsubscribe
/// it before the registry goes).
chain::ListenerId register_chain_metrics(metrics::Registry& registry, chain::Chain& chain, const txpool::TxPool& pool);

/// Registers the network, sync and finality metrics of `net` (which must outlive the registry's scrapes).
void register_network_metrics(metrics::Registry& registry, const NodeNetwork& net);

}  // namespace bazaar::node::service
