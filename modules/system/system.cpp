#include "modules/system/system.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::modules::system {
namespace {

DispatchResult remark(Context&, const Origin& origin, const Remark&) {
  BAZAAR_TRY(ensure_signed(origin));
  return outcome::success();
}

DispatchResult remark_with_event(Context& ctx, const Origin& origin, const RemarkWithEvent& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  deposit_event<Module>(ctx, Remarked{who, runtime::crypto::blake2b_256(call.remark)});
  return outcome::success();
}

}  // namespace

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  return std::visit(
      [&](const auto& c) -> DispatchResult {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, Remark>) return remark(ctx, origin, c);
        else return remark_with_event(ctx, origin, c);
      },
      call);
}

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig&) {
  Number::put(state, 0);
}

void initialize_block(Context& ctx, BlockNumber number, const H256& parent_hash) {
  auto& s = ctx.state();
  Number::put(s, number);
  ParentHash::put(s, parent_hash);
  if (number > 0) BlockHash::put(s, number - 1, parent_hash);
  if (number > kBlockHashCount + 1) BlockHash::remove(s, number - kBlockHashCount - 1);
  Events::kill(s);
  EventCount::kill(s);
}

void finalize_block(Context& ctx) {
  ExtrinsicCount::kill(ctx.state());
  AllExtrinsicsLen::kill(ctx.state());
}

Nonce account_nonce(const runtime::storage::StorageReader& state, const AccountId32& who) {
  return Account::get(state, who).nonce;
}

void inc_account_nonce(Context& ctx, const AccountId32& who) {
  Account::mutate(ctx.state(), who, [](AccountInfo& a) { ++a.nonce; });
}

void inc_providers(Context& ctx, const AccountId32& who) {
  bool created = Account::mutate(ctx.state(), who, [](AccountInfo& a) { return a.providers++ == 0 && a.sufficients == 0; });
  if (created) deposit_event<Module>(ctx, NewAccount{who});
}

DispatchResult dec_providers(Context& ctx, const AccountId32& who) {
  auto info = Account::get(ctx.state(), who);
  if (info.providers == 0) return outcome::success();
  if (info.providers == 1 && info.sufficients == 0) {
    if (info.consumers > 0) return module_error<Module>(Error::NonZeroRefCount);
    Account::remove(ctx.state(), who);
    deposit_event<Module>(ctx, KilledAccount{who});
    return outcome::success();
  }
  --info.providers;
  Account::put(ctx.state(), who, info);
  return outcome::success();
}

void inc_consumers(Context& ctx, const AccountId32& who) {
  Account::mutate(ctx.state(), who, [](AccountInfo& a) { ++a.consumers; });
}

void dec_consumers(Context& ctx, const AccountId32& who) {
  Account::mutate(ctx.state(), who, [](AccountInfo& a) {
    if (a.consumers > 0) --a.consumers;
  });
}

}  // namespace bazaar::modules::system
