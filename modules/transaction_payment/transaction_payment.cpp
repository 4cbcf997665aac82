#include "modules/transaction_payment/transaction_payment.hpp"

namespace bazaar::modules::transaction_payment {
namespace {
Balance saturating_add(Balance a, Balance b) { return a > ~Balance{0} - b ? ~Balance{0} : a + b; }
Balance saturating_mul(Balance a, Balance b) {
  if (a != 0 && b > ~Balance{0} / a) return ~Balance{0};
  return a * b;
}
}  // namespace

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  Params::put(state, config.fees);
}

Balance compute_fee(const runtime::storage::StorageReader& state, uint32_t length, const Weight& weight,
                    DispatchClass dispatch_class, Pays pays) {
  if (pays == Pays::No || dispatch_class == DispatchClass::Mandatory) return 0;
  FeeParams p = Params::get(state);
  Balance fee = p.base_fee;
  fee = saturating_add(fee, saturating_mul(p.byte_fee, length));
  fee = saturating_add(fee, saturating_mul(p.weight_fee, weight.ref_time) / 1'000'000);
  return fee;
}

}  // namespace bazaar::modules::transaction_payment
