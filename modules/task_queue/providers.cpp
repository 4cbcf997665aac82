// Provider registration, updates, unregistration and the unbonding release.
// A registered provider's account holds its stake (ProviderStake) and one
// System consumer reference, so it cannot be reaped while registered.

#include "modules/task_queue/handlers.hpp"

#include "modules/system/system.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace bazaar::modules::task_queue::detail {
namespace {

using credits::HoldReason;

/// Releases the whole stake, removes the record and the consumer reference.
void finish_unregister(Context& ctx, const AccountId32& who, const Provider& provider) {
  auto& s = ctx.state();
  // The stake equals the ProviderStake hold; min() keeps this infallible even if that ever broke.
  const Balance stake = std::min(provider.stake, credits::held(s, HoldReason::ProviderStake, who));
  [[maybe_unused]] auto r = credits::release(ctx, HoldReason::ProviderStake, who, stake);
  Providers::remove(s, who);
  system::dec_consumers(ctx, who);
  deposit_event<Module>(ctx, ProviderUnregistered{who, stake, ctx.block_number()});
}

DispatchResultWith<Provider> active_provider(const runtime::storage::StorageReader& s, const AccountId32& who) {
  auto provider = Providers::get(s, who);
  if (!provider) return error(Error::NotRegistered);
  if (provider->status != ProviderStatus::Active) return error(Error::ProviderNotActive);
  return *provider;
}

}  // namespace

DispatchResult handle(Context& ctx, const Origin& origin, const RegisterProvider& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  if (Providers::contains(s, who)) return error(Error::AlreadyRegistered);
  if (call.stake.value < params(s).minimum_stake) return error(Error::StakeTooLow);
  // The consumer reference below needs an existing account (FRAME: NoProviders).
  if (system::Account::get(s, who).providers == 0) return DispatchError{dispatch_error::NoProviders{}};
  BAZAAR_TRY(credits::hold(ctx, HoldReason::ProviderStake, who, call.stake.value));
  system::inc_consumers(ctx, who);
  Provider provider;
  provider.stake = call.stake.value;
  provider.price_per_task = call.price_per_task.value;
  provider.capabilities = call.capabilities;
  provider.endpoint = call.endpoint;
  provider.registered_at = ctx.block_number();
  Providers::put(s, who, provider);
  deposit_event<Module>(ctx, ProviderRegistered{who, provider.stake, provider.price_per_task, ctx.block_number()});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const UpdateProvider& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto provider, active_provider(s, who));
  const Balance top_up = call.stake_top_up ? call.stake_top_up->value : 0;
  if (top_up > std::numeric_limits<Balance>::max() - provider.stake) return overflow();
  BAZAAR_TRY(credits::hold(ctx, HoldReason::ProviderStake, who, top_up));
  provider.stake += top_up;
  provider.price_per_task = call.price_per_task.value;
  provider.capabilities = call.capabilities;
  provider.endpoint = call.endpoint;
  Providers::put(s, who, provider);
  deposit_event<Module>(ctx, ProviderUpdated{who, provider.stake, provider.price_per_task, ctx.block_number()});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const UnregisterProvider&) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto provider, active_provider(s, who));
  if (provider.stats.in_flight > 0) return error(Error::TasksInFlight);
  const BlockNumber now = ctx.block_number();
  const BlockNumber period = params(s).unbonding_period;
  const BlockNumber release_at =
      period > std::numeric_limits<BlockNumber>::max() - now ? std::numeric_limits<BlockNumber>::max() : now + period;
  deposit_event<Module>(ctx, ProviderUnbonding{who, provider.stake, release_at, now});
  if (release_at == now) {
    finish_unregister(ctx, who, provider);
    return outcome::success();
  }
  provider.status = ProviderStatus::Unbonding;
  provider.unbonding_until = release_at;
  Providers::put(s, who, provider);
  Unbonding::put(s, release_at, who, provider.stake);
  return outcome::success();
}

void release_unbonded(Context& ctx, BlockNumber now) {
  auto& s = ctx.state();
  std::vector<AccountId32> due;
  Unbonding::for_each_in(s, now, [&](const AccountId32& who, const Balance&) {
    due.push_back(who);
    return true;
  });
  Unbonding::remove_prefix(s, now);
  for (const auto& who : due) {
    auto provider = Providers::get(s, who);
    if (provider && provider->status == ProviderStatus::Unbonding && provider->unbonding_until == now)
      finish_unregister(ctx, who, *provider);
  }
}

}  // namespace bazaar::modules::task_queue::detail
