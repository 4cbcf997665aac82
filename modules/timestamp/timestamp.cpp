#include "modules/timestamp/timestamp.hpp"

namespace bazaar::modules::timestamp {

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  const Set& set = std::get<Set>(call);
  BAZAAR_TRY(ensure_none(origin));
  auto& s = ctx.state();
  if (DidUpdate::get(s)) return module_error<Module>(Error::AlreadyUpdated);
  Moment previous = Now::get(s);
  if (previous != 0 && set.now.value < previous + MinimumPeriod::get(s)) return module_error<Module>(Error::TooEarly);
  Now::put(s, set.now.value);
  DidUpdate::put(s, true);
  return outcome::success();
}

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  MinimumPeriod::put(state, config.minimum_period_ms);
}

DispatchResult on_finalize(Context& ctx) {
  if (!DidUpdate::get(ctx.state())) return module_error<Module>(Error::Missing);
  DidUpdate::kill(ctx.state());
  return outcome::success();
}

}  // namespace bazaar::modules::timestamp
