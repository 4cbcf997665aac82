#pragma once
// What the finality benchmark observes on one node: its best and finalized
// heads, in the order the node emits them, over one WebSocket with both
// chain_subscribeNewHeads and chain_subscribeFinalizedHeads. The node fans
// both streams out from one ordered queue (node/service/head_hub.hpp) and one
// connection delivers them in that order, so "the best block when N was
// finalized" is exact, where polling would only bound it by the interval.

#include "tools/bench/local_net.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace bazaar::tools::bench {

/// The finality lag of each block, from a node's ordered head events.
/// lag(N) = best block number at the moment N or a descendant was finalized,
/// minus N (blocks); age(N) = time from the first new-head event of N to
/// that moment (ms). Blocks at or below the first finalized head seen are
/// not measured (their finalization was not observed).
class LagTracker {
 public:
  struct Lag {
    uint32_t blocks = 0;
    std::optional<uint64_t> ms;  ///< none if N was never seen as a best head (it was finalized in a jump)
  };

  void on_best(uint32_t number, uint64_t now_ms);
  void on_finalized(uint32_t number, uint64_t now_ms);

  std::optional<uint32_t> best() const { return m_best; }
  std::optional<uint32_t> finalized() const { return m_finalized; }
  /// The lags of blocks from..to (inclusive) finalized so far.
  std::vector<Lag> lags(uint32_t from, uint32_t to) const;

 private:
  std::optional<uint32_t> m_best;
  std::optional<uint32_t> m_finalized;
  std::map<uint32_t, uint64_t> m_first_seen_ms;
  std::map<uint32_t, Lag> m_lags;
};

/// The value at percentile p (0 < p <= 100) of `values` by the nearest-rank
/// method (the smallest value with at least p% of the values at or below
/// it); 0 for no values.
uint64_t percentile(std::vector<uint64_t> values, double p);

/// A WebSocket subscribed to one node's new and finalized heads, feeding a
/// LagTracker from a reader thread of its own.
class HeadWatch {
 public:
  /// Connects to ws://127.0.0.1:`rpc_port` and subscribes to both streams.
  /// Error: connection, handshake or subscription failed (message).
  static NetResult<std::unique_ptr<HeadWatch>> connect(uint16_t rpc_port,
                                                        std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HeadWatch();  ///< closes the connection and joins the reader
  HeadWatch(const HeadWatch&) = delete;
  HeadWatch& operator=(const HeadWatch&) = delete;

  std::optional<uint32_t> best() const;
  std::optional<uint32_t> finalized() const;
  std::vector<LagTracker::Lag> lags(uint32_t from, uint32_t to) const;
  /// Why the connection ended (empty while it is open).
  std::string error() const;

 private:
  struct Connection;
  HeadWatch();
  void on_message(const std::string& text);

  std::unique_ptr<Connection> m_connection;
  mutable std::mutex m_mutex;
  LagTracker m_tracker;
  std::string m_error;
};

}  // namespace bazaar::tools::bench
