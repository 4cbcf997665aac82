#pragma once
// Transaction submission as the author_* RPC methods see it. Header-only.

#include "rpc/ports/port_subscription.hpp"
#include "runtime/codec/bytes.hpp"

#include <boost/outcome/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::rpc {

/// A pool's refusal, already in Substrate's RPC terms
/// (substrate/client/rpc-api/src/author/error.rs): code 1010 "Invalid Transaction"
/// with the reason as data, 1011 "Unknown Transaction Validity", 1012 temporarily
/// banned, 1013 already imported, 1014 priority too low, ...
struct SubmitRejection {
  int code = 1010;
  std::string message;
  std::optional<std::string> data;
  friend bool operator==(const SubmitRejection&, const SubmitRejection&) = default;
};

template <class T>
using SubmitResult = boost::outcome_v2::result<T, SubmitRejection, boost::outcome_v2::policy::terminate>;

/// sc_transaction_pool_api::TransactionStatus (the author_extrinsicUpdate payloads, spec §8).
struct TxStatus {
  enum class Kind { Future, Ready, Broadcast, InBlock, Retracted, FinalityTimeout, Finalized, Usurped, Dropped, Invalid };
  Kind kind = Kind::Ready;
  /// InBlock, Retracted, FinalityTimeout, Finalized: the block; Usurped: the replacing transaction.
  runtime::H256 hash;
  /// Broadcast: the peers.
  std::vector<std::string> peers;

  /// True for the statuses after which no further update comes.
  bool is_final() const {
    return kind == Kind::Finalized || kind == Kind::FinalityTimeout || kind == Kind::Usurped ||
           kind == Kind::Dropped || kind == Kind::Invalid;
  }
  friend bool operator==(const TxStatus&, const TxStatus&) = default;
};

/// Thread-safe: called from the RPC I/O threads.
class AuthorPort {
 public:
  virtual ~AuthorPort() = default;

  /// Validates and adds an encoded extrinsic (with its compact length prefix) to
  /// the pool; its hash (blake2b-256 of the bytes) on success.
  virtual SubmitResult<runtime::H256> submit(runtime::Bytes extrinsic) = 0;

  using StatusCallback = std::function<void(const TxStatus&)>;
  /// As submit(), then reports each status change of the transaction to
  /// `callback` (possibly before this returns: the first status, "ready" or
  /// "future", is reported at once) until a final status or until the handle is reset.
  virtual SubmitResult<PortSubscription> submit_and_watch(runtime::Bytes extrinsic, StatusCallback callback) = 0;

  /// Every extrinsic in the pool (ready and future), encoded.
  virtual std::vector<runtime::Bytes> pending_extrinsics() const = 0;
};

}  // namespace bazaar::rpc
