#include "modules/sudo/sudo.hpp"

#include "modules/composition/runtime.hpp"

namespace bazaar::modules::sudo {
namespace {

constexpr Weight kBase{10'000'000, 0};

DispatchResult ensure_sudo(const Context& ctx, const Origin& origin) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto key = Key::get(ctx.state());
  if (!key || *key != who) return module_error<Module>(Error::RequireSudo);
  return outcome::success();
}

DispatchResultValue to_value(const DispatchResult& r) {
  if (r) return {std::monostate{}};
  return {r.error()};
}

}  // namespace

Weight Sudo::weight() const { return kBase + composition::call_weight(*call); }
Weight SudoAs::weight() const { return kBase + composition::call_weight(*call); }

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  BAZAAR_TRY(ensure_sudo(ctx, origin));
  return std::visit(
      [&](const auto& c) -> DispatchResult {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, Sudo>) {
          // The inner call's failure is reported in the event; the sudo call itself succeeds (pallet_sudo).
          auto r = composition::dispatch_transactional(ctx, Origin::root(), *c.call);
          deposit_event<Module>(ctx, Sudid{to_value(r)});
        } else if constexpr (std::is_same_v<T, SudoAs>) {
          BAZAAR_TRY(auto who, composition::lookup(c.who));
          auto r = composition::dispatch_transactional(ctx, Origin::signed_by(who), *c.call);
          deposit_event<Module>(ctx, SudoAsDone{to_value(r)});
        } else if constexpr (std::is_same_v<T, SetKey>) {
          BAZAAR_TRY(auto new_key, composition::lookup(c.new_));
          auto old = Key::get(ctx.state());
          Key::put(ctx.state(), new_key);
          deposit_event<Module>(ctx, KeyChanged{old, new_key});
        } else {
          Key::kill(ctx.state());
          deposit_event<Module>(ctx, KeyRemoved{});
        }
        return outcome::success();
      },
      call);
}

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  if (config.key) Key::put(state, *config.key);
}

}  // namespace bazaar::modules::sudo
