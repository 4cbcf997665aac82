#pragma once
// The addresses the node knows for other peers, and when to dial them.
//
// Each entry is a full multiaddr with /p2p/ID. Bootnodes and reserved nodes
// are permanent; addresses learnt from peers (peer exchange, a peer's own
// Hello) are bounded in number (per peer and in total) and forgotten after
// kMaxFailures failed dials in a row. A dial that fails, or a connection that
// ends soon after its handshake (the peer refused us: full, or we are not
// reserved), counts as a failure and delays the next attempt with exponential
// backoff: initial × 2^failures, capped at `max`. A connection that lasted
// resets the count; the next attempt then waits the initial backoff.

#include "node/network/multiaddr.hpp"
#include "node/network/reputation.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bazaar::node::network {

class AddressBook {
 public:
  enum class Source : uint8_t { Bootnode, Reserved, Learnt };
  static constexpr uint32_t kMaxFailures = 8;
  static constexpr std::size_t kMaxPerPeer = 4;

  AddressBook(Clock clock, std::chrono::milliseconds backoff_initial, std::chrono::milliseconds backoff_max,
              std::size_t max_entries = 1000);

  /// Adds an address with a peer id (ignored without one, or if it is `self`,
  /// or unspecified, or when the per-peer or total bounds are reached for a
  /// learnt address). Returns whether it was new.
  bool add(const Multiaddr& addr, Source source, const PeerId& self);

  /// Addresses whose backoff has elapsed, for which `skip(peer)` is false,
  /// at most one per peer, permanent ones first, up to `limit`.
  std::vector<Multiaddr> due(std::size_t limit, const std::function<bool(const PeerId&)>& skip) const;

  /// A dial of `addr` starts: the next attempt waits for the backoff.
  void on_dial(const Multiaddr& addr);
  /// The dial of `addr` failed (connect or handshake).
  void on_dial_failed(const Multiaddr& addr);
  /// A handshake with `peer` succeeded (through `addr` when we dialed): the address is verified.
  void on_connected(const PeerId& peer, const std::optional<Multiaddr>& addr);
  /// The connection to `peer` ended; `lasted` says whether it had been up
  /// long enough to count as a success.
  void on_disconnected(const PeerId& peer, bool lasted);

  /// Up to `limit` addresses that are known to work (a handshake succeeded
  /// through them), for peer exchange.
  std::vector<Multiaddr> verified(std::size_t limit) const;
  /// All addresses of `peer`.
  std::vector<Multiaddr> addresses_of(const PeerId& peer) const;
  std::size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    Multiaddr addr;
    Source source = Source::Learnt;
    uint32_t failures = 0;
    bool verified = false;
    TimePoint next_attempt{};
  };
  std::chrono::milliseconds backoff(uint32_t failures) const;

  Clock m_clock;
  std::chrono::milliseconds m_initial;
  std::chrono::milliseconds m_max;
  std::size_t m_max_entries;
  std::map<std::string, Entry> m_entries;  // by text form
};

}  // namespace bazaar::node::network
