// The PaymentChannel module's dispatch, the balance rule and the payout. The
// calls live in channels.cpp and closing.cpp.

#include "modules/payment_channel/payment_channel.hpp"

#include "modules/payment_channel/handlers.hpp"
#include "modules/system/system.hpp"

namespace bazaar::modules::payment_channel {

namespace detail {

DispatchError error(Error e) { return module_error<Module>(e); }
DispatchError overflow() { return DispatchError::arithmetic(ArithmeticError::Overflow); }

DispatchResultWith<Channel> get_channel(const runtime::storage::StorageReader& s, const ChannelId& id,
                                        Error missing) {
  auto ch = Channels::get(s, id);
  if (!ch) return error(missing);
  return std::move(*ch);
}

DispatchResultWith<Party> side_of(const Channel& channel, const AccountId32& who) {
  if (who == channel.party_a) return Party::A;
  if (who == channel.party_b) return Party::B;
  return error(Error::NotParticipant);
}

DispatchResult record_deposit(Channel& channel, Party party, Balance amount, BlockNumber now) {
  if (channel.deposits.size() >= kMaxDeposits) return error(Error::TooManyDeposits);
  Balance& total = party == Party::A ? channel.deposit_a : channel.deposit_b;
  const Balance other = party == Party::A ? channel.deposit_b : channel.deposit_a;
  // Both the party's total and the channel's total must stay representable.
  if (amount > ~Balance{0} - total - other) return overflow();
  total += amount;
  channel.deposits.items.push_back(DepositRecord{party, amount, now});
  return outcome::success();
}

DispatchResult pay_out(Context& ctx, const Channel& channel, Balance payout_a, Balance payout_b) {
  using credits::HoldReason;
  // The party paid less than it deposited hands the difference to the other from its hold.
  const bool a_pays = payout_a <= channel.deposit_a;
  const AccountId32& payer = a_pays ? channel.party_a : channel.party_b;
  const AccountId32& payee = a_pays ? channel.party_b : channel.party_a;
  const Balance payer_deposit = a_pays ? channel.deposit_a : channel.deposit_b;
  const Balance payer_payout = a_pays ? payout_a : payout_b;
  const Balance payee_deposit = a_pays ? channel.deposit_b : channel.deposit_a;
  BAZAAR_TRY(credits::transfer_on_hold(ctx, HoldReason::ChannelDeposit, payer, payee, payer_deposit - payer_payout));
  BAZAAR_TRY(credits::release(ctx, HoldReason::ChannelDeposit, payer, payer_payout));
  BAZAAR_TRY(credits::release(ctx, HoldReason::ChannelDeposit, payee, payee_deposit));
  return outcome::success();
}

void remove_channel(runtime::storage::Overlay& s, const ChannelId& id, const Channel& channel) {
  Channels::remove(s, id);
  ChannelsByParticipant::remove(s, channel.party_a, id);
  ChannelsByParticipant::remove(s, channel.party_b, id);
}

}  // namespace detail

DispatchResultWith<std::pair<Balance, Balance>> effective_balances(const Channel& channel,
                                                                   const ChannelState& state) {
  if (state.balance_a > ~Balance{0} - state.balance_b) return detail::error(Error::BalanceMismatch);
  const Balance sum = state.balance_a + state.balance_b;
  Balance running = 0;
  std::size_t i = 0;
  const auto& deposits = channel.deposits.items;
  for (; i < deposits.size(); ++i) {
    running += deposits[i].amount;  // cannot overflow: record_deposit keeps the total representable
    if (running == sum) break;
  }
  if (i == deposits.size()) return detail::error(Error::BalanceMismatch);
  Balance eff_a = state.balance_a;
  Balance eff_b = state.balance_b;
  for (++i; i < deposits.size(); ++i) (deposits[i].party == Party::A ? eff_a : eff_b) += deposits[i].amount;
  return std::pair{eff_a, eff_b};
}

H256 genesis_hash(const runtime::storage::StorageReader& state) { return system::BlockHash::get(state, 0); }

std::optional<Channel> channel(const runtime::storage::StorageReader& state, const ChannelId& id) {
  return Channels::get(state, id);
}

DispatchResult Module::dispatch(Context& ctx, const Origin& origin, const Call& call) {
  return std::visit([&](const auto& c) { return detail::handle(ctx, origin, c); }, call);
}

}  // namespace bazaar::modules::payment_channel
