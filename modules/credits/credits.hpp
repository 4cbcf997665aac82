#pragma once
// The Credits module (index 4), after pallet_balances: the only place where
// money (CC, in base units; 1 CC = 10^12) moves. Balances live in
// System.Account's data (free / reserved / frozen / flags); this module keeps
// TotalIssuance, the named holds that make up `reserved`, and the IOU ledger.
//
// Accounts and the existential deposit (ED):
//   - the module gives an account a provider reference while free >= ED and a
//     consumer reference while reserved > 0 (a hold keeps the account alive);
//   - an account whose free balance falls below ED with nothing reserved is
//     reaped: its remaining "dust" is burned (TotalIssuance reduced, DustLost).
//     Dust is the ONLY implicit burn; every other issuance change is explicit
//     (mint, burn, force_set_balance, an unpaid fee) and has its own event;
//   - an account with holds, frozen funds or other consumers is never reaped:
//     a withdrawal that would take it below ED fails with Expendability.
//
// Invariant checked by the tests after every scenario:
//   TotalIssuance == sum over accounts of (free + reserved), and
//   reserved == sum of the account's Holds.

#include "runtime/framework/json.hpp"
#include "runtime/framework/module.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <boost/describe.hpp>

#include <tuple>
#include <vector>

namespace bazaar::modules::credits {

using runtime::AccountId32;
using runtime::Balance;
using runtime::BlockNumber;
using runtime::BoundedVec;
using runtime::Compact;
using runtime::MultiAddress;
using runtime::Weight;
using namespace runtime::framework;

/// Why funds are held (FRAME's RuntimeHoldReason). Values are SCALE indices; add new reasons at the end.
enum class HoldReason : uint8_t {
  ProviderStake = 0,   ///< a compute provider's stake (task_queue)
  TaskEscrow = 1,      ///< a posted task's bounty (task_queue)
  ProgramDeposit = 2,  ///< the storage deposit of an uploaded program (task_queue)
  ChannelDeposit = 3,  ///< a party's deposit in a payment channel (payment_channel)
};
BOOST_DESCRIBE_ENUM(HoldReason, ProviderStake, TaskEscrow, ProgramDeposit, ChannelDeposit)

/// frame_support::traits::tokens::misc::IdAmount: one hold.
struct IdAmount {
  HoldReason id = HoldReason::ProviderStake;
  Balance amount = 0;
  friend bool operator==(const IdAmount&, const IdAmount&) = default;
};
BOOST_DESCRIBE_STRUCT(IdAmount, (), (id, amount))

/// The IOU ledger's totals for one account.
struct NetPosition {
  Balance owed_to_others = 0;  ///< sum of this account's recorded debts
  Balance owed_by_others = 0;  ///< sum of the debts others recorded towards it
  friend bool operator==(const NetPosition&, const NetPosition&) = default;
};
BOOST_DESCRIBE_STRUCT(NetPosition, (), (owed_to_others, owed_by_others))

// ---- constants ----
/// 0.01 CC.
inline constexpr Balance kExistentialDeposit = 10'000'000'000;
/// At most this many distinct holds per account (room for new HoldReasons).
inline constexpr uint32_t kMaxHolds = 8;
using ExistentialDeposit =
    ConstantDecl<"ExistentialDeposit", Balance, kExistentialDeposit,
                 "The minimum free balance an account needs to exist (base units; 10^12 = 1 CC).">;
using MaxHolds = ConstantDecl<"MaxHolds", uint32_t, kMaxHolds, "The maximum number of holds on one account.">;

// ---- storage ----
using Holds = BoundedVec<IdAmount, kMaxHolds>;
using TotalIssuance = StorageValue<"Credits", "TotalIssuance", Balance, ValueQuery,
                                   "The total units of CC in existence (free + reserved over all accounts).">;
using HoldsOf = StorageMap<"Credits", "Holds", Hasher::Blake2_128Concat, AccountId32, Holds, ValueQuery,
                           "Holds on account balances, one entry per reason; their sum is the account's reserved.">;
using Debts = StorageDoubleMap<"Credits", "Debts", Hasher::Blake2_128Concat, AccountId32, Hasher::Blake2_128Concat,
                               AccountId32, Balance, OptionQuery,
                               "IOU ledger: (debtor, creditor) -> amount the debtor still owes the creditor.">;
using NetPositions = StorageMap<"Credits", "NetPositions", Hasher::Blake2_128Concat, AccountId32, NetPosition,
                                ValueQuery, "IOU totals per account (absent = nothing owed either way).">;

// ---- calls (indices as in pallet_balances where they exist) ----
struct TransferAllowDeath {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "transfer_allow_death";
  static constexpr std::string_view kDocs =
      "Transfer `value` to `dest`. The sender is reaped (its dust burned) if it falls below the existential deposit.";
  static constexpr Weight kWeight{60'000'000, 3'593};
  MultiAddress dest;
  Compact<Balance> value;
};
BOOST_DESCRIBE_STRUCT(TransferAllowDeath, (), (dest, value))

struct ForceTransfer {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "force_transfer";
  static constexpr std::string_view kDocs = "Root: transfer `value` from `source` to `dest` (allow death).";
  static constexpr Weight kWeight{62'000'000, 6'196};
  MultiAddress source;
  MultiAddress dest;
  Compact<Balance> value;
};
BOOST_DESCRIBE_STRUCT(ForceTransfer, (), (source, dest, value))

struct TransferKeepAlive {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "transfer_keep_alive";
  static constexpr std::string_view kDocs =
      "Transfer `value` to `dest`; fails with Expendability rather than reap the sender.";
  static constexpr Weight kWeight{48'000'000, 3'593};
  MultiAddress dest;
  Compact<Balance> value;
};
BOOST_DESCRIBE_STRUCT(TransferKeepAlive, (), (dest, value))

struct TransferAll {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "transfer_all";
  static constexpr std::string_view kDocs =
      "Transfer all spendable funds to `dest`; with `keep_alive` (or holds) the existential deposit stays.";
  static constexpr Weight kWeight{64'000'000, 3'593};
  MultiAddress dest;
  bool keep_alive = false;
};
BOOST_DESCRIBE_STRUCT(TransferAll, (), (dest, keep_alive))

struct ForceSetBalance {
  static constexpr uint8_t kIndex = 8;
  static constexpr std::string_view kName = "force_set_balance";
  static constexpr std::string_view kDocs =
      "Root: set the free balance of `who` (below the existential deposit: 0), minting or burning the difference.";
  static constexpr Weight kWeight{30'000'000, 3'593};
  MultiAddress who;
  Compact<Balance> new_free;
};
BOOST_DESCRIBE_STRUCT(ForceSetBalance, (), (who, new_free))

struct RecordDebt {
  static constexpr uint8_t kIndex = 10;
  static constexpr std::string_view kName = "record_debt";
  static constexpr std::string_view kDocs = "Record that the signer owes `amount` more to `creditor`. Moves no funds.";
  static constexpr Weight kWeight{25'000'000, 5'000};
  MultiAddress creditor;
  Compact<Balance> amount;
};
BOOST_DESCRIBE_STRUCT(RecordDebt, (), (creditor, amount))

struct SettleDebt {
  static constexpr uint8_t kIndex = 11;
  static constexpr std::string_view kName = "settle_debt";
  static constexpr std::string_view kDocs =
      "Pay `amount` to `creditor` (keep alive) and reduce the signer's recorded debt by it; more than owed fails.";
  static constexpr Weight kWeight{70'000'000, 8'600};
  MultiAddress creditor;
  Compact<Balance> amount;
};
BOOST_DESCRIBE_STRUCT(SettleDebt, (), (creditor, amount))

using Call = std::variant<TransferAllowDeath, ForceTransfer, TransferKeepAlive, TransferAll, ForceSetBalance,
                          RecordDebt, SettleDebt>;

// ---- events (pallet_balances names and indices where they exist) ----
struct Endowed {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "Endowed";
  static constexpr std::string_view kDocs = "An account was created with some free balance.";
  AccountId32 account;
  Balance free_balance = 0;
};
struct DustLost {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "DustLost";
  static constexpr std::string_view kDocs =
      "An account was reaped; its balance below the existential deposit was burned.";
  AccountId32 account;
  Balance amount = 0;
};
struct Transfer {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "Transfer";
  static constexpr std::string_view kDocs = "Transfer succeeded.";
  AccountId32 from;
  AccountId32 to;
  Balance amount = 0;
};
struct BalanceSet {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "BalanceSet";
  static constexpr std::string_view kDocs = "A balance was set by root.";
  AccountId32 who;
  Balance free = 0;
};
struct Deposit {
  static constexpr uint8_t kIndex = 7;
  static constexpr std::string_view kName = "Deposit";
  static constexpr std::string_view kDocs = "Some amount was deposited (transaction fees paid to the block author).";
  AccountId32 who;
  Balance amount = 0;
};
struct Withdraw {
  static constexpr uint8_t kIndex = 8;
  static constexpr std::string_view kName = "Withdraw";
  static constexpr std::string_view kDocs = "Some amount was withdrawn from the account (transaction fees).";
  AccountId32 who;
  Balance amount = 0;
};
struct Slashed {
  static constexpr uint8_t kIndex = 9;
  static constexpr std::string_view kName = "Slashed";
  static constexpr std::string_view kDocs =
      "Held funds of `who` were slashed and paid into `beneficiary`'s free balance.";
  AccountId32 who;
  Balance amount = 0;
  HoldReason reason = HoldReason::ProviderStake;
  AccountId32 beneficiary;
};
struct Minted {
  static constexpr uint8_t kIndex = 10;
  static constexpr std::string_view kName = "Minted";
  static constexpr std::string_view kDocs = "Some amount was minted into an account.";
  AccountId32 who;
  Balance amount = 0;
};
struct Burned {
  static constexpr uint8_t kIndex = 11;
  static constexpr std::string_view kName = "Burned";
  static constexpr std::string_view kDocs =
      "Some amount was burned from an account (or a fee that could not be paid out).";
  AccountId32 who;
  Balance amount = 0;
};
struct Held {
  static constexpr uint8_t kIndex = 22;
  static constexpr std::string_view kName = "Held";
  static constexpr std::string_view kDocs = "Some free balance was put on hold for a reason.";
  HoldReason reason = HoldReason::ProviderStake;
  AccountId32 who;
  Balance amount = 0;
};
struct TransferOnHold {
  static constexpr uint8_t kIndex = 24;
  static constexpr std::string_view kName = "TransferOnHold";
  static constexpr std::string_view kDocs = "Held funds of `source` were paid into `dest`'s free balance.";
  HoldReason reason = HoldReason::ProviderStake;
  AccountId32 source;
  AccountId32 dest;
  Balance amount = 0;
};
struct Released {
  static constexpr uint8_t kIndex = 26;
  static constexpr std::string_view kName = "Released";
  static constexpr std::string_view kDocs = "Held funds were released back to the free balance.";
  HoldReason reason = HoldReason::ProviderStake;
  AccountId32 who;
  Balance amount = 0;
};
struct DebtRecorded {
  static constexpr uint8_t kIndex = 40;
  static constexpr std::string_view kName = "DebtRecorded";
  static constexpr std::string_view kDocs =
      "`debtor` recorded owing `amount` more to `creditor`; `outstanding` is the new debt.";
  AccountId32 debtor;
  AccountId32 creditor;
  Balance amount = 0;
  Balance outstanding = 0;
};
struct DebtSettled {
  static constexpr uint8_t kIndex = 41;
  static constexpr std::string_view kName = "DebtSettled";
  static constexpr std::string_view kDocs = "`debtor` paid `amount` of its debt to `creditor`; `outstanding` remains.";
  AccountId32 debtor;
  AccountId32 creditor;
  Balance amount = 0;
  Balance outstanding = 0;
};
BOOST_DESCRIBE_STRUCT(Endowed, (), (account, free_balance))
BOOST_DESCRIBE_STRUCT(DustLost, (), (account, amount))
BOOST_DESCRIBE_STRUCT(Transfer, (), (from, to, amount))
BOOST_DESCRIBE_STRUCT(BalanceSet, (), (who, free))
BOOST_DESCRIBE_STRUCT(Deposit, (), (who, amount))
BOOST_DESCRIBE_STRUCT(Withdraw, (), (who, amount))
BOOST_DESCRIBE_STRUCT(Slashed, (), (who, amount, reason, beneficiary))
BOOST_DESCRIBE_STRUCT(Minted, (), (who, amount))
BOOST_DESCRIBE_STRUCT(Burned, (), (who, amount))
BOOST_DESCRIBE_STRUCT(Held, (), (reason, who, amount))
BOOST_DESCRIBE_STRUCT(TransferOnHold, (), (reason, source, dest, amount))
BOOST_DESCRIBE_STRUCT(Released, (), (reason, who, amount))
BOOST_DESCRIBE_STRUCT(DebtRecorded, (), (debtor, creditor, amount, outstanding))
BOOST_DESCRIBE_STRUCT(DebtSettled, (), (debtor, creditor, amount, outstanding))
using Event = std::variant<Endowed, DustLost, Transfer, BalanceSet, Deposit, Withdraw, Slashed, Minted, Burned, Held,
                           TransferOnHold, Released, DebtRecorded, DebtSettled>;

// ---- errors (pallet_balances indices where they exist) ----
enum class Error : uint8_t {
  LiquidityRestrictions = 1,
  InsufficientBalance = 2,
  ExistentialDeposit = 3,
  Expendability = 4,
  DeadAccount = 6,
  TooManyHolds = 8,
  InsufficientHeld = 20,
  DebtNotFound = 21,
  SettleExceedsDebt = 22,
  SelfDebt = 23,
  ZeroAmount = 24,
};
BOOST_DESCRIBE_ENUM(Error, LiquidityRestrictions, InsufficientBalance, ExistentialDeposit, Expendability, DeadAccount,
                    TooManyHolds, InsufficientHeld, DebtNotFound, SettleExceedsDebt, SelfDebt, ZeroAmount)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::LiquidityRestrictions: return "The funds are frozen.";
    case Error::InsufficientBalance: return "Not enough free balance.";
    case Error::ExistentialDeposit: return "The amount would create an account below the existential deposit.";
    case Error::Expendability: return "The sender would be reaped (keep-alive, holds, frozen funds or consumers).";
    case Error::DeadAccount: return "The beneficiary of held funds does not exist.";
    case Error::TooManyHolds: return "The account already has MaxHolds distinct holds.";
    case Error::InsufficientHeld: return "Release / transfer more than is held for the reason.";
    case Error::DebtNotFound: return "No debt recorded towards that creditor.";
    case Error::SettleExceedsDebt: return "Settling more than is owed.";
    case Error::SelfDebt: return "An account cannot owe itself.";
    case Error::ZeroAmount: return "A debt record or settlement of zero.";
  }
  return "";
}

/// Genesis: the endowed accounts. JSON: {"balances": [["<ss58>", <units>], ...]}.
struct GenesisConfig {
  std::vector<std::tuple<AccountId32, Balance>> balances;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (balances))

struct Module {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "Credits";
  using Call = credits::Call;
  using Event = credits::Event;
  using Error = credits::Error;
  using Storage = std::tuple<TotalIssuance, HoldsOf, Debts, NetPositions>;
  using Constants = std::tuple<ExistentialDeposit, MaxHolds>;
  using GenesisConfig = credits::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
  /// Endows each listed account (free balance, System provider reference, no events), then tops the
  /// treasury up to the existential deposit so that it always exists; TotalIssuance = the sum.
  /// Precondition: validate_genesis(config) succeeded (entries below the ED are skipped).
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
  /// Rejects a config with an amount below the existential deposit, a repeated account or a sum
  /// that overflows u128; the message names the entry ("balances[2]: below the existential deposit").
  static json::JsonResult validate_genesis(const GenesisConfig& config);
};

// ---- the module's API for other modules and the executive ----

/// frame_support's ExistenceRequirement.
enum class ExistenceRequirement : uint8_t { AllowDeath, KeepAlive };

/// The account a MultiAddress names: only Id resolves; the others fail with DispatchError::CannotLookup.
DispatchResultWith<AccountId32> lookup(const MultiAddress& address);

/// "modl" ++ "bz/trsry" zero-padded to 32 bytes (FRAME's PalletId account scheme): receives protocol
/// fees and slashes. Created with the existential deposit at genesis.
AccountId32 treasury_account();

Balance free_balance(const runtime::storage::StorageReader& state, const AccountId32& who);
Balance reserved_balance(const runtime::storage::StorageReader& state, const AccountId32& who);
Balance total_issuance(const runtime::storage::StorageReader& state);
/// The amount held from `who` for `reason` (0 if none).
Balance held(const runtime::storage::StorageReader& state, HoldReason reason, const AccountId32& who);

// All functions below either fail without writing anything or succeed completely. Amounts of zero
// (and transfers to oneself) succeed without effect or event.

/// Moves `value` of free balance from `from` to `to`; emits Transfer. Errors: InsufficientBalance,
/// LiquidityRestrictions, Expendability (KeepAlive, or a sender that may not be reaped),
/// ExistentialDeposit (would create `to` below ED), Arithmetic::Overflow. With AllowDeath a sender
/// left below the ED is reaped and its dust burned (DustLost).
DispatchResult transfer(Context& ctx, const AccountId32& from, const AccountId32& to, Balance value,
                        ExistenceRequirement requirement);
/// Free -> reserved under `reason`; emits Held. The account keeps at least the ED free.
/// Errors: InsufficientBalance, LiquidityRestrictions, Expendability, TooManyHolds.
DispatchResult hold(Context& ctx, HoldReason reason, const AccountId32& who, Balance amount);
/// Reserved under `reason` -> free; emits Released. Errors: InsufficientHeld.
DispatchResult release(Context& ctx, HoldReason reason, const AccountId32& from, Balance amount);
/// Held funds of `from` paid into `to`'s free balance; emits TransferOnHold.
/// Errors: InsufficientHeld, DeadAccount (`to` does not exist), Arithmetic::Overflow.
DispatchResult transfer_on_hold(Context& ctx, HoldReason reason, const AccountId32& from, const AccountId32& to,
                                Balance amount);
/// Moves up to `max` of `who`'s hold for `reason` into `beneficiary`'s free balance; emits Slashed;
/// returns the amount moved (less than `max` when less is held). Errors: DeadAccount, Arithmetic::Overflow.
DispatchResultWith<Balance> slash_held(Context& ctx, HoldReason reason, const AccountId32& who, Balance max,
                                       const AccountId32& beneficiary);
/// Creates `amount` new units in `who`'s free balance (TotalIssuance += amount); emits Minted.
/// Errors: ExistentialDeposit, Arithmetic::Overflow.
DispatchResult mint(Context& ctx, const AccountId32& who, Balance amount);
/// Destroys `amount` of `who`'s free balance, never reaping it (TotalIssuance -= amount); emits Burned.
/// Errors: InsufficientBalance, LiquidityRestrictions, Expendability.
DispatchResult burn(Context& ctx, const AccountId32& who, Balance amount);

/// Whether `who` can pay `fee` without being reaped (the pool's and the executive's check).
bool can_withdraw_fee(const runtime::storage::StorageReader& state, const AccountId32& who, Balance fee);
/// Takes a transaction fee out of `who`'s free balance and out of circulation (TotalIssuance -= fee),
/// never reaping the account; emits Withdraw. Errors as burn().
DispatchResult withdraw_fee(Context& ctx, const AccountId32& who, Balance fee);
/// Pays a withdrawn fee to the block author (TotalIssuance += fee); emits Deposit. When the author does
/// not exist and fee < ED the fee stays out of circulation (burned) and Burned is emitted instead.
void deposit_fee(Context& ctx, const AccountId32& author, Balance fee);

}  // namespace bazaar::modules::credits
