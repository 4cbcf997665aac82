// The four ways out of a channel: cooperative_close, close_unilateral,
// challenge and settle (rules and payouts in payment_channel.hpp). Checks come
// first; the payout runs in its own storage layer, so a failure writes nothing.

#include "modules/payment_channel/handlers.hpp"

#include "runtime/primitives/arithmetic.hpp"

namespace bazaar::modules::payment_channel::detail {
namespace {

enum class Signed { Update, Final };

DispatchResult check_signatures(const runtime::storage::StorageReader& s, const Channel& ch, const ChannelState& state,
                                const EcdsaSignature& sig_a, const EcdsaSignature& sig_b, Signed kind) {
  const H256 genesis = genesis_hash(s);
  auto valid = [&](const EcdsaSignature& sig, const AccountId32& who) {
    return kind == Signed::Update ? verify_state(sig, genesis, state, who) : verify_close(sig, genesis, state, who);
  };
  if (!valid(sig_a, ch.party_a) || !valid(sig_b, ch.party_b)) return error(Error::BadSignature);
  return outcome::success();
}

/// Version 0 without signatures: each party gets its deposits back, no tasks.
bool is_refund_state(const Channel& ch, const ChannelState& state) {
  return state.balance_a == ch.deposit_a && state.balance_b == ch.deposit_b && state.tasks_root == H256{};
}

/// Runs f in its own storage layer (kept only if f succeeds).
template <class F>
DispatchResult with_layer(Context& ctx, F&& f) {
  ctx.state().start_transaction();
  DispatchResult r = f();
  if (r) {
    ctx.state().commit_transaction();
  } else {
    ctx.state().rollback_transaction();
  }
  return r;
}

}  // namespace

DispatchResult handle(Context& ctx, const Origin& origin, const CooperativeClose& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  const ChannelState& state = call.state;
  BAZAAR_TRY(auto ch, get_channel(s, state.channel_id, Error::WrongChannelId));
  BAZAAR_TRY(side_of(ch, who));
  if (const auto* closing = std::get_if<channel_status::Closing>(&ch.status);
      closing && state.version < closing->state.version)
    return error(Error::StaleVersion);
  BAZAAR_TRY(check_signatures(s, ch, state, call.sig_a, call.sig_b, Signed::Final));
  BAZAAR_TRY(auto payouts, effective_balances(ch, state));
  const auto [payout_a, payout_b] = payouts;
  return with_layer(ctx, [&]() -> DispatchResult {
    BAZAAR_TRY(pay_out(ctx, ch, payout_a, payout_b));
    remove_channel(s, state.channel_id, ch);
    deposit_event<Module>(ctx, ChannelClosedCooperatively{state.channel_id, state.version, payout_a, payout_b});
    return outcome::success();
  });
}

DispatchResult handle(Context& ctx, const Origin& origin, const CloseUnilateral& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  const ChannelState& state = call.state;
  BAZAAR_TRY(auto ch, get_channel(s, state.channel_id, Error::WrongChannelId));
  BAZAAR_TRY(side_of(ch, who));
  if (!std::holds_alternative<channel_status::Open>(ch.status)) return error(Error::ChannelNotOpen);
  if (state.version == 0) {
    if (!is_refund_state(ch, state)) return error(Error::InvalidOpeningState);
  } else {
    BAZAAR_TRY(check_signatures(s, ch, state, call.sig_a, call.sig_b, Signed::Update));
  }
  BAZAAR_TRY(effective_balances(ch, state));

  const BlockNumber now = ctx.block_number();
  const BlockNumber until = runtime::saturating_add(now, ch.challenge_period);
  ch.status = channel_status::Closing{who, state, now, until};
  Channels::put(s, state.channel_id, ch);
  deposit_event<Module>(ctx,
                        ChannelClosing{state.channel_id, who, state.version, state.balance_a, state.balance_b, until});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const Challenge& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  const ChannelState& state = call.state;
  BAZAAR_TRY(auto ch, get_channel(s, state.channel_id, Error::WrongChannelId));
  BAZAAR_TRY(auto challenger_side, side_of(ch, who));
  const auto* closing = std::get_if<channel_status::Closing>(&ch.status);
  if (!closing) return error(Error::ChannelNotClosing);
  if (closing->closer == who) return error(Error::ChallengerIsCloser);
  if (ctx.block_number() >= closing->until) return error(Error::ChallengePeriodOver);
  if (state.version <= closing->state.version) return error(Error::StaleVersion);
  BAZAAR_TRY(check_signatures(s, ch, state, call.sig_a, call.sig_b, Signed::Update));
  BAZAAR_TRY(auto effective, effective_balances(ch, state));

  // The closer forfeits its whole deposit and keeps only what the newer state says it earned beyond it.
  const bool closer_is_a = challenger_side == Party::B;
  const Balance closer_deposit = closer_is_a ? ch.deposit_a : ch.deposit_b;
  const Balance closer_effective = closer_is_a ? effective.first : effective.second;
  const Balance closer_payout = closer_effective > closer_deposit ? closer_effective - closer_deposit : 0;
  const Balance challenger_payout = ch.deposit_a + ch.deposit_b - closer_payout;
  const Balance payout_a = closer_is_a ? closer_payout : challenger_payout;
  const Balance payout_b = closer_is_a ? challenger_payout : closer_payout;
  const AccountId32 closer = closing->closer;
  const uint64_t closed_version = closing->state.version;
  return with_layer(ctx, [&]() -> DispatchResult {
    BAZAAR_TRY(pay_out(ctx, ch, payout_a, payout_b));
    remove_channel(s, state.channel_id, ch);
    deposit_event<Module>(ctx, ChannelChallenged{state.channel_id, who, closer, closed_version, state.version,
                                                 closer_deposit, payout_a, payout_b});
    return outcome::success();
  });
}

DispatchResult handle(Context& ctx, const Origin& origin, const Settle& call) {
  BAZAAR_TRY(ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto ch, get_channel(s, call.channel_id, Error::ChannelNotFound));
  const auto* closing = std::get_if<channel_status::Closing>(&ch.status);
  if (!closing) return error(Error::ChannelNotClosing);
  if (ctx.block_number() < closing->until) return error(Error::ChallengePeriodNotOver);
  // No deposit can be added while closing, so the state accepted at close_unilateral still balances.
  BAZAAR_TRY(auto payouts, effective_balances(ch, closing->state));
  const auto [payout_a, payout_b] = payouts;
  const uint64_t version = closing->state.version;
  return with_layer(ctx, [&]() -> DispatchResult {
    BAZAAR_TRY(pay_out(ctx, ch, payout_a, payout_b));
    remove_channel(s, call.channel_id, ch);
    deposit_event<Module>(ctx, ChannelSettled{call.channel_id, version, payout_a, payout_b});
    return outcome::success();
  });
}

}  // namespace bazaar::modules::payment_channel::detail
