// The credits module's calls, dispatch and genesis. The money movements
// themselves live in ledger.cpp.

#include "modules/credits/credits.hpp"

#include "modules/credits/ledger.hpp"

#include <limits>
#include <set>

namespace bazaar::modules::credits {
namespace {

using detail::error;
using detail::overflow;
using system::AccountInfo;

DispatchResult handle(Context& ctx, const Origin& origin, const TransferAllowDeath& call) {
  BAZAAR_TRY(auto from, ensure_signed(origin));
  BAZAAR_TRY(auto to, lookup(call.dest));
  return transfer(ctx, from, to, call.value.value, ExistenceRequirement::AllowDeath);
}

DispatchResult handle(Context& ctx, const Origin& origin, const ForceTransfer& call) {
  BAZAAR_TRY(ensure_root(origin));
  BAZAAR_TRY(auto from, lookup(call.source));
  BAZAAR_TRY(auto to, lookup(call.dest));
  return transfer(ctx, from, to, call.value.value, ExistenceRequirement::AllowDeath);
}

DispatchResult handle(Context& ctx, const Origin& origin, const TransferKeepAlive& call) {
  BAZAAR_TRY(auto from, ensure_signed(origin));
  BAZAAR_TRY(auto to, lookup(call.dest));
  return transfer(ctx, from, to, call.value.value, ExistenceRequirement::KeepAlive);
}

DispatchResult handle(Context& ctx, const Origin& origin, const TransferAll& call) {
  BAZAAR_TRY(auto from, ensure_signed(origin));
  BAZAAR_TRY(auto to, lookup(call.dest));
  const AccountInfo info = system::Account::get(ctx.state(), from);
  const auto& d = info.data;
  // An account that may not be reaped keeps max(frozen, ED); otherwise everything goes.
  const bool keep = call.keep_alive || d.reserved > 0 || d.frozen > 0 || info.consumers > 0;
  const Balance keep_back = keep ? std::max(d.frozen, kExistentialDeposit) : 0;
  const Balance amount = d.free > keep_back ? d.free - keep_back : 0;
  return transfer(ctx, from, to, amount, keep ? ExistenceRequirement::KeepAlive : ExistenceRequirement::AllowDeath);
}

DispatchResult handle(Context& ctx, const Origin& origin, const ForceSetBalance& call) {
  BAZAAR_TRY(ensure_root(origin));
  BAZAAR_TRY(auto who, lookup(call.who));
  auto& s = ctx.state();
  AccountInfo info = system::Account::get(s, who);
  const Balance new_free = call.new_free.value < kExistentialDeposit ? 0 : call.new_free.value;
  if (new_free == 0 && info.consumers > 0) return error(Error::Expendability);
  const Balance old_free = info.data.free;
  Balance issuance = TotalIssuance::get(s);
  if (new_free > old_free) {
    if (new_free - old_free > std::numeric_limits<Balance>::max() - issuance) return overflow();
    issuance += new_free - old_free;
  } else {
    issuance -= old_free - new_free;
  }
  info.data.free = new_free;
  detail::write_account(ctx, who, info.data);
  TotalIssuance::put(s, issuance);
  deposit_event<Module>(ctx, BalanceSet{who, new_free});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const RecordDebt& call) {
  BAZAAR_TRY(auto debtor, ensure_signed(origin));
  BAZAAR_TRY(auto creditor, lookup(call.creditor));
  const Balance amount = call.amount.value;
  if (amount == 0) return error(Error::ZeroAmount);
  if (debtor == creditor) return error(Error::SelfDebt);
  auto& s = ctx.state();
  const Balance debt = Debts::get(s, debtor, creditor).value_or(0);
  NetPosition debtor_net = NetPositions::get(s, debtor);
  NetPosition creditor_net = NetPositions::get(s, creditor);
  constexpr Balance kMax = std::numeric_limits<Balance>::max();
  // The debt is part of both totals, so checking the totals covers it.
  if (amount > kMax - debtor_net.owed_to_others || amount > kMax - creditor_net.owed_by_others) return overflow();
  debtor_net.owed_to_others += amount;
  creditor_net.owed_by_others += amount;
  Debts::put(s, debtor, creditor, debt + amount);
  NetPositions::put(s, debtor, debtor_net);
  NetPositions::put(s, creditor, creditor_net);
  deposit_event<Module>(ctx, DebtRecorded{debtor, creditor, amount, debt + amount});
  return outcome::success();
}

void put_net(runtime::storage::Overlay& s, const AccountId32& who, const NetPosition& net) {
  if (net == NetPosition{}) {
    NetPositions::remove(s, who);
  } else {
    NetPositions::put(s, who, net);
  }
}

DispatchResult handle(Context& ctx, const Origin& origin, const SettleDebt& call) {
  BAZAAR_TRY(auto debtor, ensure_signed(origin));
  BAZAAR_TRY(auto creditor, lookup(call.creditor));
  const Balance amount = call.amount.value;
  if (amount == 0) return error(Error::ZeroAmount);
  auto& s = ctx.state();
  const auto debt = Debts::get(s, debtor, creditor);
  if (!debt) return error(Error::DebtNotFound);
  if (amount > *debt) return error(Error::SettleExceedsDebt);
  BAZAAR_TRY(transfer(ctx, debtor, creditor, amount, ExistenceRequirement::KeepAlive));
  const Balance outstanding = *debt - amount;
  if (outstanding == 0) {
    Debts::remove(s, debtor, creditor);
  } else {
    Debts::put(s, debtor, creditor, outstanding);
  }
  NetPosition debtor_net = NetPositions::get(s, debtor);
  NetPosition creditor_net = NetPositions::get(s, creditor);
  debtor_net.owed_to_others -= amount;
  creditor_net.owed_by_others -= amount;
  put_net(s, debtor, debtor_net);
  put_net(s, creditor, creditor_net);
  deposit_event<Module>(ctx, DebtSettled{debtor, creditor, amount, outstanding});
  return outcome::success();
}

}  // namespace

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  return std::visit([&](const auto& c) { return handle(ctx, origin, c); }, call);
}

void Module::build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config) {
  Balance minted = 0;
  auto endow = [&](const AccountId32& who, Balance amount) {
    system::Account::mutate(state, who, [&](AccountInfo& a) {
      if (a.data.free < kExistentialDeposit && a.data.free + amount >= kExistentialDeposit) ++a.providers;
      a.data.free += amount;
      a.data.flags = detail::kNewLogicFlag;
    });
    minted += amount;
  };
  for (const auto& [who, amount] : config.balances) {
    if (amount >= kExistentialDeposit) endow(who, amount);
  }
  const AccountId32 treasury = treasury_account();
  const Balance treasury_free = free_balance(state, treasury);
  if (treasury_free < kExistentialDeposit) endow(treasury, kExistentialDeposit - treasury_free);
  TotalIssuance::put(state, TotalIssuance::get(state) + minted);
}

json::JsonResult Module::validate_genesis(const GenesisConfig& config) {
  std::set<AccountId32> seen;
  // Leave room for the treasury's top-up.
  Balance total = kExistentialDeposit;
  for (std::size_t i = 0; i < config.balances.size(); ++i) {
    const auto& [who, amount] = config.balances[i];
    const std::string path = "balances[" + std::to_string(i) + "]";
    if (!seen.insert(who).second) return path + "[0]: account listed twice";
    if (amount < kExistentialDeposit)
      return path + "[1]: below the existential deposit (" + runtime::u128_to_string(kExistentialDeposit) + ")";
    if (amount > std::numeric_limits<Balance>::max() - total) return path + "[1]: total issuance overflows u128";
    total += amount;
  }
  return outcome::success();
}

}  // namespace bazaar::modules::credits
