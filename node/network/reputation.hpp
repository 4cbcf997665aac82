#pragma once
// Misbehaviour scoring and bans.
//
// Every peer id has a reputation (0 for strangers, capped at ±kReputationCap).
// Misbehaviour lowers it (the ReputationChange constants below, or changes
// the host reports, e.g. an invalid block); good behaviour raises it a little;
// it decays toward 0 by 2% per second. When a peer's reputation falls to
// kBanThreshold or below it is banned for `ban_duration`: disconnected,
// refused at the handshake and never dialed, and its reputation restarts at 0
// when the ban ends. A connection that never completes a handshake has no id:
// such failures (garbage, timeouts, bad signatures) are strikes against its IP
// address, which is banned for `ban_duration` after `ip_ban_strikes` strikes.
//
// Not thread-safe; the network guards it with its own mutex. Time comes from
// an injectable clock so tests can move it.

#include "node/network/peer_id.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

namespace bazaar::node::network {

using Clock = std::function<std::chrono::steady_clock::time_point()>;
using TimePoint = std::chrono::steady_clock::time_point;

/// A change of reputation and why (the reason goes to the log).
struct ReputationChange {
  int32_t value = 0;
  const char* reason = "";
};

inline constexpr int32_t kBanThreshold = -1000;
inline constexpr int32_t kReputationCap = 10000;

namespace rep {
/// The byte stream is unusable: oversized or malformed frame. Bans at once.
inline constexpr ReputationChange kBadFrame{-1000, "malformed or oversized frame"};
inline constexpr ReputationChange kUndecodable{-400, "undecodable message"};
inline constexpr ReputationChange kUnsupportedProtocol{-200, "unknown protocol or version"};
inline constexpr ReputationChange kUnexpectedResponse{-300, "unrequested response"};
inline constexpr ReputationChange kBadResponse{-400, "response does not match the request"};
inline constexpr ReputationChange kBadPeerExchange{-200, "invalid peer-exchange addresses"};
inline constexpr ReputationChange kFlood{-150, "flood: message rate over the limit"};
inline constexpr ReputationChange kBadTransaction{-200, "invalid transaction"};
inline constexpr ReputationChange kBadFinalityMessage{-300, "invalid finality message"};
/// For the host: a block that fails import for a reason that proves it bad.
inline constexpr ReputationChange kBadBlock{-1000, "invalid block"};
/// For the host: a bad signature in a gossiped message.
inline constexpr ReputationChange kBadSignature{-1000, "bad signature"};
inline constexpr ReputationChange kGoodTransaction{10, "good transaction"};
inline constexpr ReputationChange kGoodFinalityMessage{10, "useful finality message"};
inline constexpr ReputationChange kGoodBlock{20, "good block"};
}  // namespace rep

class Reputations {
 public:
  Reputations(Clock clock, std::chrono::seconds ban_duration, uint32_t ip_ban_strikes);

  /// Applies `change`; returns true when the peer became banned by it.
  bool report(const PeerId& peer, ReputationChange change);
  /// Bans the peer now, whatever its reputation.
  void ban(const PeerId& peer);
  int32_t reputation(const PeerId& peer) const;
  bool is_banned(const PeerId& peer) const;

  /// A failed pre-handshake connection from `ip`; returns true when the IP became banned by it.
  bool strike_ip(const std::string& ip);
  bool is_ip_banned(const std::string& ip) const;

  /// Decays reputations by the time passed since the last call and ends
  /// expired bans. Called periodically.
  void tick();

  TimePoint now() const { return m_clock(); }

 private:
  struct Entry {
    int32_t value = 0;
    std::optional<TimePoint> banned_until;
  };
  struct IpEntry {
    uint32_t strikes = 0;
    std::optional<TimePoint> banned_until;
  };

  Clock m_clock;
  std::chrono::seconds m_ban_duration;
  uint32_t m_ip_ban_strikes;
  TimePoint m_last_decay;
  std::unordered_map<PeerId, Entry> m_peers;
  std::map<std::string, IpEntry> m_ips;
};

/// A token bucket: `burst` tokens, refilled at `per_second`; a message takes one.
class TokenBucket {
 public:
  TokenBucket(double burst, double per_second, TimePoint now)
      : m_burst(burst), m_rate(per_second), m_tokens(burst), m_last(now) {}
  /// Takes a token if there is one.
  bool take(TimePoint now);

 private:
  double m_burst;
  double m_rate;
  double m_tokens;
  TimePoint m_last;
};

}  // namespace bazaar::node::network
