#include "node/txpool/error.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::txpool;
using bazaar::runtime::InvalidTransaction;
using bazaar::runtime::TransactionValidityError;
using bazaar::runtime::UnknownTransaction;

SCENARIO("pool errors map to Substrate's author RPC codes") {
  struct Case {
    TxPoolError error;
    int code;
    const char* message;
  };
  const Case cases[] = {
      {TxPoolError::TemporarilyBanned, 1012, "Transaction is temporarily banned"},
      {TxPoolError::AlreadyImported, 1013, "Transaction Already Imported"},
      {TxPoolError::TooLowPriority, 1014, "Priority is too low"},
      {TxPoolError::PoolFull, 1014, "Priority is too low"},
      {TxPoolError::CycleDetected, 1015, "Cycle Detected"},
      {TxPoolError::NoTagsProvided, 1018, "No tags provided"},
  };
  for (const auto& c : cases) {
    auto rpc = to_rpc_error(make_error_code(c.error));
    CHECK(rpc.code == c.code);
    CHECK(rpc.message == c.message);
    CHECK(pool_error(make_error_code(c.error)) == c.error);
  }
}

SCENARIO("the runtime's reason survives the trip through an error code") {
  for (uint8_t i = 0; i <= static_cast<uint8_t>(InvalidTransaction::BadSigner); ++i) {
    TransactionValidityError e{static_cast<InvalidTransaction>(i)};
    auto ec = make_error_code(e);
    auto back = validity_error(ec);
    REQUIRE(back);
    CHECK(std::get<InvalidTransaction>(back->error) == static_cast<InvalidTransaction>(i));
    CHECK(ec.message() == bazaar::runtime::to_string(e));
    CHECK(to_rpc_error(ec).code == 1010);
  }
  auto unknown = make_error_code(TransactionValidityError{UnknownTransaction::NoUnsignedValidator});
  CHECK(pool_error(unknown) == TxPoolError::UnknownValidity);
  CHECK(to_rpc_error(unknown).code == 1011);
  CHECK(to_rpc_error(unknown).data == "Could not find an unsigned validator for the unsigned transaction");
  CHECK(to_rpc_error(make_error_code(TransactionValidityError{InvalidTransaction::Payment})).data ==
        "Inability to pay some fees (e.g. account balance too low)");
}

SCENARIO("errors of other components are not pool errors") {
  auto other = make_error_code(boost::system::errc::io_error);
  CHECK_FALSE(pool_error(other));
  CHECK_FALSE(validity_error(other));
  CHECK(to_rpc_error(other).code == 1000);
}
