#include "node/txpool/error.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::txpool, TxPoolError, "txpool", to_string)

namespace bazaar::node::txpool {

const char* to_string(TxPoolError e) {
  switch (e) {
    case TxPoolError::InvalidTransaction: return "Invalid Transaction";
    case TxPoolError::UnknownValidity: return "Unknown Transaction Validity";
    case TxPoolError::TemporarilyBanned: return "Transaction is temporarily banned";
    case TxPoolError::AlreadyImported: return "Transaction Already Imported";
    case TxPoolError::TooLowPriority: return "Priority is too low";
    case TxPoolError::PoolFull: return "Priority is too low";
    case TxPoolError::CycleDetected: return "Cycle Detected";
    case TxPoolError::NoTagsProvided: return "No tags provided";
  }
  return "unknown transaction pool error";
}

namespace {

// Value layout of a validity error code: kind * 256 + index of the runtime enum.
constexpr int kInvalidKind = 1;
constexpr int kUnknownKind = 2;

std::optional<runtime::TransactionValidityError> decode_validity(int value) {
  int kind = value / 256;
  auto index = static_cast<uint8_t>(value % 256);
  if (kind == kInvalidKind && index <= static_cast<uint8_t>(runtime::InvalidTransaction::BadSigner)) {
    return runtime::TransactionValidityError{static_cast<runtime::InvalidTransaction>(index)};
  }
  if (kind == kUnknownKind && index <= static_cast<uint8_t>(runtime::UnknownTransaction::Custom)) {
    return runtime::TransactionValidityError{static_cast<runtime::UnknownTransaction>(index)};
  }
  return std::nullopt;
}

class ValidityCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "transaction_validity"; }
  std::string message(int ev) const override {
    auto e = decode_validity(ev);
    return e ? runtime::to_string(*e) : "unknown transaction validity error";
  }
};

const boost::system::error_category& validity_category() {
  static const ValidityCategory category;
  return category;
}

}  // namespace

boost::system::error_code make_error_code(const runtime::TransactionValidityError& e) {
  int value = std::visit(
      [](auto reason) {
        constexpr bool invalid = std::is_same_v<decltype(reason), runtime::InvalidTransaction>;
        return (invalid ? kInvalidKind : kUnknownKind) * 256 + static_cast<int>(reason);
      },
      e.error);
  return {value, validity_category()};
}

std::optional<runtime::TransactionValidityError> validity_error(const boost::system::error_code& ec) {
  if (ec.category() != validity_category()) return std::nullopt;
  return decode_validity(ec.value());
}

std::optional<TxPoolError> pool_error(const boost::system::error_code& ec) {
  if (auto reason = validity_error(ec)) {
    return reason->is_invalid() ? TxPoolError::InvalidTransaction : TxPoolError::UnknownValidity;
  }
  if (ec.category() == TxPoolError_category()) return static_cast<TxPoolError>(ec.value());
  return std::nullopt;
}

RpcError to_rpc_error(const boost::system::error_code& ec) {
  auto kind = pool_error(ec);
  if (!kind) return {1000, ec.message(), std::nullopt};
  std::string message = to_string(*kind);
  switch (*kind) {
    case TxPoolError::InvalidTransaction: return {1010, message, ec.message()};
    case TxPoolError::UnknownValidity: return {1011, message, ec.message()};
    case TxPoolError::TemporarilyBanned: return {1012, message, std::nullopt};
    case TxPoolError::AlreadyImported: return {1013, message, std::nullopt};
    case TxPoolError::TooLowPriority:
      return {1014, message, "The transaction has too low priority to replace another transaction already in the pool."};
    case TxPoolError::PoolFull:
      return {1014, message, "The pool is full and the transaction has too low priority to evict another one."};
    case TxPoolError::CycleDetected: return {1015, message, std::nullopt};
    case TxPoolError::NoTagsProvided:
      return {1018, message, "Transaction does not provide any tags, so the pool can't identify it"};
  }
  return {1000, ec.message(), std::nullopt};
}

}  // namespace bazaar::node::txpool
