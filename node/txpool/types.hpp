#pragma once
// Types shared by the transaction pool's parts: what the pool is told about a
// transaction (the runtime's validity verdict through a Validator callback), what
// it stores, its options and the statuses it reports to watchers.

#include "runtime/codec/bytes.hpp"
#include "runtime/primitives/transaction_validity.hpp"
#include "runtime/primitives/types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <variant>

namespace bazaar::node::txpool {

using runtime::ByteSpan;
using runtime::Bytes;
using runtime::H256;
using runtime::TransactionTag;

/// Where a transaction came from (sp_runtime::transaction_validity::TransactionSource,
/// same indices); passed to the runtime's validate_transaction.
enum class TransactionSource : uint8_t {
  InBlock = 0,   ///< re-validated from a block that was retracted
  Local = 1,     ///< submitted by this node's owner (offchain worker, local RPC)
  External = 2,  ///< received from the network or a remote RPC client
};

/// The runtime's verdict on one transaction: valid (with its tags and priority) or
/// the runtime's reason why not.
struct ValidationResult {
  std::variant<runtime::ValidTransaction, runtime::TransactionValidityError> outcome;

  static ValidationResult valid(runtime::ValidTransaction v) { return {std::move(v)}; }
  static ValidationResult invalid(runtime::InvalidTransaction e) { return {runtime::TransactionValidityError{e}}; }
  static ValidationResult unknown(runtime::UnknownTransaction e) { return {runtime::TransactionValidityError{e}}; }

  bool is_valid() const { return outcome.index() == 0; }
  const runtime::ValidTransaction& validity() const { return std::get<0>(outcome); }
  const runtime::TransactionValidityError& error() const { return std::get<1>(outcome); }
};

/// Validates an encoded extrinsic against the state of the node's best block. It is
/// called without any pool lock held and may be called from several threads at once.
using Validator = std::function<ValidationResult(TransactionSource, ByteSpan encoded_extrinsic)>;

/// The pool's clock (steady time), injectable so tests can move it without sleeping.
using Clock = std::function<std::chrono::steady_clock::time_point()>;

/// A transaction in the pool. Immutable once created: revalidation makes a new one,
/// so snapshots handed out stay valid while the pool changes.
struct PoolTransaction {
  H256 hash;                          ///< blake2b-256 of `data`
  Bytes data;                         ///< the full encoded extrinsic
  TransactionSource source = TransactionSource::External;
  runtime::ValidTransaction validity; ///< from the last validation
  uint64_t insertion_id = 0;          ///< arrival order (lower is older); kept across revalidation
  runtime::BlockNumber valid_till = 0; ///< dropped when a block with this number is imported
};
using TxPtr = std::shared_ptr<const PoolTransaction>;

struct TxPoolOptions {
  std::size_t max_ready = 8192;              ///< ready transactions
  std::size_t max_future = 1024;             ///< future transactions
  std::size_t max_bytes = 20 * 1024 * 1024;  ///< encoded bytes of all transactions
  uint32_t ban_seconds = 1800;               ///< how long invalid/included hashes are refused
  uint32_t finality_timeout_blocks = 512;    ///< watchers of an in-block tx give up after this many blocks
};

/// Counts for `author_*` RPC and metrics.
struct PoolStatus {
  std::size_t ready = 0;
  std::size_t future = 0;
  std::size_t bytes = 0;  ///< encoded bytes of ready + future transactions
};

/// Life-cycle events of a transaction, as author_submitAndWatchExtrinsic reports
/// them (sc_transaction_pool_api::TransactionStatus).
enum class TxStatusKind : uint8_t {
  Future,           ///< waiting for tags another transaction or the chain must provide
  Ready,            ///< can go into the next block
  InBlock,          ///< included in block `hash`
  Finalized,        ///< block `hash` that includes it was finalized (terminal)
  FinalityTimeout,  ///< block `hash` was not finalized in time; watching stops (terminal)
  Usurped,          ///< replaced by transaction `hash` providing the same tags (terminal)
  Dropped,          ///< evicted because the pool was full (terminal)
  Invalid,          ///< became invalid or outlived its longevity (terminal)
};

struct TxStatus {
  TxStatusKind kind = TxStatusKind::Future;
  /// The block (InBlock, Finalized, FinalityTimeout) or the usurping transaction
  /// (Usurped); nullopt for the other kinds.
  std::optional<H256> hash;

  bool is_terminal() const { return kind >= TxStatusKind::Finalized; }
  friend bool operator==(const TxStatus&, const TxStatus&) = default;
};

/// Substrate's JSON name of a status kind: "future", "ready", "inBlock", "finalized",
/// "finalityTimeout", "usurped", "dropped", "invalid".
std::string_view to_string(TxStatusKind kind);

}  // namespace bazaar::node::txpool
