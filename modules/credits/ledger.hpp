#pragma once
// Internal to the credits module (ledger.cpp and credits.cpp): the checks and
// the single write path behind the public API in credits.hpp.

#include "modules/credits/credits.hpp"
#include "modules/system/system.hpp"

namespace bazaar::modules::credits::detail {

/// pallet_balances' ExtraFlags::IS_NEW_LOGIC, set on every balance record.
inline constexpr Balance kNewLogicFlag = Balance{1} << 127;

DispatchError error(Error e);
DispatchError overflow();

/// Whether an account may be left with `new_free`: LiquidityRestrictions below its frozen amount;
/// Expendability below the ED when it must live (KeepAlive, holds, frozen funds or consumers).
DispatchResult check_reduce(const system::AccountInfo& info, Balance new_free, ExistenceRequirement requirement);
/// The free balance after taking `amount`: InsufficientBalance, then check_reduce's errors.
DispatchResultWith<Balance> check_withdraw(const system::AccountInfo& info, Balance amount,
                                           ExistenceRequirement requirement);
/// The free balance after adding `amount`: Arithmetic::Overflow, or ExistentialDeposit when the
/// account would hold less than the ED and nothing reserved.
DispatchResultWith<Balance> check_deposit(const system::AccountInfo& info, Balance amount);

/// Stores `after` as who's balance data and settles the consequences: System provider reference
/// (free >= ED; NewAccount + Endowed on creation), consumer reference (reserved > 0), and reaping
/// with the dust burned (TotalIssuance reduced, DustLost, KilledAccount) when free < ED and nothing
/// is reserved. Precondition: the check_* functions accepted the change.
void write_account(Context& ctx, const AccountId32& who, system::AccountData after);

Balance held_in(const Holds& holds, HoldReason reason);

}  // namespace bazaar::modules::credits::detail
