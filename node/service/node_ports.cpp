#include "node/service/node_ports.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/metadata.hpp"
#include "modules/composition/runtime_api.hpp"
#include "node/service/state_diff.hpp"
#include "node/log/log.hpp"
#include "node/state/trie_state.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <set>

namespace bazaar::node::service {

namespace {

using runtime::H256;

/// Logs a database failure met while answering RPC (the answer is then "unknown").
template <class T>
std::optional<T> logged(Result<std::optional<T>> r, const char* what) {
  if (r) return std::move(r).value();
  log::logger("rpc")->error("reading {} failed: {}", what, r.error().message());
  return std::nullopt;
}

rpc::PortError to_port_error(const boost::system::error_code& ec) {
  using K = rpc::PortError::Kind;
  if (ec == chain::ChainError::UnknownBlock) return {K::UnknownBlock, ec.message()};
  if (ec == chain::ChainError::StateUnavailable) return {K::StateUnavailable, ec.message()};
  return {K::Internal, ec.message()};
}

}  // namespace

// ---- ChainPortImpl ----------------------------------------------------------------

std::optional<H256> ChainPortImpl::hash_at(runtime::BlockNumber number) const {
  return logged(m_chain.blocks().canonical_hash(number), "the number index");
}

std::optional<runtime::Header> ChainPortImpl::header(const H256& hash) const {
  return logged(m_chain.blocks().header(hash), "a header");
}

std::optional<runtime::Block> ChainPortImpl::block(const H256& hash) const {
  return logged(m_chain.blocks().block(hash), "a block");
}

std::vector<rpc::Justification> ChainPortImpl::justifications(const H256& hash) const {
  auto proof = logged(m_chain.blocks().justification(hash), "a justification");
  if (!proof) return {};
  return {rpc::Justification{kFinalityEngineId, std::move(*proof)}};
}

rpc::PortSubscription ChainPortImpl::subscribe_best_heads(HeadCallback callback) {
  return m_hub.subscribe(HeadHub::Stream::Best, std::move(callback));
}

rpc::PortSubscription ChainPortImpl::subscribe_finalized_heads(HeadCallback callback) {
  return m_hub.subscribe(HeadHub::Stream::Finalized, std::move(callback));
}

rpc::PortSubscription ChainPortImpl::subscribe_all_heads(HeadCallback callback) {
  return m_hub.subscribe(HeadHub::Stream::All, std::move(callback));
}

// ---- StatePortImpl ----------------------------------------------------------------

rpc::PortResult<runtime::Header> StatePortImpl::header_of(const H256& at) const {
  auto header = m_chain.blocks().header(at);
  if (!header) return to_port_error(header.error());
  if (!header.value())
    return rpc::PortError{rpc::PortError::Kind::UnknownBlock, "unknown block " + runtime::to_hex(at)};
  return std::move(*header.value());
}

rpc::PortResult<H256> StatePortImpl::state_root(const H256& at) const {
  auto header = header_of(at);
  if (!header) return header.error();
  return header.value().state_root;
}

rpc::PortResult<runtime::Bytes> StatePortImpl::call(const H256& at, const std::string& method,
                                                    runtime::ByteSpan args) const {
  auto header = header_of(at);
  if (!header) return header.error();
  auto state = m_chain.state_at(at);
  if (!state) return to_port_error(state.error());
  auto out = modules::composition::call_runtime_api({*state.value(), at, header.value()}, method, args);
  // A read that failed underneath (pruned state, I/O) makes any answer meaningless.
  if (auto failure = state.value()->failure())
    return rpc::PortError{rpc::PortError::Kind::StateUnavailable,
                          "state of block " + runtime::to_hex(at) + ": " + failure->message()};
  if (!out) return rpc::PortError{rpc::PortError::Kind::CallFailed, out.error().message};
  return std::move(out).value();
}

rpc::PortResult<runtime::Bytes> StatePortImpl::metadata(const H256& at) const {
  auto root = state_root(at);  // the block must be known; the runtime is native, one metadata for all blocks
  if (!root) return root.error();
  return modules::composition::metadata_v14_bytes();
}

rpc::PortResult<std::vector<runtime::Bytes>> StatePortImpl::read_proof(const H256& at,
                                                                       const std::vector<runtime::Bytes>& keys) const {
  auto root = state_root(at);
  if (!root) return root.error();
  auto proof = m_chain.trie().read_proof(root.value(), keys);
  if (!proof)
    return rpc::PortError{rpc::PortError::Kind::StateUnavailable,
                          "state of block " + runtime::to_hex(at) + ": " + proof.error().message()};
  return std::move(proof).value();
}

rpc::PortResult<std::vector<std::pair<runtime::Bytes, std::optional<runtime::Bytes>>>> StatePortImpl::changes(
    const H256& at) const {
  auto header = header_of(at);
  if (!header) return header.error();
  H256 parent_root = node::trie::empty_root();  // genesis: every key is new
  if (header.value().number.value > 0) {
    auto root = state_root(header.value().parent_hash);
    if (!root) return root.error();
    parent_root = root.value();
  }
  auto diff = state_changes(m_chain.trie(), parent_root, header.value().state_root);
  if (!diff)
    return rpc::PortError{rpc::PortError::Kind::StateUnavailable,
                          "state of block " + runtime::to_hex(at) + ": " + diff.error().message()};
  return std::move(diff).value();
}

rpc::PortResult<std::optional<runtime::Bytes>> StatePortImpl::storage(const H256& at, runtime::ByteSpan key) const {
  auto root = state_root(at);
  if (!root) return root.error();
  auto value = m_chain.trie().get(root.value(), key);
  if (!value)
    return rpc::PortError{rpc::PortError::Kind::StateUnavailable,
                          "state of block " + runtime::to_hex(at) + ": " + value.error().message()};
  return std::move(value).value();
}

rpc::PortResult<std::vector<runtime::Bytes>> StatePortImpl::storage_keys_paged(
    const H256& at, runtime::ByteSpan prefix, uint32_t count, const std::optional<runtime::Bytes>& start_key) const {
  auto root = state_root(at);
  if (!root) return root.error();
  std::optional<runtime::ByteSpan> start;
  if (start_key) start = runtime::ByteSpan(*start_key);
  auto keys = state::keys_paged(m_chain.trie(), root.value(), prefix, count, start);
  if (!keys)
    return rpc::PortError{rpc::PortError::Kind::StateUnavailable,
                          "state of block " + runtime::to_hex(at) + ": " + keys.error().message()};
  return std::move(keys).value();
}

rpc::PortResult<rpc::RuntimeVersionInfo> StatePortImpl::runtime_version(const H256& at) const {
  auto root = state_root(at);  // the block must be known; the runtime is native, one version for all blocks
  if (!root) return root.error();
  const auto& v = modules::composition::runtime_version();
  return rpc::RuntimeVersionInfo{v.spec_name,   v.impl_name,           v.authoring_version, v.spec_version,
                                 v.impl_version, v.apis, v.transaction_version, v.state_version};
}

// ---- AuthorPortImpl ---------------------------------------------------------------

namespace {

rpc::SubmitRejection to_rejection(const boost::system::error_code& ec) {
  auto e = txpool::to_rpc_error(ec);
  return {e.code, e.message, e.data};
}

}  // namespace

rpc::TxStatus to_rpc_status(const txpool::TxStatus& s) {
  using P = txpool::TxStatusKind;
  using R = rpc::TxStatus::Kind;
  rpc::TxStatus out;
  if (s.hash) out.hash = *s.hash;
  switch (s.kind) {
    case P::Future: out.kind = R::Future; break;
    case P::Ready: out.kind = R::Ready; break;
    case P::InBlock: out.kind = R::InBlock; break;
    case P::Finalized: out.kind = R::Finalized; break;
    case P::FinalityTimeout: out.kind = R::FinalityTimeout; break;
    case P::Usurped: out.kind = R::Usurped; break;
    case P::Dropped: out.kind = R::Dropped; break;
    case P::Invalid: out.kind = R::Invalid; break;
  }
  return out;
}

rpc::SubmitResult<H256> AuthorPortImpl::submit(runtime::Bytes extrinsic) {
  auto hash = m_pool.submit(txpool::TransactionSource::External, std::move(extrinsic));
  if (!hash) return to_rejection(hash.error());
  return hash.value();
}

rpc::SubmitResult<rpc::PortSubscription> AuthorPortImpl::submit_and_watch(runtime::Bytes extrinsic,
                                                                          StatusCallback callback) {
  auto watched = m_pool.submit_and_watch(
      txpool::TransactionSource::External, std::move(extrinsic),
      [cb = std::move(callback)](const H256&, const txpool::TxStatus& status) { cb(to_rpc_status(status)); });
  if (!watched) return to_rejection(watched.error());
  return rpc::PortSubscription([&pool = m_pool, id = watched.value().id] { pool.unwatch(id); });
}

std::vector<runtime::Bytes> AuthorPortImpl::pending_extrinsics() const {
  std::vector<runtime::Bytes> out;
  for (const auto& tx : m_pool.pending()) out.push_back(tx->data);
  return out;
}

// ---- SystemPortImpl ---------------------------------------------------------------

std::string SystemPortImpl::node_name() const { return "bazaar-node"; }

std::string SystemPortImpl::node_version() const { return BAZAAR_VERSION; }

runtime::Nonce SystemPortImpl::account_next_index(const runtime::AccountId32& account) const {
  runtime::Nonce next = 0;
  auto state = m_chain.state_at(m_chain.best().hash);
  if (state) next = modules::composition::account_nonce(*state.value(), account);
  else log::logger("rpc")->error("reading the best state failed: {}", state.error().message());
  // Raise it past the account's consecutive transactions waiting in the pool (Substrate's
  // system_accountNextIndex does the same with the pool's provided tags).
  std::set<runtime::Nonce> queued;
  for (const auto& tx : m_pool.pending()) {
    auto xt = runtime::decode_extrinsic(tx->data);
    if (!xt || !xt.value().signature) continue;
    if (runtime::signer_account(xt.value()) != account) continue;
    queued.insert(xt.value().signature->extra.nonce.value);
  }
  while (queued.count(next)) ++next;
  return next;
}

std::vector<std::string> SystemPortImpl::node_roles() const {
  return {m_validator ? "Authority" : "Full"};
}

rpc::SyncState SystemPortImpl::sync_state() const {
  if (m_network) {
    const auto s = m_network->sync_status();
    return {s.starting, s.current, s.highest};
  }
  auto best = m_chain.best().number;
  return {m_starting_block, best, best};  // no peers: the best block is the highest known
}

rpc::NodeHealth SystemPortImpl::health() const {
  if (!m_network) return {};
  rpc::NodeHealth health;
  health.peers = static_cast<uint32_t>(m_network->net().peers().size());
  health.is_syncing = m_network->sync_status().is_syncing;
  // As Substrate: a chain that is not a development chain should have peers.
  health.should_have_peers = m_spec.chain_type != "Development";
  return health;
}

std::vector<rpc::PeerInfo> SystemPortImpl::peers() const {
  std::vector<rpc::PeerInfo> out;
  if (!m_network) return out;
  for (const auto& p : m_network->net().peers())
    out.push_back({p.id.to_string(), p.role == network::Role::Authority ? "AUTHORITY" : "FULL", p.best.hash,
                   p.best.number});
  return out;
}

std::optional<std::string> SystemPortImpl::local_peer_id() const {
  if (!m_network) return std::nullopt;
  return m_network->net().local_peer_id().to_string();
}

// ---- OffchainPortImpl -------------------------------------------------------------

namespace {

runtime::Bytes offchain_key(rpc::OffchainStorageKind kind, runtime::ByteSpan key) {
  std::string_view prefix = kind == rpc::OffchainStorageKind::Persistent ? "storage" : "local";
  runtime::Bytes out(prefix.begin(), prefix.end());
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

}  // namespace

rpc::PortResult<std::optional<runtime::Bytes>> OffchainPortImpl::local_storage_get(rpc::OffchainStorageKind kind,
                                                                                   runtime::ByteSpan key) const {
  auto value = m_db.get(db::Column::Offchain, offchain_key(kind, key));
  if (!value) return rpc::PortError{rpc::PortError::Kind::Internal, "offchain storage: " + value.error().message()};
  return std::move(value).value();
}

rpc::PortResult<void> OffchainPortImpl::local_storage_set(rpc::OffchainStorageKind kind, runtime::ByteSpan key,
                                                          runtime::ByteSpan value) {
  db::WriteBatch batch;
  batch.put(db::Column::Offchain, offchain_key(kind, key), value);
  auto written = m_db.write(std::move(batch), db::WriteOptions{.sync = kind == rpc::OffchainStorageKind::Persistent});
  if (!written) return rpc::PortError{rpc::PortError::Kind::Internal, "offchain storage: " + written.error().message()};
  return boost::outcome_v2::success();
}

// ---- the pool's validator -----------------------------------------------------------

txpool::ValidationResult validate_at_best(const chain::Chain& chain, txpool::TransactionSource source,
                                          runtime::ByteSpan encoded) {
  auto best = chain.best();
  auto state = chain.state_at(best.hash);
  if (!state) return txpool::ValidationResult::unknown(runtime::UnknownTransaction::CannotLookup);
  auto verdict = modules::composition::validate_transaction(
      *state.value(), static_cast<modules::composition::TransactionSource>(source), encoded, best.hash);
  if (state.value()->failure()) return txpool::ValidationResult::unknown(runtime::UnknownTransaction::CannotLookup);
  if (auto* valid = std::get_if<runtime::ValidTransaction>(&verdict)) return txpool::ValidationResult::valid(*valid);
  return txpool::ValidationResult{std::get<runtime::TransactionValidityError>(verdict)};
}

}  // namespace bazaar::node::service
