#pragma once
// A tiny stand-in for the runtime's validate_transaction, for pool tests.
// Test extrinsics are ASCII "sender:nonce:tip" with optional ":flag" suffixes:
//   ":bad"     -> Invalid(BadProof)      ":unknown" -> Unknown(CannotLookup)
//   ":notags"  -> valid but provides no tags
//   ":dN"      -> mortal: dies at block N (longevity = N - current block)
// Tags follow Substrate's nonce scheme: provides "sender/nonce", requires
// "sender/(nonce-1)" when the nonce is ahead of the account's; priority = tip.

#include "node/txpool/tx_pool.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

namespace bazaar::test {

using namespace bazaar::node::txpool;
using bazaar::runtime::InvalidTransaction;
using bazaar::runtime::UnknownTransaction;

inline Bytes xt(const std::string& sender, uint32_t nonce, uint64_t tip, const std::string& flags = "") {
  return runtime::to_bytes(fmt::format("{}:{}:{}{}", sender, nonce, tip, flags));
}

inline runtime::TransactionTag tag(const std::string& sender, uint32_t nonce) {
  return runtime::to_bytes(fmt::format("{}/{}", sender, nonce));
}

class FakeChain {
 public:
  /// The validator against the chain's current state.
  Validator validator() {
    return [this](TransactionSource, ByteSpan bytes) { return validate(bytes); };
  }

  ValidationResult validate(ByteSpan bytes) {
    std::lock_guard lock(m_mutex);
    ++m_validations;
    std::vector<std::string> parts;
    std::stringstream in(std::string(bytes.begin(), bytes.end()));
    for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
    const std::string& sender = parts.at(0);
    uint32_t nonce = static_cast<uint32_t>(std::stoul(parts.at(1)));
    runtime::ValidTransaction valid;
    valid.priority = std::stoull(parts.at(2));
    for (std::size_t i = 3; i < parts.size(); ++i) {
      const std::string& flag = parts[i];
      if (flag == "bad") return ValidationResult::invalid(InvalidTransaction::BadProof);
      if (flag == "unknown") return ValidationResult::unknown(UnknownTransaction::CannotLookup);
      if (flag[0] == 'd') {
        uint32_t death = static_cast<uint32_t>(std::stoul(flag.substr(1)));
        if (m_block >= death) return ValidationResult::invalid(InvalidTransaction::Stale);
        valid.longevity = death - m_block;
      }
    }
    uint32_t account_nonce = m_nonces[sender];
    if (nonce < account_nonce) return ValidationResult::invalid(InvalidTransaction::Stale);
    if (nonce > account_nonce) valid.requires_tags.push_back(tag(sender, nonce - 1));
    bool no_tags = std::find(parts.begin(), parts.end(), "notags") != parts.end();
    if (!no_tags) valid.provides_tags.push_back(tag(sender, nonce));
    return ValidationResult::valid(std::move(valid));
  }

  /// Applies extrinsics as a block would (bumps the senders' nonces) and returns
  /// their pool hashes.
  std::vector<H256> include(const std::vector<Bytes>& extrinsics) {
    std::lock_guard lock(m_mutex);
    std::vector<H256> hashes;
    for (const auto& e : extrinsics) {
      std::string text(e.begin(), e.end());
      auto first = text.find(':');
      auto second = text.find(':', first + 1);
      m_nonces[text.substr(0, first)] = static_cast<uint32_t>(std::stoul(text.substr(first + 1, second - first - 1))) + 1;
      hashes.push_back(TxPool::hash_of(e));
    }
    return hashes;
  }

  void set_block(uint32_t number) {
    std::lock_guard lock(m_mutex);
    m_block = number;
  }
  void set_nonce(const std::string& sender, uint32_t nonce) {
    std::lock_guard lock(m_mutex);
    m_nonces[sender] = nonce;
  }
  std::size_t validations() {
    std::lock_guard lock(m_mutex);
    return m_validations;
  }

 private:
  std::mutex m_mutex;
  std::map<std::string, uint32_t> m_nonces;
  uint32_t m_block = 0;
  std::size_t m_validations = 0;
};

/// A clock tests move by hand.
struct ManualClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  Clock clock() {
    return [this] { return now; };
  }
};

/// The extrinsics of `txs`, as strings, for readable comparisons.
inline std::vector<std::string> texts(const std::vector<TxPtr>& txs) {
  std::vector<std::string> out;
  for (const auto& tx : txs) out.emplace_back(tx->data.begin(), tx->data.end());
  return out;
}

inline std::vector<std::string> ready_texts(const TxPool& pool) { return texts(pool.ready().collect()); }

/// Records every status event it is given.
struct EventLog {
  std::mutex mutex;
  std::vector<std::pair<H256, TxStatus>> events;
  StatusCallback callback() {
    return [this](const H256& hash, const TxStatus& status) {
      std::lock_guard lock(mutex);
      events.emplace_back(hash, status);
    };
  }
  std::vector<TxStatusKind> kinds_for(const H256& hash) {
    std::lock_guard lock(mutex);
    std::vector<TxStatusKind> out;
    for (const auto& [h, s] : events) {
      if (h == hash) out.push_back(s.kind);
    }
    return out;
  }
};

}  // namespace bazaar::test
