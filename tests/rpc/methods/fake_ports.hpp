#pragma once
// In-memory ports for the rpc/methods tests: a linear chain of headers whose
// blocks each carry a storage map, a pool that records submissions, and fixed
// system answers. Tests drive them (push_block, finalize, emit status) and
// check what the methods send.

#include "rpc/ports/author_port.hpp"
#include "rpc/ports/chain_port.hpp"
#include "rpc/ports/keystore_port.hpp"
#include "rpc/ports/offchain_port.hpp"
#include "rpc/ports/state_port.hpp"
#include "rpc/ports/system_port.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/crypto/hash.hpp"

#include <map>
#include <mutex>
#include <set>

namespace bazaar::test {

using rpc::PortError;
using rpc::PortResult;
using rpc::PortSubscription;
using runtime::Bytes;
using runtime::ByteSpan;
using runtime::H256;
using runtime::Header;

/// Registered callbacks with cancellation counts, for checking that unsubscribing unregisters.
template <class Callback>
class CallbackList {
 public:
  CallbackList() = default;
  /// Callbacks may own subscriptions whose cancellation calls back into this list:
  /// destroy them outside the lock and outside the map.
  ~CallbackList() {
    std::map<int, Callback> doomed;
    {
      std::lock_guard lock(m_mutex);
      doomed.swap(m_callbacks);
    }
  }
  PortSubscription add(Callback cb) {
    std::lock_guard lock(m_mutex);
    int id = m_next++;
    m_callbacks[id] = std::move(cb);
    return PortSubscription([this, id] {
      std::lock_guard lock(m_mutex);
      m_callbacks.erase(id);
    });
  }
  template <class... Args>
  void fire(const Args&... args) {
    std::map<int, Callback> copy;
    {
      std::lock_guard lock(m_mutex);
      copy = m_callbacks;
    }
    for (auto& [id, cb] : copy) cb(args...);
  }
  std::size_t size() const {
    std::lock_guard lock(m_mutex);
    return m_callbacks.size();
  }

 private:
  mutable std::mutex m_mutex;
  int m_next = 0;
  std::map<int, Callback> m_callbacks;
};

class FakeChain : public rpc::ChainPort {
 public:
  /// A chain holding only a genesis block.
  FakeChain() { add_block({}); }

  H256 genesis_hash() const override { return m_hashes.front(); }
  H256 best_hash() const override {
    std::lock_guard lock(m_mutex);
    return m_hashes.back();
  }
  H256 finalized_hash() const override {
    std::lock_guard lock(m_mutex);
    return m_hashes[m_finalized];
  }
  std::optional<H256> hash_at(runtime::BlockNumber n) const override {
    std::lock_guard lock(m_mutex);
    if (n >= m_hashes.size()) return std::nullopt;
    return m_hashes[n];
  }
  std::optional<Header> header(const H256& hash) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_blocks.find(hash);
    if (it == m_blocks.end()) return std::nullopt;
    return it->second.header;
  }
  std::optional<runtime::Block> block(const H256& hash) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_blocks.find(hash);
    if (it == m_blocks.end()) return std::nullopt;
    return it->second;
  }
  std::vector<rpc::Justification> justifications(const H256& hash) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_justifications.find(hash);
    if (it == m_justifications.end()) return {};
    return it->second;
  }
  PortSubscription subscribe_best_heads(HeadCallback cb) override { return best_listeners.add(std::move(cb)); }
  PortSubscription subscribe_finalized_heads(HeadCallback cb) override {
    return finalized_listeners.add(std::move(cb));
  }
  PortSubscription subscribe_all_heads(HeadCallback cb) override { return all_listeners.add(std::move(cb)); }

  /// Appends a block with these extrinsics on the best block (without notifying).
  H256 add_block(std::vector<Bytes> extrinsics) {
    std::lock_guard lock(m_mutex);
    runtime::Block block;
    if (!m_hashes.empty()) {
      block.header.parent_hash = m_hashes.back();
      block.header.number.value = static_cast<runtime::BlockNumber>(m_hashes.size());
    }
    block.header.state_root.bytes[0] = static_cast<uint8_t>(m_hashes.size() + 1);
    block.header.digest.logs.push_back(
        runtime::DigestPreRuntime{runtime::kAuraEngineId, Bytes{static_cast<uint8_t>(m_hashes.size()), 0, 0, 0, 0, 0, 0, 0}});
    for (auto& xt : extrinsics) block.extrinsics.push_back({std::move(xt)});
    auto hash = runtime::header_hash(block.header);
    m_hashes.push_back(hash);
    m_blocks[hash] = block;
    return hash;
  }
  /// Appends a block and notifies best and all-heads listeners.
  H256 push_block(std::vector<Bytes> extrinsics = {}) {
    auto hash = add_block(std::move(extrinsics));
    auto hdr = *header(hash);
    best_listeners.fire(hash, hdr);
    all_listeners.fire(hash, hdr);
    return hash;
  }
  void finalize(runtime::BlockNumber n) {
    H256 hash;
    {
      std::lock_guard lock(m_mutex);
      m_finalized = n;
      hash = m_hashes[n];
    }
    finalized_listeners.fire(hash, *header(hash));
  }
  void set_justification(const H256& hash, rpc::Justification j) {
    std::lock_guard lock(m_mutex);
    m_justifications[hash].push_back(std::move(j));
  }

  CallbackList<HeadCallback> best_listeners, finalized_listeners, all_listeners;

 private:
  mutable std::mutex m_mutex;
  std::vector<H256> m_hashes;
  std::map<H256, runtime::Block> m_blocks;
  std::map<H256, std::vector<rpc::Justification>> m_justifications;
  std::size_t m_finalized = 0;
};

class FakeState : public rpc::StatePort {
 public:
  using Storage = std::map<Bytes, Bytes>;

  PortResult<std::optional<Bytes>> storage(const H256& at, ByteSpan key) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_states.find(at);
    if (it == m_states.end()) return PortError{PortError::Kind::UnknownBlock, "unknown block " + runtime::to_hex(at)};
    auto kv = it->second.find(Bytes(key.begin(), key.end()));
    if (kv == it->second.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{kv->second};
  }
  PortResult<std::vector<Bytes>> storage_keys_paged(const H256& at, ByteSpan prefix, uint32_t count,
                                                    const std::optional<Bytes>& start_key) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_states.find(at);
    if (it == m_states.end()) return PortError{PortError::Kind::UnknownBlock, "unknown block"};
    Bytes p(prefix.begin(), prefix.end());
    std::vector<Bytes> out;
    auto kv = it->second.lower_bound(p);
    if (start_key && *start_key >= p) kv = it->second.upper_bound(*start_key);
    for (; kv != it->second.end() && out.size() < count; ++kv) {
      if (kv->first.size() < p.size() || !std::equal(p.begin(), p.end(), kv->first.begin())) break;
      out.push_back(kv->first);
    }
    return out;
  }
  PortResult<rpc::RuntimeVersionInfo> runtime_version(const H256& at) const override {
    std::lock_guard lock(m_mutex);
    if (!m_states.count(at)) return PortError{PortError::Kind::UnknownBlock, "unknown block"};
    auto it = m_versions.find(at);
    return it == m_versions.end() ? version : it->second;
  }

  /// Answers from `runtime_calls` by method: a canned result, or CallFailed naming
  /// the method when none is set. Records the last call's arguments.
  PortResult<Bytes> call(const H256& at, const std::string& method, ByteSpan args) const override {
    std::lock_guard lock(m_mutex);
    if (!m_states.count(at)) return PortError{PortError::Kind::UnknownBlock, "unknown block " + runtime::to_hex(at)};
    last_call = {method, Bytes(args.begin(), args.end())};
    auto it = runtime_calls.find(method);
    if (it == runtime_calls.end()) return PortError{PortError::Kind::CallFailed, "exported method " + method + " is not found"};
    return it->second;
  }
  PortResult<Bytes> metadata(const H256& at) const override {
    std::lock_guard lock(m_mutex);
    if (!m_states.count(at)) return PortError{PortError::Kind::UnknownBlock, "unknown block"};
    return metadata_bytes;
  }
  /// A fake proof: each requested key that is present, as a "node".
  PortResult<std::vector<Bytes>> read_proof(const H256& at, const std::vector<Bytes>& keys) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_states.find(at);
    if (it == m_states.end()) return PortError{PortError::Kind::UnknownBlock, "unknown block"};
    std::vector<Bytes> out;
    for (const auto& k : keys)
      if (it->second.count(k)) out.push_back(k);
    return out;
  }
  /// The difference between the state at `at` and the state of the block before it in `order`.
  PortResult<std::vector<std::pair<Bytes, std::optional<Bytes>>>> changes(const H256& at) const override {
    std::lock_guard lock(m_mutex);
    auto it = m_states.find(at);
    if (it == m_states.end()) return PortError{PortError::Kind::UnknownBlock, "unknown block"};
    Storage before;
    auto parent = m_parents.find(at);
    if (parent != m_parents.end() && m_states.count(parent->second)) before = m_states.at(parent->second);
    std::map<Bytes, std::optional<Bytes>> diff;
    for (const auto& [k, v] : it->second)
      if (!before.count(k) || before.at(k) != v) diff[k] = v;
    for (const auto& [k, v] : before)
      if (!it->second.count(k)) diff[k] = std::nullopt;
    return std::vector<std::pair<Bytes, std::optional<Bytes>>>(diff.begin(), diff.end());
  }
  void set_parent(const H256& child, const H256& parent) {
    std::lock_guard lock(m_mutex);
    m_parents[child] = parent;
  }

  void set_state(const H256& at, Storage s) {
    std::lock_guard lock(m_mutex);
    m_states[at] = std::move(s);
  }
  void set_version(const H256& at, rpc::RuntimeVersionInfo v) {
    std::lock_guard lock(m_mutex);
    m_versions[at] = std::move(v);
  }

  rpc::RuntimeVersionInfo version{"bazaar", "bazaar-node", 1, 100, 1,
                                  {{{0xdf, 0x6a, 0xcb, 0x68, 0x99, 0x07, 0x60, 0x9b}, 5}}, 1, 0};
  std::map<std::string, Bytes> runtime_calls;
  Bytes metadata_bytes{0x6d, 0x65, 0x74, 0x61, 0x0e};
  mutable std::pair<std::string, Bytes> last_call;

 private:
  mutable std::mutex m_mutex;
  std::map<H256, Storage> m_states;
  std::map<H256, H256> m_parents;
  std::map<H256, rpc::RuntimeVersionInfo> m_versions;
};

class FakeAuthor : public rpc::AuthorPort {
 public:
  rpc::SubmitResult<H256> submit(Bytes xt) override {
    std::lock_guard lock(m_mutex);
    if (reject) return *reject;
    pending.push_back(xt);
    return runtime::crypto::blake2b_256(xt);
  }
  rpc::SubmitResult<PortSubscription> submit_and_watch(Bytes xt, StatusCallback cb) override {
    {
      std::lock_guard lock(m_mutex);
      if (reject) return *reject;
      pending.push_back(xt);
    }
    cb(rpc::TxStatus{rpc::TxStatus::Kind::Ready, {}, {}});
    return watchers.add(std::move(cb));
  }
  std::vector<Bytes> pending_extrinsics() const override {
    std::lock_guard lock(m_mutex);
    return pending;
  }
  void emit(const rpc::TxStatus& s) { watchers.fire(s); }

  std::optional<rpc::SubmitRejection> reject;
  std::vector<Bytes> pending;
  CallbackList<StatusCallback> watchers;

 private:
  mutable std::mutex m_mutex;
};

class FakeSystem : public rpc::SystemPort {
 public:
  std::string node_name() const override { return "bazaar-node"; }
  std::string node_version() const override { return "0.1.0"; }
  std::string chain_name() const override { return "Development"; }
  std::string chain_type() const override { return "Development"; }
  nlohmann::json properties() const override {
    return {{"ss58Format", 42}, {"tokenDecimals", 12}, {"tokenSymbol", "CC"}};
  }
  rpc::NodeHealth health() const override { return {0, false, false}; }
  runtime::Nonce account_next_index(const runtime::AccountId32& account) const override {
    auto it = nonces.find(account);
    return it == nonces.end() ? 0 : it->second;
  }
  std::map<runtime::AccountId32, runtime::Nonce> nonces;
  std::vector<std::string> node_roles() const override { return {"Authority"}; }
  rpc::SyncState sync_state() const override { return {3, 7, 7}; }
  std::vector<rpc::PeerInfo> peers() const override { return {}; }
  std::optional<std::string> local_peer_id() const override { return peer_id; }
  std::optional<std::string> peer_id;
};

class FakeKeystore : public rpc::KeystorePort {
 public:
  PortResult<void> insert_key(const rpc::KeyType& type, const std::string& suri, ByteSpan pub) override {
    if (suri.empty()) return PortError{PortError::Kind::CallFailed, "the secret URI is invalid"};
    keys.insert({type, Bytes(pub.begin(), pub.end())});
    return boost::outcome_v2::success();
  }
  PortResult<bool> has_key(ByteSpan pub, const rpc::KeyType& type) const override {
    return keys.count({type, Bytes(pub.begin(), pub.end())}) != 0;
  }
  PortResult<Bytes> rotate_keys() override {
    Bytes pub(33, static_cast<uint8_t>(keys.size() + 1));
    keys.insert({rpc::KeyType{'a', 'u', 'r', 'a'}, pub});
    return pub;
  }
  PortResult<bool> has_session_keys(ByteSpan session) const override {
    return has_key(session, rpc::KeyType{'a', 'u', 'r', 'a'});
  }
  std::set<std::pair<rpc::KeyType, Bytes>> keys;
};

class FakeOffchain : public rpc::OffchainPort {
 public:
  PortResult<std::optional<Bytes>> local_storage_get(rpc::OffchainStorageKind kind, ByteSpan key) const override {
    auto it = values.find({kind, Bytes(key.begin(), key.end())});
    if (it == values.end()) return std::optional<Bytes>{};
    return std::optional<Bytes>{it->second};
  }
  PortResult<void> local_storage_set(rpc::OffchainStorageKind kind, ByteSpan key, ByteSpan value) override {
    values[{kind, Bytes(key.begin(), key.end())}] = Bytes(value.begin(), value.end());
    return boost::outcome_v2::success();
  }
  std::map<std::pair<rpc::OffchainStorageKind, Bytes>, Bytes> values;
};

}  // namespace bazaar::test
