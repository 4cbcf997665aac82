#pragma once
// A typed client of a Bazaar node over JSON-RPC, for the wallet CLI and the
// provider worker (both talk to the chain only through RPC, DESIGN.md). It
// builds and signs extrinsics itself (extrinsic v4, ECDSA MultiSignature,
// the runtime's signed extensions), follows them with
// author_submitAndWatchExtrinsic and reports the events of the block that
// included them. Errors are messages meant for a person ("1010: Invalid
// Transaction: Transaction has a bad signature").

#include "modules/composition/runtime.hpp"
#include "rpc/client/rpc_client.hpp"
#include "runtime/crypto/ecdsa.hpp"
#include "runtime/primitives/header.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::rpc {

/// Ok, or a message saying what failed.
template <class T>
using ClientResult = outcome::result<T, std::string, outcome::policy::terminate>;

struct SubmitOptions {
  runtime::Balance tip = 0;
  /// Mortal era length in blocks (0 = immortal).
  uint64_t mortal_period = 64;
  /// Wait for finality, not just inclusion.
  bool wait_finalized = false;
  std::chrono::milliseconds timeout{60'000};
  /// Use this nonce instead of system_accountNextIndex.
  std::optional<runtime::Nonce> nonce;
};

/// What happened to a submitted extrinsic.
struct ExtrinsicReport {
  runtime::H256 hash;          ///< blake2b-256 of the encoded extrinsic
  runtime::H256 block_hash;    ///< the block that included it
  runtime::BlockNumber block_number = 0;
  uint32_t index = 0;          ///< its position in the block
  bool success = false;        ///< ExtrinsicSuccess (false: ExtrinsicFailed)
  std::string error;           ///< the dispatch error's name when it failed ("Credits.InsufficientBalance")
  runtime::Balance fee = 0;    ///< from TransactionFeePaid
  bool finalized = false;
  std::vector<modules::composition::EventRecord> events;  ///< the events of this extrinsic
};

class ChainClient {
 public:
  static ClientResult<ChainClient> connect(const std::string& url, RpcClientOptions options = {});

  RpcClient& rpc() { return m_rpc; }

  ClientResult<runtime::H256> genesis_hash();
  ClientResult<runtime::H256> block_hash(runtime::BlockNumber number);
  ClientResult<runtime::H256> best_hash();
  ClientResult<runtime::H256> finalized_hash();
  ClientResult<runtime::Header> header(const std::optional<runtime::H256>& hash = std::nullopt);
  /// Encoded extrinsics of a block.
  ClientResult<std::vector<runtime::Bytes>> block_extrinsics(const runtime::H256& hash);
  ClientResult<runtime::Nonce> next_nonce(const runtime::AccountId32& who);
  /// Raw storage value at a block (best if omitted).
  ClientResult<std::optional<runtime::Bytes>> storage(const runtime::Bytes& key,
                                                      const std::optional<runtime::H256>& at = std::nullopt);
  /// Storage keys under a prefix (all pages).
  ClientResult<std::vector<runtime::Bytes>> storage_keys(const runtime::Bytes& prefix,
                                                         const std::optional<runtime::H256>& at = std::nullopt);
  /// System.Events at a block, decoded.
  ClientResult<std::vector<modules::composition::EventRecord>> events(const runtime::H256& at);

  /// Reads a typed storage item, e.g. read<system::Account>(alice) or read<task_queue::Tasks>(id).
  template <class Item, class... Keys>
  ClientResult<decltype(Item::get(std::declval<const runtime::storage::StorageReader&>(), std::declval<Keys>()...))>
  read(const Keys&... keys) {
    return read_at<Item>(std::nullopt, keys...);
  }
  /// The same at a given block.
  template <class Item, class... Keys>
  ClientResult<decltype(Item::get(std::declval<const runtime::storage::StorageReader&>(), std::declval<Keys>()...))>
  read_at(const std::optional<runtime::H256>& at, const Keys&... keys);

  /// Signs `call` with `signer`, submits it and follows it until it is in a
  /// block (or finalized). A rejected transaction is an error with the node's
  /// reason; a dispatch error is a report with success = false.
  ClientResult<ExtrinsicReport> submit(const runtime::crypto::Keypair& signer,
                                       const modules::composition::RuntimeCall& call, const SubmitOptions& options = {});
  /// Builds the signed extrinsic without submitting it.
  ClientResult<runtime::Bytes> sign(const runtime::crypto::Keypair& signer, const modules::composition::RuntimeCall& call,
                                    const SubmitOptions& options = {});

 private:
  explicit ChainClient(RpcClient rpc) : m_rpc(std::move(rpc)) {}
  ClientResult<nlohmann::json> call(const std::string& method, const nlohmann::json& params);
  ClientResult<ExtrinsicReport> report_for(const runtime::Bytes& encoded, const runtime::H256& block_hash);

  RpcClient m_rpc;
  std::optional<runtime::H256> m_genesis;
};

/// Parses Substrate's header JSON (hex "number", digest logs as hex DigestItems).
ClientResult<runtime::Header> header_from_json(const nlohmann::json& j);

// ---- implementation of the template ----

namespace detail {
/// A StorageReader that serves one pre-fetched key (lets read<> reuse the typed item's decoding).
class OneKeyStorage final : public runtime::storage::StorageReader {
 public:
  OneKeyStorage(runtime::Bytes key, std::optional<runtime::Bytes> value) : m_key(std::move(key)), m_value(std::move(value)) {}
  std::optional<runtime::Bytes> get(runtime::ByteSpan key) const override {
    if (runtime::Bytes(key.begin(), key.end()) == m_key) return m_value;
    return std::nullopt;
  }
  std::optional<runtime::Bytes> next_key(runtime::ByteSpan) const override { return std::nullopt; }

 private:
  runtime::Bytes m_key;
  std::optional<runtime::Bytes> m_value;
};
}  // namespace detail

template <class Item, class... Keys>
ClientResult<decltype(Item::get(std::declval<const runtime::storage::StorageReader&>(), std::declval<Keys>()...))>
ChainClient::read_at(const std::optional<runtime::H256>& at, const Keys&... keys) {
  runtime::Bytes key = Item::key(keys...);
  BAZAAR_TRY(auto value, storage(key, at));
  detail::OneKeyStorage one(key, std::move(value));
  return Item::get(one, keys...);
}

}  // namespace bazaar::rpc
