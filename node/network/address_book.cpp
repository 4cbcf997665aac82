#include "node/network/address_book.hpp"

#include <algorithm>
#include <set>

namespace bazaar::node::network {

AddressBook::AddressBook(Clock clock, std::chrono::milliseconds backoff_initial, std::chrono::milliseconds backoff_max,
                         std::size_t max_entries)
    : m_clock(std::move(clock)), m_initial(backoff_initial), m_max(backoff_max), m_max_entries(max_entries) {}

std::chrono::milliseconds AddressBook::backoff(uint32_t failures) const {
  auto d = m_initial;
  for (uint32_t i = 0; i < failures && d < m_max; ++i) d *= 2;
  return std::min(d, m_max);
}

bool AddressBook::add(const Multiaddr& addr, Source source, const PeerId& self) {
  if (!addr.peer || *addr.peer == self || addr.is_unspecified() || addr.port == 0) return false;
  auto key = addr.to_string();
  auto it = m_entries.find(key);
  if (it != m_entries.end()) {
    // A permanent source upgrades a learnt entry.
    if (source != Source::Learnt) it->second.source = source;
    return false;
  }
  if (source == Source::Learnt) {
    if (m_entries.size() >= m_max_entries) return false;
    if (addresses_of(*addr.peer).size() >= kMaxPerPeer) return false;
  }
  m_entries.emplace(key, Entry{addr, source, 0, false, m_clock()});
  return true;
}

std::vector<Multiaddr> AddressBook::due(std::size_t limit, const std::function<bool(const PeerId&)>& skip) const {
  std::vector<const Entry*> ready;
  auto now = m_clock();
  for (const auto& [key, e] : m_entries)
    if (e.next_attempt <= now && !skip(*e.addr.peer)) ready.push_back(&e);
  std::stable_sort(ready.begin(), ready.end(), [](const Entry* a, const Entry* b) {
    return (a->source != Source::Learnt) > (b->source != Source::Learnt);
  });
  std::vector<Multiaddr> out;
  std::set<PeerId> taken;
  for (const auto* e : ready) {
    if (out.size() >= limit) break;
    if (taken.insert(*e->addr.peer).second) out.push_back(e->addr);
  }
  return out;
}

void AddressBook::on_dial(const Multiaddr& addr) {
  auto it = m_entries.find(addr.to_string());
  if (it != m_entries.end()) it->second.next_attempt = m_clock() + backoff(it->second.failures);
}

void AddressBook::on_dial_failed(const Multiaddr& addr) {
  auto it = m_entries.find(addr.to_string());
  if (it == m_entries.end()) return;
  auto& e = it->second;
  ++e.failures;
  if (e.source == Source::Learnt && e.failures >= kMaxFailures) {
    m_entries.erase(it);
    return;
  }
  e.next_attempt = std::max(e.next_attempt, m_clock() + backoff(e.failures));
}

void AddressBook::on_connected(const PeerId& peer, const std::optional<Multiaddr>& addr) {
  for (auto& [key, e] : m_entries) {
    if (*e.addr.peer == peer && addr && e.addr == *addr) e.verified = true;
  }
}

void AddressBook::on_disconnected(const PeerId& peer, bool lasted) {
  auto now = m_clock();
  for (auto& [key, e] : m_entries) {
    if (*e.addr.peer != peer) continue;
    e.failures = lasted ? 0 : e.failures + 1;
    e.next_attempt = std::max(e.next_attempt, now + backoff(e.failures));
  }
}

std::vector<Multiaddr> AddressBook::verified(std::size_t limit) const {
  std::vector<Multiaddr> out;
  for (const auto& [key, e] : m_entries) {
    if (out.size() >= limit) break;
    if (e.verified) out.push_back(e.addr);
  }
  return out;
}

std::vector<Multiaddr> AddressBook::addresses_of(const PeerId& peer) const {
  std::vector<Multiaddr> out;
  for (const auto& [key, e] : m_entries)
    if (*e.addr.peer == peer) out.push_back(e.addr);
  return out;
}

}  // namespace bazaar::node::network
