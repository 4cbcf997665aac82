#pragma once
// Counters of the network, plain atomics read by the service's Prometheus
// exporter (and by tests). Counters only grow; gauges say "current".

#include "node/network/messages.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace bazaar::node::network {

struct NetworkMetrics {
  std::atomic<uint64_t> bytes_in{0};   ///< counter: bytes received (frames, headers included)
  std::atomic<uint64_t> bytes_out{0};  ///< counter: bytes sent
  std::atomic<uint64_t> peers{0};      ///< gauge: peers with a completed handshake
  std::atomic<uint64_t> inbound_peers{0};
  std::atomic<uint64_t> outbound_peers{0};
  std::array<std::atomic<uint64_t>, kProtocolCount> messages_in{};   ///< counter per Protocol
  std::array<std::atomic<uint64_t>, kProtocolCount> messages_out{};  ///< counter per Protocol
  std::atomic<uint64_t> dials{0};            ///< counter: outbound connection attempts
  std::atomic<uint64_t> refused{0};          ///< counter: connections refused or dropped in the handshake
  std::atomic<uint64_t> bans{0};             ///< counter: peers or IPs banned
  std::atomic<uint64_t> dropped_messages{0}; ///< counter: inbound messages dropped (rate limit, full queue)
};

}  // namespace bazaar::node::network
