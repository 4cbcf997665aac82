#pragma once
// Internal to the payment_channel module: the call handlers (channels.cpp:
// open, fund, top up; closing.cpp: the four ways out) and the shared helpers
// (payment_channel.cpp).

#include "modules/payment_channel/payment_channel.hpp"

namespace bazaar::modules::payment_channel::detail {

DispatchError error(Error e);
DispatchError overflow();

/// The live channel `id`, or `missing` (ChannelNotFound, or WrongChannelId for an id taken from a state).
DispatchResultWith<Channel> get_channel(const runtime::storage::StorageReader& s, const ChannelId& id, Error missing);
/// The signer's side of the channel. Errors: NotParticipant.
DispatchResultWith<Party> side_of(const Channel& channel, const AccountId32& who);
/// Appends a deposit of `amount` by `party` and adds it to that party's total.
/// Errors: TooManyDeposits, Arithmetic::Overflow.
DispatchResult record_deposit(Channel& channel, Party party, Balance amount, BlockNumber now);

/// Releases both holds and moves the difference so that A ends with `payout_a` and B with `payout_b`
/// of the channel's funds. Precondition: payout_a + payout_b == deposit_a + deposit_b.
DispatchResult pay_out(Context& ctx, const Channel& channel, Balance payout_a, Balance payout_b);
/// Removes the channel and its participant index entries.
void remove_channel(runtime::storage::Overlay& s, const ChannelId& id, const Channel& channel);

// channels.cpp
DispatchResult handle(Context& ctx, const Origin& origin, const OpenChannel& call);
DispatchResult handle(Context& ctx, const Origin& origin, const FundChannel& call);
DispatchResult handle(Context& ctx, const Origin& origin, const TopUp& call);

// closing.cpp
DispatchResult handle(Context& ctx, const Origin& origin, const CooperativeClose& call);
DispatchResult handle(Context& ctx, const Origin& origin, const CloseUnilateral& call);
DispatchResult handle(Context& ctx, const Origin& origin, const Challenge& call);
DispatchResult handle(Context& ctx, const Origin& origin, const Settle& call);

}  // namespace bazaar::modules::payment_channel::detail
