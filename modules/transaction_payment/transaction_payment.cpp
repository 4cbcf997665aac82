#include "modules/transaction_payment/transaction_payment.hpp"

#include "runtime/primitives/arithmetic.hpp"

namespace bazaar::modules::transaction_payment {

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  Params::put(state, config.fees);
}

using runtime::saturating_add;
using runtime::saturating_mul;

Balance compute_fee(const runtime::storage::StorageReader& state, uint32_t length, const Weight& weight,
                    DispatchClass dispatch_class, Pays pays) {
  if (pays == Pays::No || dispatch_class == DispatchClass::Mandatory) return 0;
  FeeParams p = Params::get(state);
  Balance fee = p.base_fee;
  fee = saturating_add(fee, saturating_mul(p.byte_fee, Balance{length}));
  fee = saturating_add(fee, saturating_mul(p.weight_fee, Balance{weight.ref_time}) / 1'000'000);
  return fee;
}

}  // namespace bazaar::modules::transaction_payment
