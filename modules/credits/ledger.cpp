// The credits module's money-moving API: every change to a balance goes
// through write_account(), which keeps System's reference counts, the
// existential-deposit rule and the dust burn in one place. Each function
// validates everything first and writes only once nothing can fail, so a
// failed call leaves the state untouched even without a storage layer.

#include "modules/credits/credits.hpp"

#include "modules/credits/ledger.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace bazaar::modules::credits {

using runtime::storage::StorageReader;
using system::AccountData;
using system::AccountInfo;

namespace detail {

DispatchError error(Error e) { return module_error<Module>(e); }
DispatchError overflow() { return DispatchError::arithmetic(ArithmeticError::Overflow); }

DispatchResult check_reduce(const AccountInfo& info, Balance new_free, ExistenceRequirement requirement) {
  if (new_free < info.data.frozen) return error(Error::LiquidityRestrictions);
  if (new_free < kExistentialDeposit) {
    const bool must_live = requirement == ExistenceRequirement::KeepAlive || info.data.reserved > 0 ||
                           info.data.frozen > 0 || info.consumers > 0;
    if (must_live) return error(Error::Expendability);
  }
  return outcome::success();
}

DispatchResultWith<Balance> check_withdraw(const AccountInfo& info, Balance amount, ExistenceRequirement requirement) {
  if (amount > info.data.free) return error(Error::InsufficientBalance);
  const Balance new_free = info.data.free - amount;
  BAZAAR_TRY(check_reduce(info, new_free, requirement));
  return new_free;
}

DispatchResultWith<Balance> check_deposit(const AccountInfo& info, Balance amount) {
  if (amount > std::numeric_limits<Balance>::max() - info.data.free) return overflow();
  const Balance new_free = info.data.free + amount;
  if (new_free < kExistentialDeposit && info.data.reserved == 0) return error(Error::ExistentialDeposit);
  return new_free;
}

void write_account(Context& ctx, const AccountId32& who, AccountData after) {
  auto& s = ctx.state();
  auto [existed, info] = system::Account::get_entry(s, who);
  const AccountData before = info.data;

  Balance dust = 0;
  if (after.free < kExistentialDeposit && after.reserved == 0) {
    dust = after.free;
    after.free = 0;
  }
  const bool did_provide = existed && before.free >= kExistentialDeposit;
  const bool does_provide = after.free >= kExistentialDeposit;
  const bool did_consume = before.reserved > 0;
  const bool does_consume = after.reserved > 0;
  if (!existed && !does_provide && !does_consume) {
    assert(dust == 0);  // callers never create an account below the ED
    return;
  }

  after.flags = kNewLogicFlag;
  info.data = after;
  system::Account::put(s, who, info);
  if (!did_provide && does_provide) {
    system::inc_providers(ctx, who);
    if (!existed) deposit_event<Module>(ctx, Endowed{who, after.free});
  }
  if (!did_consume && does_consume) system::inc_consumers(ctx, who);
  if (did_consume && !does_consume) system::dec_consumers(ctx, who);
  if (dust > 0) {
    TotalIssuance::mutate(s, [&](Balance& v) { v -= dust; });
    deposit_event<Module>(ctx, DustLost{who, dust});
  }
  if (did_provide && !does_provide) {
    [[maybe_unused]] auto r = system::dec_providers(ctx, who);
    assert(r);  // check_reduce refused reaping an account with consumers
  }
}

Balance held_in(const Holds& holds, HoldReason reason) {
  for (const auto& h : holds.items)
    if (h.id == reason) return h.amount;
  return 0;
}

}  // namespace detail

using namespace detail;

namespace {

void set_held(Holds& holds, HoldReason reason, Balance amount) {
  auto& items = holds.items;
  auto it = std::find_if(items.begin(), items.end(), [&](const IdAmount& h) { return h.id == reason; });
  if (it == items.end()) {
    if (amount > 0) items.push_back({reason, amount});
  } else if (amount > 0) {
    it->amount = amount;
  } else {
    items.erase(it);
  }
}

void put_holds(runtime::storage::Overlay& s, const AccountId32& who, const Holds& holds) {
  if (holds.items.empty()) {
    HoldsOf::remove(s, who);
  } else {
    HoldsOf::put(s, who, holds);
  }
}

}  // namespace

DispatchResultWith<AccountId32> lookup(const MultiAddress& address) {
  if (const auto* id = std::get_if<runtime::MultiAddressId>(&address)) return id->account;
  return DispatchError{dispatch_error::CannotLookup{}};
}

AccountId32 treasury_account() {
  static constexpr std::string_view kId = "modlbz/trsry";
  AccountId32 a;
  std::copy(kId.begin(), kId.end(), a.bytes.begin());
  return a;
}

Balance free_balance(const StorageReader& state, const AccountId32& who) {
  return system::Account::get(state, who).data.free;
}

Balance reserved_balance(const StorageReader& state, const AccountId32& who) {
  return system::Account::get(state, who).data.reserved;
}

Balance total_issuance(const StorageReader& state) { return TotalIssuance::get(state); }

Balance held(const StorageReader& state, HoldReason reason, const AccountId32& who) {
  return held_in(HoldsOf::get(state, who), reason);
}

DispatchResult transfer(Context& ctx, const AccountId32& from, const AccountId32& to, Balance value,
                        ExistenceRequirement requirement) {
  if (value == 0 || from == to) return outcome::success();
  auto& s = ctx.state();
  AccountInfo source = system::Account::get(s, from);
  AccountInfo dest = system::Account::get(s, to);
  BAZAAR_TRY(auto source_free, check_withdraw(source, value, requirement));
  BAZAAR_TRY(auto dest_free, check_deposit(dest, value));
  source.data.free = source_free;
  dest.data.free = dest_free;
  write_account(ctx, from, source.data);
  write_account(ctx, to, dest.data);
  deposit_event<Module>(ctx, Transfer{from, to, value});
  return outcome::success();
}

DispatchResult hold(Context& ctx, HoldReason reason, const AccountId32& who, Balance amount) {
  if (amount == 0) return outcome::success();
  auto& s = ctx.state();
  AccountInfo info = system::Account::get(s, who);
  // A hold keeps the account alive: at least the ED stays free.
  BAZAAR_TRY(auto new_free, check_withdraw(info, amount, ExistenceRequirement::KeepAlive));
  Holds holds = HoldsOf::get(s, who);
  const Balance current = held_in(holds, reason);
  if (current == 0 && holds.items.size() >= kMaxHolds) return error(Error::TooManyHolds);
  if (amount > std::numeric_limits<Balance>::max() - info.data.reserved) return overflow();
  set_held(holds, reason, current + amount);
  info.data.free = new_free;
  info.data.reserved += amount;
  put_holds(s, who, holds);
  write_account(ctx, who, info.data);
  deposit_event<Module>(ctx, Held{reason, who, amount});
  return outcome::success();
}

DispatchResult release(Context& ctx, HoldReason reason, const AccountId32& from, Balance amount) {
  if (amount == 0) return outcome::success();
  auto& s = ctx.state();
  Holds holds = HoldsOf::get(s, from);
  const Balance current = held_in(holds, reason);
  if (amount > current) return error(Error::InsufficientHeld);
  AccountInfo info = system::Account::get(s, from);
  set_held(holds, reason, current - amount);
  info.data.reserved -= amount;
  info.data.free += amount;  // free + reserved is bounded by TotalIssuance
  put_holds(s, from, holds);
  write_account(ctx, from, info.data);
  deposit_event<Module>(ctx, Released{reason, from, amount});
  return outcome::success();
}

namespace {
/// Pays `amount` of `from`'s hold for `reason` into `to`'s free balance, after the checks.
DispatchResult pay_from_hold(Context& ctx, HoldReason reason, const AccountId32& from, const AccountId32& to,
                             Balance amount) {
  auto& s = ctx.state();
  Holds holds = HoldsOf::get(s, from);
  const Balance current = held_in(holds, reason);
  if (amount > current) return error(Error::InsufficientHeld);
  if (!system::Account::contains(s, to)) return error(Error::DeadAccount);
  AccountInfo dest = system::Account::get(s, to);
  if (amount > std::numeric_limits<Balance>::max() - dest.data.free) return overflow();
  AccountInfo source = system::Account::get(s, from);
  set_held(holds, reason, current - amount);
  source.data.reserved -= amount;
  put_holds(s, from, holds);
  write_account(ctx, from, source.data);
  dest.data.free += amount;
  write_account(ctx, to, dest.data);
  return outcome::success();
}
}  // namespace

DispatchResult transfer_on_hold(Context& ctx, HoldReason reason, const AccountId32& from, const AccountId32& to,
                                Balance amount) {
  if (amount == 0) return outcome::success();
  if (from == to) return release(ctx, reason, from, amount);
  BAZAAR_TRY(pay_from_hold(ctx, reason, from, to, amount));
  deposit_event<Module>(ctx, TransferOnHold{reason, from, to, amount});
  return outcome::success();
}

DispatchResultWith<Balance> slash_held(Context& ctx, HoldReason reason, const AccountId32& who, Balance max,
                                       const AccountId32& beneficiary) {
  const Balance amount = std::min(max, held(ctx.state(), reason, who));
  if (amount == 0) return Balance{0};
  if (beneficiary == who) {
    BAZAAR_TRY(release(ctx, reason, who, amount));
    return amount;
  }
  BAZAAR_TRY(pay_from_hold(ctx, reason, who, beneficiary, amount));
  deposit_event<Module>(ctx, Slashed{who, amount, reason, beneficiary});
  return amount;
}

DispatchResult mint(Context& ctx, const AccountId32& who, Balance amount) {
  if (amount == 0) return outcome::success();
  auto& s = ctx.state();
  const Balance issuance = TotalIssuance::get(s);
  if (amount > std::numeric_limits<Balance>::max() - issuance) return overflow();
  AccountInfo info = system::Account::get(s, who);
  BAZAAR_TRY(auto new_free, check_deposit(info, amount));
  info.data.free = new_free;
  write_account(ctx, who, info.data);
  TotalIssuance::put(s, issuance + amount);
  deposit_event<Module>(ctx, Minted{who, amount});
  return outcome::success();
}

namespace {
/// Takes `amount` out of `who`'s free balance and out of TotalIssuance, keeping the account alive.
DispatchResult withdraw_from_circulation(Context& ctx, const AccountId32& who, Balance amount) {
  auto& s = ctx.state();
  AccountInfo info = system::Account::get(s, who);
  BAZAAR_TRY(auto new_free, check_withdraw(info, amount, ExistenceRequirement::KeepAlive));
  info.data.free = new_free;
  write_account(ctx, who, info.data);
  TotalIssuance::mutate(s, [&](Balance& v) { v -= amount; });
  return outcome::success();
}
}  // namespace

DispatchResult burn(Context& ctx, const AccountId32& who, Balance amount) {
  if (amount == 0) return outcome::success();
  BAZAAR_TRY(withdraw_from_circulation(ctx, who, amount));
  deposit_event<Module>(ctx, Burned{who, amount});
  return outcome::success();
}

bool can_withdraw_fee(const StorageReader& state, const AccountId32& who, Balance fee) {
  if (fee == 0) return true;
  return check_withdraw(system::Account::get(state, who), fee, ExistenceRequirement::KeepAlive).has_value();
}

DispatchResult withdraw_fee(Context& ctx, const AccountId32& who, Balance fee) {
  if (fee == 0) return outcome::success();
  BAZAAR_TRY(withdraw_from_circulation(ctx, who, fee));
  deposit_event<Module>(ctx, Withdraw{who, fee});
  return outcome::success();
}

void deposit_fee(Context& ctx, const AccountId32& author, Balance fee) {
  if (fee == 0) return;
  auto& s = ctx.state();
  AccountInfo info = system::Account::get(s, author);
  auto new_free = check_deposit(info, fee);
  if (!new_free) {
    deposit_event<Module>(ctx, Burned{author, fee});
    return;
  }
  info.data.free = new_free.value();
  write_account(ctx, author, info.data);
  TotalIssuance::mutate(s, [&](Balance& v) { v += fee; });
  deposit_event<Module>(ctx, Deposit{author, fee});
}

}  // namespace bazaar::modules::credits
