#include "modules/aura/aura.hpp"

namespace bazaar::modules::aura {

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  Authorities::put(state, config.authorities);
  SlotDuration::put(state, config.slot_duration_ms);
}

std::optional<uint64_t> find_slot(const runtime::Digest& digest) {
  for (const auto& item : digest.logs) {
    if (const auto* pre = std::get_if<runtime::DigestPreRuntime>(&item)) {
      if (pre->engine == kEngineId) {
        auto slot = runtime::codec::decode<uint64_t>(pre->data);
        if (slot) return slot.value();
      }
    }
  }
  return std::nullopt;
}

DispatchResult on_initialize(Context& ctx, const runtime::Digest& digest) {
  auto slot = find_slot(digest);
  if (!slot) return module_error<Module>(Error::MissingSlot);
  if (Authorities::get(ctx.state()).empty()) return module_error<Module>(Error::NoAuthorities);
  if (*slot <= CurrentSlot::get(ctx.state()) && ctx.block_number() > 1)
    return module_error<Module>(Error::SlotNotIncreasing);
  CurrentSlot::put(ctx.state(), *slot);
  return outcome::success();
}

DispatchResult check_timestamp(const runtime::storage::StorageReader& state, runtime::Moment now) {
  uint64_t duration = SlotDuration::get(state);
  if (duration != 0 && now / duration != CurrentSlot::get(state)) return module_error<Module>(Error::TimestampNotInSlot);
  return outcome::success();
}

std::optional<AccountId32> author(const runtime::storage::StorageReader& state) {
  auto authorities = Authorities::get(state);
  if (authorities.empty()) return std::nullopt;
  return runtime::crypto::account_from_public(authorities[CurrentSlot::get(state) % authorities.size()]);
}

}  // namespace bazaar::modules::aura
