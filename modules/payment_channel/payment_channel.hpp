#pragma once
// The PaymentChannel module (index 7): two parties open one channel, pay each
// other off chain with co-signed ChannelStates (state.hpp), and the chain sees
// only the open, the funding and the close. Publishing an old state costs the
// publisher its whole deposit. Anchors: Lightning's penalty close, Raiden's
// settle timeout, Core Lightning's cooperative-then-unilateral close.
//
// Life cycle (every arrow emits an event):
//   open_channel (A) -> Open --fund_channel (B, once) / top_up (A or B)--> Open
//   Open or Closing --cooperative_close--> paid out, removed
//   Open --close_unilateral--> Closing{closer, state, since, until}
//   Closing --challenge (the other party, before `until`, newer state)--> penalty paid out, removed
//   Closing --settle (anyone, from block `until`)--> paid out by the closing state, removed
//
// Money: every deposit is held from its party in Credits as ChannelDeposit; a payout releases the
// holds and moves the difference between the parties with Credits' transfer_on_hold. Nothing is
// minted or burned: payout_a + payout_b == deposit_a + deposit_b, always.
//
// Which states the chain accepts:
//   * Signatures: A's and B's over state_signing_hash(genesis, state) (close_unilateral, challenge)
//     or over close_signing_hash(genesis, state) (cooperative_close). The genesis hash is
//     System.BlockHash(0). The channel is the one the state's channel_id names, so a state can
//     never be replayed into another channel.
//   * Version 0 is the opening state and needs no signatures, but only as the refund state
//     {balance_a = deposit_a, balance_b = deposit_b, tasks_root = 0}: it lets a party whose
//     counterparty never signed anything close unilaterally. Any co-signed update beats it.
//   * Balances and top-ups: a channel records its deposits in order (opening, funding, top-ups).
//     A state must sum to the running total after one of them (for a state signed after the
//     latest deposit: deposit_a + deposit_b); deposits recorded after that point are added back to
//     whoever made them. So a top-up never invalidates the states signed before it, and a state
//     signed after it cannot move the top-up twice. The effective balances are
//       eff_a = balance_a + (A's later deposits), eff_b = balance_b + (B's later deposits),
//     and eff_a + eff_b == deposit_a + deposit_b. Otherwise: BalanceMismatch.
//   * Versions: a challenge needs a version strictly higher than the closing state's; a
//     cooperative close of a closing channel needs a version at least as high.
//
// Payouts:
//   * cooperative_close, settle: A gets eff_a, B gets eff_b.
//   * challenge (closer c, challenger h, from the newer state): c's whole deposit goes to h
//     (`penalty` = deposit_c); from h's deposit, c still gets what the newer state says it earned
//     beyond its own deposit: payout_c = max(0, eff_c - deposit_c), payout_h = total - payout_c.
//
// Who may call: open_channel anyone; fund_channel only B; top_up, cooperative_close and
// close_unilateral only A or B; challenge only the participant that did not close (the penalty
// goes to the caller, so third-party watchtowers are out of scope); settle anyone.
// A payee's account must exist when paid (Credits' DeadAccount otherwise): parties with a deposit
// always exist; a party that never deposited may need someone to send it the existential deposit.

#include "modules/payment_channel/types.hpp"

namespace bazaar::modules::payment_channel {

// ---- calls ----
struct OpenChannel {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "open_channel";
  static constexpr std::string_view kDocs =
      "Open a channel with `counterparty`, holding `deposit` (at least MinDeposit) from the signer (party A). "
      "`challenge_period_blocks` (MinChallengePeriod..=MaxChallengePeriod) is how long a unilateral close can be "
      "challenged. The id is blake2b-256(SCALE((signer, counterparty, NextChannelNonce(signer)))).";
  static constexpr Weight kWeight{70'000'000, 8'000};
  MultiAddress counterparty;
  Compact<Balance> deposit;
  BlockNumber challenge_period_blocks = 0;
};
BOOST_DESCRIBE_STRUCT(OpenChannel, (), (counterparty, deposit, challenge_period_blocks))

struct FundChannel {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "fund_channel";
  static constexpr std::string_view kDocs =
      "The counterparty (party B) adds its first deposit (at least MinDeposit) to an open channel; once only.";
  static constexpr Weight kWeight{55'000'000, 8'000};
  ChannelId channel_id;
  Compact<Balance> deposit;
};
BOOST_DESCRIBE_STRUCT(FundChannel, (), (channel_id, deposit))

struct TopUp {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "top_up";
  static constexpr std::string_view kDocs =
      "Either party adds `amount` to its deposit in an open channel. States signed before still close the "
      "channel: the top-up is then paid back to whoever made it.";
  static constexpr Weight kWeight{55'000'000, 8'000};
  ChannelId channel_id;
  Compact<Balance> amount;
};
BOOST_DESCRIBE_STRUCT(TopUp, (), (channel_id, amount))

struct CooperativeClose {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "cooperative_close";
  static constexpr std::string_view kDocs =
      "A participant closes the channel at once on `state`, which both parties signed as final "
      "(close_signing_hash). Allowed while open, and while closing with a version at least the closing one.";
  static constexpr Weight kWeight{200'000'000, 10'000};
  ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};
BOOST_DESCRIBE_STRUCT(CooperativeClose, (), (state, sig_a, sig_b))

struct CloseUnilateral {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "close_unilateral";
  static constexpr std::string_view kDocs =
      "A participant starts closing an open channel with a co-signed `state` (state_signing_hash; version 0 "
      "needs no signatures and must be the refund state). The other party may challenge during the channel's "
      "challenge period; afterwards anyone may settle.";
  static constexpr Weight kWeight{130'000'000, 10'000};
  ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};
BOOST_DESCRIBE_STRUCT(CloseUnilateral, (), (state, sig_a, sig_b))

struct Challenge {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "challenge";
  static constexpr std::string_view kDocs =
      "The participant that did not close proves, before the challenge period ends, that the closer published "
      "an old state: a co-signed `state` with a higher version. The closer's whole deposit goes to the "
      "challenger, the rest is paid out by the newer state, and the channel is removed.";
  static constexpr Weight kWeight{210'000'000, 10'000};
  ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};
BOOST_DESCRIBE_STRUCT(Challenge, (), (state, sig_a, sig_b))

struct Settle {
  static constexpr uint8_t kIndex = 6;
  static constexpr std::string_view kName = "settle";
  static constexpr std::string_view kDocs =
      "Anyone pays out a closing channel by its closing state once the challenge period is over.";
  static constexpr Weight kWeight{90'000'000, 10'000};
  ChannelId channel_id;
};
BOOST_DESCRIBE_STRUCT(Settle, (), (channel_id))

using Call = std::variant<OpenChannel, FundChannel, TopUp, CooperativeClose, CloseUnilateral, Challenge, Settle>;

// ---- events ----
struct ChannelOpened {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "ChannelOpened";
  static constexpr std::string_view kDocs = "A channel was opened; `deposit` is held from `party_a`.";
  ChannelId channel_id;
  AccountId32 party_a;
  AccountId32 party_b;
  Balance deposit = 0;
  BlockNumber challenge_period = 0;
  uint64_t nonce = 0;
};
struct ChannelFunded {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "ChannelFunded";
  static constexpr std::string_view kDocs = "The counterparty funded the channel; `deposit` is held from `party_b`.";
  ChannelId channel_id;
  AccountId32 party_b;
  Balance deposit = 0;
};
struct ChannelToppedUp {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "ChannelToppedUp";
  static constexpr std::string_view kDocs =
      "`who` added `amount` to its deposit; `deposit_a` and `deposit_b` are the new totals.";
  ChannelId channel_id;
  AccountId32 who;
  Balance amount = 0;
  Balance deposit_a = 0;
  Balance deposit_b = 0;
};
struct ChannelClosedCooperatively {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "ChannelClosedCooperatively";
  static constexpr std::string_view kDocs = "The channel closed on a final state of `version`; it is removed.";
  ChannelId channel_id;
  uint64_t version = 0;
  Balance payout_a = 0;
  Balance payout_b = 0;
};
struct ChannelClosing {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "ChannelClosing";
  static constexpr std::string_view kDocs =
      "`closer` started closing with the state of `version`; the other party can challenge with a newer state "
      "before block `until`, from which on anyone can settle.";
  ChannelId channel_id;
  AccountId32 closer;
  uint64_t version = 0;
  Balance balance_a = 0;
  Balance balance_b = 0;
  BlockNumber until = 0;
};
struct ChannelChallenged {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "ChannelChallenged";
  static constexpr std::string_view kDocs =
      "`challenger` proved with `version` that `closer` had closed with the older `closed_version`: `penalty` (the "
      "closer's whole deposit) went to the challenger; the channel was paid out (`payout_a`, `payout_b`) and removed.";
  ChannelId channel_id;
  AccountId32 challenger;
  AccountId32 closer;
  uint64_t closed_version = 0;
  uint64_t version = 0;
  Balance penalty = 0;
  Balance payout_a = 0;
  Balance payout_b = 0;
};
struct ChannelSettled {
  static constexpr uint8_t kIndex = 6;
  static constexpr std::string_view kName = "ChannelSettled";
  static constexpr std::string_view kDocs =
      "After the challenge period the channel was paid out by its closing state of `version` and removed.";
  ChannelId channel_id;
  uint64_t version = 0;
  Balance payout_a = 0;
  Balance payout_b = 0;
};
BOOST_DESCRIBE_STRUCT(ChannelOpened, (), (channel_id, party_a, party_b, deposit, challenge_period, nonce))
BOOST_DESCRIBE_STRUCT(ChannelFunded, (), (channel_id, party_b, deposit))
BOOST_DESCRIBE_STRUCT(ChannelToppedUp, (), (channel_id, who, amount, deposit_a, deposit_b))
BOOST_DESCRIBE_STRUCT(ChannelClosedCooperatively, (), (channel_id, version, payout_a, payout_b))
BOOST_DESCRIBE_STRUCT(ChannelClosing, (), (channel_id, closer, version, balance_a, balance_b, until))
BOOST_DESCRIBE_STRUCT(ChannelChallenged, (),
                      (channel_id, challenger, closer, closed_version, version, penalty, payout_a, payout_b))
BOOST_DESCRIBE_STRUCT(ChannelSettled, (), (channel_id, version, payout_a, payout_b))
using Event = std::variant<ChannelOpened, ChannelFunded, ChannelToppedUp, ChannelClosedCooperatively, ChannelClosing,
                           ChannelChallenged, ChannelSettled>;

// ---- errors ----
enum class Error : uint8_t {
  ChannelNotFound = 0,            ///< no live channel with that id
  NotParticipant = 1,             ///< the signer is neither party of the channel
  WrongChannelId = 2,             ///< the state's channel id names no live channel (foreign or already closed)
  BadSignature = 3,               ///< a signature is not the party's over the state (and this chain's genesis)
  BalanceMismatch = 4,            ///< the state's balances do not sum to a total the channel's deposits reached
  StaleVersion = 5,               ///< the state is not newer than the closing state (challenge) or older (close)
  ChallengePeriodOver = 6,        ///< the challenge period ended; the channel can only be settled
  ChallengePeriodNotOver = 7,     ///< settle before the challenge period ended
  ChannelNotOpen = 8,             ///< the channel is closing
  ChannelNotClosing = 9,          ///< the channel is open (nothing to challenge or settle)
  AlreadyFunded = 10,             ///< the counterparty has already deposited
  ChallengePeriodOutOfRange = 11, ///< the challenge period is outside MinChallengePeriod..=MaxChallengePeriod
  DepositTooSmall = 12,           ///< an opening or funding deposit below MinDeposit
  SelfChannel = 13,               ///< an account cannot open a channel with itself
  NotCounterparty = 14,           ///< only party B may fund the channel
  ZeroAmount = 15,                ///< a top-up of zero
  TooManyDeposits = 16,           ///< the channel already recorded MaxDeposits deposits
  ChallengerIsCloser = 17,        ///< the closer cannot challenge its own close
  InvalidOpeningState = 18,       ///< a version-0 state that is not the refund state (deposits, empty root)
};
BOOST_DESCRIBE_ENUM(Error, ChannelNotFound, NotParticipant, WrongChannelId, BadSignature, BalanceMismatch,
                    StaleVersion, ChallengePeriodOver, ChallengePeriodNotOver, ChannelNotOpen, ChannelNotClosing,
                    AlreadyFunded, ChallengePeriodOutOfRange, DepositTooSmall, SelfChannel, NotCounterparty,
                    ZeroAmount, TooManyDeposits, ChallengerIsCloser, InvalidOpeningState)

/// No genesis configuration (channels are opened by extrinsics).
struct GenesisConfig {};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), ())

struct Module {
  static constexpr uint8_t kIndex = 7;
  static constexpr std::string_view kName = "PaymentChannel";
  using Call = payment_channel::Call;
  using Event = payment_channel::Event;
  using Error = payment_channel::Error;
  using Storage = std::tuple<Channels, ChannelsByParticipant, NextChannelNonce>;
  using Constants = std::tuple<MinChallengePeriod, MaxChallengePeriod, MinDeposit, MaxDeposits>;
  using GenesisConfig = payment_channel::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
};

// ---- the rules as functions (for the handlers, the RPC and the worker) ----

/// The payouts a state implies: (eff_a, eff_b) per the balance rule in the file header.
/// Errors: BalanceMismatch.
DispatchResultWith<std::pair<Balance, Balance>> effective_balances(const Channel& channel, const ChannelState& state);

/// The genesis hash signatures are checked against: System.BlockHash(0).
H256 genesis_hash(const runtime::storage::StorageReader& state);

/// A live channel, or nullopt.
std::optional<Channel> channel(const runtime::storage::StorageReader& state, const ChannelId& id);

}  // namespace bazaar::modules::payment_channel
