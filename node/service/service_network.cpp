// Service: the networking and metrics parts of start-up (node key, peers,
// sync, finality; the Prometheus endpoint).
#include "modules/composition/executive.hpp"
#include "node/log/log.hpp"
#include "node/network/node_key.hpp"
#include "node/service/node_metrics.hpp"
#include "node/service/service.hpp"
#include "runtime/crypto/derive.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace bazaar::node::service {

namespace {

std::shared_ptr<spdlog::logger> service_log() { return log::logger("service"); }

/// The same addresses with port 0 (any free port).
std::vector<network::Multiaddr> with_free_ports(std::vector<network::Multiaddr> addrs) {
  for (auto& a : addrs) a.port = 0;
  return addrs;
}

}  // namespace

Result<void> Service::start_networking(std::string& detail) {
  m_c.metrics = std::make_unique<metrics::Registry>();
  m_c.metrics_listener = register_chain_metrics(*m_c.metrics, *m_c.chain, *m_c.pool);

  std::size_t authorities = 0;
  if (auto state = m_c.chain->state_at(m_c.chain->best().hash))
    authorities = modules::composition::aura_authorities(*state.value()).size();
  const auto& net_options = m_options.networking;
  // Dev finality (the author finalizes its own blocks, without justifications)
  // only for one authority without networking. With networking the finality
  // voter runs, also for a single authority (it then finalizes each block when
  // its child is authored, NodeNetwork), so followers get justifications.
  m_dev_finality = authorities <= 1 && !net_options.enabled;
  if (!net_options.enabled) return success();

  const auto key_path = net_options.node_key_file.value_or(network::default_node_key_path(m_c.data_dir));
  auto node_key = net_options.node_key ? Result<runtime::crypto::Keypair>(*net_options.node_key)
                                       : network::load_or_generate_node_key(key_path);
  if (!node_key) {
    detail = fmt::format("node key {}: {}", key_path.string(), node_key.error().message());
    return ServiceError::Network;
  }
  const auto self = network::PeerId::from_public(node_key.value().public_key());

  NodeNetworkOptions options;
  options.network = net_options.network;
  for (const auto& text : m_c.spec.boot_nodes) {
    auto addr = network::Multiaddr::parse(text);
    if (!addr || !addr.value().peer) {
      service_log()->warn("chain spec bootnode '{}' is not /ip4|ip6|dns/HOST/tcp/PORT/p2p/ID: ignored", text);
      continue;
    }
    if (*addr.value().peer == self) continue;  // we are that bootnode
    options.network.bootnodes.push_back(std::move(addr).value());
  }
  std::erase_if(options.network.bootnodes, [&](const network::Multiaddr& a) { return a.peer && *a.peer == self; });
  options.sync = net_options.sync;
  options.finality = !m_dev_finality;
  if (m_options.authoring.validator && m_options.authoring.key_suri) {
    if (auto key = runtime::crypto::keypair_from_suri(*m_options.authoring.key_suri)) options.authority_key = key.value();
  }
  options.votes_file = m_c.data_dir / "finality_votes";

  m_c.network = std::make_unique<NodeNetwork>(options, node_key.value(), *m_c.chain, *m_c.pool);
  auto started = m_c.network->start();
  if (!started && net_options.fallback_to_free_port) {
    std::vector<std::string> wanted;
    for (const auto& a : options.network.listen_addrs) wanted.push_back(a.to_string());
    service_log()->warn("cannot listen on {}: {}; listening on a free port instead", fmt::join(wanted, ", "),
                        started.error().message());
    m_c.network.reset();
    options.network.listen_addrs = with_free_ports(options.network.listen_addrs);
    m_c.network = std::make_unique<NodeNetwork>(options, node_key.value(), *m_c.chain, *m_c.pool);
    started = m_c.network->start();
  }
  if (!started) {
    detail = fmt::format("p2p: {}", started.error().message());
    return ServiceError::Network;
  }
  register_network_metrics(*m_c.metrics, *m_c.network);
  service_log()->info("Local node identity is: {}", self.to_string());
  for (const auto& addr : m_c.network->net().listen_addrs()) service_log()->info("Listening on {}", addr.to_string());
  service_log()->info("role: {}", m_c.network->is_voter() ? "authority" : "full");
  return success();
}

Result<void> Service::start_metrics_server(std::string& detail) {
  if (!m_options.prometheus.enabled) return success();
  try {
    m_c.metrics_server = std::make_unique<metrics::MetricsServer>(*m_c.metrics, m_options.prometheus.listen_address,
                                                                  m_options.prometheus.port);
  } catch (const std::exception& e) {
    if (m_options.prometheus.optional) {
      service_log()->warn("{}; running without the Prometheus endpoint", e.what());
      return success();
    }
    detail = e.what();
    return ServiceError::Metrics;
  }
  service_log()->info("Prometheus exporter on http://{}:{}/metrics", m_options.prometheus.listen_address,
                      m_c.metrics_server->port());
  return success();
}

}  // namespace bazaar::node::service
