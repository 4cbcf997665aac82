#pragma once
// The TransactionPayment module (index 6), after pallet_transaction_payment:
// the fee of a signed extrinsic is
//   base_fee + byte_fee × encoded length + weight_fee × ref_time / 10^6 + tip
// (units of CC), withdrawn from the signer before dispatch (ChargeTransactionPayment)
// and paid to the block author. The parameters come from the chain spec.

#include "runtime/framework/module.hpp"

#include <boost/describe.hpp>

namespace bazaar::modules::transaction_payment {

using runtime::AccountId32;
using runtime::Balance;
using runtime::Weight;
using namespace runtime::framework;

struct FeeParams {
  Balance base_fee = 1'000'000'000;     ///< per extrinsic (0.001 CC)
  Balance byte_fee = 1'000'000;         ///< per encoded byte
  Balance weight_fee = 2'000'000;       ///< per 10^6 units of ref_time (per microsecond)
  friend bool operator==(const FeeParams&, const FeeParams&) = default;
};
BOOST_DESCRIBE_STRUCT(FeeParams, (), (base_fee, byte_fee, weight_fee))

using Params = StorageValue<"TransactionPayment", "FeeParams", FeeParams, ValueQuery, "The fee parameters.">;

using Call = NoCalls;

struct TransactionFeePaid {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "TransactionFeePaid";
  static constexpr std::string_view kDocs =
      "A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee, has been paid by `who`.";
  AccountId32 who;
  Balance actual_fee = 0;
  Balance tip = 0;
};
BOOST_DESCRIBE_STRUCT(TransactionFeePaid, (), (who, actual_fee, tip))
using Event = std::variant<TransactionFeePaid>;

enum class Error : uint8_t {};
BOOST_DESCRIBE_ENUM(Error)

struct GenesisConfig {
  FeeParams fees;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (fees))

struct Module {
  static constexpr uint8_t kIndex = 6;
  static constexpr std::string_view kName = "TransactionPayment";
  using Call = transaction_payment::Call;
  using Event = transaction_payment::Event;
  using Error = transaction_payment::Error;
  using Storage = std::tuple<Params>;
  using Constants = std::tuple<>;
  using GenesisConfig = transaction_payment::GenesisConfig;
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
};

/// The fee without tip for an extrinsic of `length` bytes and `weight`
/// (zero for Pays::No and Mandatory calls). Saturates instead of overflowing.
Balance compute_fee(const runtime::storage::StorageReader& state, uint32_t length, const Weight& weight,
                    DispatchClass dispatch_class, Pays pays);

}  // namespace bazaar::modules::transaction_payment
