// The TaskQueue module's dispatch, genesis and on_initialize. The calls live
// in programs.cpp, providers.cpp and tasks.cpp.

#include "modules/task_queue/task_queue.hpp"

#include "modules/task_queue/handlers.hpp"

#include <string>

namespace bazaar::modules::task_queue {

namespace detail {
DispatchError error(Error e) { return module_error<Module>(e); }
DispatchError overflow() { return DispatchError::arithmetic(ArithmeticError::Overflow); }
}  // namespace detail

Balance permill_of(Balance amount, Permill parts) {
  // (q * 10^6 + r) * p / 10^6 = q * p + r * p / 10^6, and neither term overflows for p <= 10^6.
  if (parts >= kPermillOne) return amount;
  const Balance q = amount / kPermillOne;
  const Balance r = amount % kPermillOne;
  return q * parts + r * parts / kPermillOne;
}

Params params(const runtime::storage::StorageReader& state) { return ParamsItem::get(state); }

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  return std::visit([&](const auto& c) { return detail::handle(ctx, origin, c); }, call);
}

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  ParamsItem::put(state, config.params);
}

json::JsonResult Module::validate_genesis(const GenesisConfig& config) {
  const Params& p = config.params;
  auto fail = [](std::string_view field, std::string_view why) {
    return "params." + std::string(field) + ": " + std::string(why);
  };
  if (p.protocol_fee > kPermillOne) return fail("protocolFee", "above 1000000 (100%)");
  if (p.slash_fraction > kPermillOne) return fail("slashFraction", "above 1000000 (100%)");
  if (p.acceptance_window == 0) return fail("acceptanceWindow", "must be at least 1 block");
  if (p.claim_timeout == 0) return fail("claimTimeout", "must be at least 1 block");
  if (p.max_fuel == 0) return fail("maxFuel", "must be at least 1");
  if (p.max_program_bytes == 0) return fail("maxProgramBytes", "must be at least 1");
  if (p.max_input_bytes == 0) return fail("maxInputBytes", "must be at least 1");
  if (p.max_output_bytes == 0) return fail("maxOutputBytes", "must be at least 1");
  return outcome::success();
}

void on_initialize(Context& ctx, BlockNumber now) {
  detail::release_unbonded(ctx, now);
  detail::process_due_tasks(ctx, now);
}

}  // namespace bazaar::modules::task_queue
