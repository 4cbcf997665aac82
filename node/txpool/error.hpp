#pragma once
// Errors of the transaction pool and their JSON-RPC form (sc_rpc_api::author::error:
// codes 1010-1018, same messages).
//
// The runtime's reason for refusing a transaction travels inside the error code:
// submit() fails with an error of the "transaction_validity" category whose value
// encodes the runtime's TransactionValidityError, so RPC can answer 1010 "Invalid
// Transaction" with data "Transaction has a bad signature". Use pool_error() to
// classify any pool error and validity_error() to get the runtime's reason back.

#include "runtime/primitives/transaction_validity.hpp"
#include "runtime/result.hpp"

#include <optional>
#include <string>

namespace bazaar::node::txpool {

enum class TxPoolError {
  InvalidTransaction = 1,  ///< the runtime said invalid (RPC 1010); see validity_error()
  UnknownValidity,         ///< the runtime could not tell (RPC 1011); see validity_error()
  TemporarilyBanned,       ///< recently invalid or included (RPC 1012)
  AlreadyImported,         ///< the same extrinsic is already in the pool (RPC 1013)
  TooLowPriority,          ///< a transaction with the same tags has at least its priority (RPC 1014)
  PoolFull,                ///< the pool is full and this one has the lowest priority (RPC 1014)
  CycleDetected,           ///< its tags would make a dependency cycle (RPC 1015)
  NoTagsProvided,          ///< the runtime gave it no provides tags (RPC 1018)
};
const char* to_string(TxPoolError e);

}  // namespace bazaar::node::txpool

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::txpool, TxPoolError)

namespace bazaar::node::txpool {

/// The error code submit() returns when the runtime refuses a transaction; its
/// message() is Substrate's reason string.
boost::system::error_code make_error_code(const runtime::TransactionValidityError& e);

/// The runtime's reason carried by `ec`, if it is a validity error.
std::optional<runtime::TransactionValidityError> validity_error(const boost::system::error_code& ec);

/// The pool error `ec` stands for: its TxPoolError, or InvalidTransaction /
/// UnknownValidity for a validity error; nullopt for errors of other components.
std::optional<TxPoolError> pool_error(const boost::system::error_code& ec);

/// A JSON-RPC error object for author_submitExtrinsic & co.
struct RpcError {
  int code = 0;
  std::string message;
  std::optional<std::string> data;
};

/// Substrate's RPC code, message and data for a pool error; errors of other
/// components become code 1000 with their message.
RpcError to_rpc_error(const boost::system::error_code& ec);

}  // namespace bazaar::node::txpool
