#pragma once
// The Prometheus scrape endpoint: HTTP/1.1 on one TCP port, `GET /metrics`
// answers the registry's text exposition (Content-Type
// text/plain; version=0.0.4); any other path is 404, any other method 405.
// One background thread serves one request per connection (Prometheus
// scrapes rarely); a request larger than 8 KiB or slower than 5 s is dropped.

#include "node/metrics/registry.hpp"
#include "runtime/result.hpp"

#include <memory>
#include <string>

namespace bazaar::node::metrics {

class MetricsServer {
 public:
  /// Binds `address:port` (port 0 = any free port) and starts serving.
  /// Throws std::runtime_error with the reason if the address cannot be bound
  /// (a start-up error at the process edge).
  MetricsServer(const Registry& registry, const std::string& address, uint16_t port);
  ~MetricsServer();  ///< stops the thread and closes the socket
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// The bound port (useful with port 0).
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace bazaar::node::metrics
