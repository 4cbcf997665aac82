// Opening and funding channels: open_channel, fund_channel, top_up. Each checks
// everything before its one hold, so a failure writes nothing.

#include "modules/payment_channel/handlers.hpp"

namespace bazaar::modules::payment_channel::detail {

using credits::HoldReason;

DispatchResult handle(Context& ctx, const Origin& origin, const OpenChannel& call) {
  BAZAAR_TRY(auto opener, ensure_signed(origin));
  BAZAAR_TRY(auto counterparty, credits::lookup(call.counterparty));
  auto& s = ctx.state();
  const BlockNumber now = ctx.block_number();
  const Balance deposit = call.deposit.value;
  if (counterparty == opener) return error(Error::SelfChannel);
  if (call.challenge_period_blocks < kMinChallengePeriod || call.challenge_period_blocks > kMaxChallengePeriod)
    return error(Error::ChallengePeriodOutOfRange);
  if (deposit < kMinDeposit) return error(Error::DepositTooSmall);

  const uint64_t nonce = NextChannelNonce::get(s, opener);
  const ChannelId id = channel_id(opener, counterparty, nonce);
  Channel ch;
  ch.party_a = opener;
  ch.party_b = counterparty;
  ch.nonce = nonce;
  ch.challenge_period = call.challenge_period_blocks;
  ch.opened_at = now;
  ch.status = channel_status::Open{};
  BAZAAR_TRY(record_deposit(ch, Party::A, deposit, now));
  BAZAAR_TRY(credits::hold(ctx, HoldReason::ChannelDeposit, opener, deposit));

  NextChannelNonce::put(s, opener, nonce + 1);
  Channels::put(s, id, ch);
  ChannelsByParticipant::put(s, opener, id, Party::A);
  ChannelsByParticipant::put(s, counterparty, id, Party::B);
  deposit_event<Module>(ctx, ChannelOpened{id, opener, counterparty, deposit, ch.challenge_period, nonce});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const FundChannel& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto ch, get_channel(s, call.channel_id, Error::ChannelNotFound));
  BAZAAR_TRY(auto side, side_of(ch, who));
  if (side != Party::B) return error(Error::NotCounterparty);
  if (!std::holds_alternative<channel_status::Open>(ch.status)) return error(Error::ChannelNotOpen);
  if (ch.deposit_b != 0) return error(Error::AlreadyFunded);
  const Balance deposit = call.deposit.value;
  if (deposit < kMinDeposit) return error(Error::DepositTooSmall);
  BAZAAR_TRY(record_deposit(ch, Party::B, deposit, ctx.block_number()));
  BAZAAR_TRY(credits::hold(ctx, HoldReason::ChannelDeposit, who, deposit));

  Channels::put(s, call.channel_id, ch);
  deposit_event<Module>(ctx, ChannelFunded{call.channel_id, who, deposit});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const TopUp& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto ch, get_channel(s, call.channel_id, Error::ChannelNotFound));
  BAZAAR_TRY(auto side, side_of(ch, who));
  if (!std::holds_alternative<channel_status::Open>(ch.status)) return error(Error::ChannelNotOpen);
  const Balance amount = call.amount.value;
  if (amount == 0) return error(Error::ZeroAmount);
  BAZAAR_TRY(record_deposit(ch, side, amount, ctx.block_number()));
  BAZAAR_TRY(credits::hold(ctx, HoldReason::ChannelDeposit, who, amount));

  Channels::put(s, call.channel_id, ch);
  deposit_event<Module>(ctx, ChannelToppedUp{call.channel_id, who, amount, ch.deposit_a, ch.deposit_b});
  return outcome::success();
}

}  // namespace bazaar::modules::payment_channel::detail
