#pragma once
// Outcome of validating a transaction for the pool
// (sp_runtime::transaction_validity, same names and meanings).

#include "runtime/codec/bytes.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace bazaar::runtime {

using TransactionTag = Bytes;
using TransactionPriority = uint64_t;
using TransactionLongevity = uint64_t;

/// sp_runtime::ValidTransaction.
struct ValidTransaction {
  TransactionPriority priority = 0;
  std::vector<TransactionTag> requires_tags;  ///< tags that must be provided first (e.g. sender ++ nonce-1)
  std::vector<TransactionTag> provides_tags;  ///< tags this transaction provides (e.g. sender ++ nonce)
  TransactionLongevity longevity = UINT64_MAX; ///< blocks it stays valid
  bool propagate = true;
};

/// sp_runtime::InvalidTransaction (indices as in Substrate).
enum class InvalidTransaction : uint8_t {
  Call = 0,
  Payment = 1,          ///< "Inability to pay some fees (e.g. account balance too low)"
  Future = 2,           ///< "Transaction will be valid in the future"
  Stale = 3,            ///< "Transaction is outdated"
  BadProof = 4,         ///< "Transaction has a bad signature"
  AncientBirthBlock = 5,
  ExhaustsResources = 6,
  Custom = 7,
  BadMandatory = 8,
  MandatoryValidation = 9,
  BadSigner = 10,
};

/// sp_runtime::UnknownTransaction.
enum class UnknownTransaction : uint8_t {
  CannotLookup = 0,
  NoUnsignedValidator = 1,
  Custom = 2,
};

struct TransactionValidityError {
  std::variant<InvalidTransaction, UnknownTransaction> error;
  bool is_invalid() const { return error.index() == 0; }
};

/// Substrate's reason strings ("Transaction has a bad signature", ...), used
/// in RPC error data (code 1010 / 1011).
std::string to_string(const TransactionValidityError& e);

}  // namespace bazaar::runtime
