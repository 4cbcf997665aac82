#include "node/network/reputation.hpp"

#include <algorithm>
#include <cmath>

namespace bazaar::node::network {

Reputations::Reputations(Clock clock, std::chrono::seconds ban_duration, uint32_t ip_ban_strikes)
    : m_clock(std::move(clock)), m_ban_duration(ban_duration), m_ip_ban_strikes(ip_ban_strikes),
      m_last_decay(m_clock()) {}

bool Reputations::report(const PeerId& peer, ReputationChange change) {
  auto& e = m_peers[peer];
  if (e.banned_until) return false;
  int64_t v = static_cast<int64_t>(e.value) + change.value;
  e.value = static_cast<int32_t>(std::clamp<int64_t>(v, -kReputationCap, kReputationCap));
  if (e.value > kBanThreshold) return false;
  e.banned_until = m_clock() + m_ban_duration;
  return true;
}

void Reputations::ban(const PeerId& peer) {
  auto& e = m_peers[peer];
  e.value = std::min(e.value, kBanThreshold);
  e.banned_until = m_clock() + m_ban_duration;
}

int32_t Reputations::reputation(const PeerId& peer) const {
  auto it = m_peers.find(peer);
  return it == m_peers.end() ? 0 : it->second.value;
}

bool Reputations::is_banned(const PeerId& peer) const {
  auto it = m_peers.find(peer);
  return it != m_peers.end() && it->second.banned_until && *it->second.banned_until > m_clock();
}

bool Reputations::strike_ip(const std::string& ip) {
  auto& e = m_ips[ip];
  if (e.banned_until) return false;
  if (++e.strikes < m_ip_ban_strikes) return false;
  e.banned_until = m_clock() + m_ban_duration;
  return true;
}

bool Reputations::is_ip_banned(const std::string& ip) const {
  auto it = m_ips.find(ip);
  return it != m_ips.end() && it->second.banned_until && *it->second.banned_until > m_clock();
}

void Reputations::tick() {
  auto now = m_clock();
  double seconds = std::chrono::duration<double>(now - m_last_decay).count();
  bool decay = seconds >= 1.0;
  if (decay) m_last_decay = now;
  // 2% per second, compounded over the elapsed time.
  double keep = decay ? std::pow(0.98, seconds) : 1.0;
  for (auto it = m_peers.begin(); it != m_peers.end();) {
    auto& e = it->second;
    if (e.banned_until) {
      if (*e.banned_until <= now) {
        e.banned_until.reset();
        e.value = 0;
      }
    } else if (decay && e.value != 0) {
      auto next = static_cast<int32_t>(std::trunc(e.value * keep));
      // Always move at least one point so small values reach 0.
      if (next == e.value) next += e.value > 0 ? -1 : 1;
      e.value = next;
    }
    if (!e.banned_until && e.value == 0) it = m_peers.erase(it);
    else ++it;
  }
  for (auto it = m_ips.begin(); it != m_ips.end();) {
    auto& e = it->second;
    if (e.banned_until && *e.banned_until <= now) it = m_ips.erase(it);
    else if (!e.banned_until && decay) {
      // Strikes are forgiven one per second.
      if (e.strikes <= static_cast<uint32_t>(seconds)) it = m_ips.erase(it);
      else {
        e.strikes -= static_cast<uint32_t>(seconds);
        ++it;
      }
    } else ++it;
  }
}

bool TokenBucket::take(TimePoint now) {
  double elapsed = std::chrono::duration<double>(now - m_last).count();
  if (elapsed > 0) {
    m_tokens = std::min(m_burst, m_tokens + elapsed * m_rate);
    m_last = now;
  }
  if (m_tokens < 1.0) return false;
  m_tokens -= 1.0;
  return true;
}

}  // namespace bazaar::node::network
