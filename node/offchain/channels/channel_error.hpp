#pragma once
// Errors of the payment-channel off-chain protocol (node/offchain/channels):
// why a proposed state, a signature or a request is refused, and failures of
// the channel store. Each value's message is what the counterparty or the
// user sees, so it says what was wrong.

#include "runtime/result.hpp"

namespace bazaar::node::offchain::channels {

enum class ChannelError {
  UnknownChannel = 1,     ///< no such channel here or on chain
  NotParticipant,         ///< this key is neither party of the channel
  ChannelNotOpen,         ///< the channel is closing or closed (on chain or here)
  WrongChannelId,         ///< the state names another channel
  VersionNotNext,         ///< the version is not the last co-signed version + 1
  BalanceMismatch,        ///< balance_a + balance_b differs from the channel's total deposit
  Underpaid,              ///< the payment over the last co-signed state is below the price
  WrongDirection,         ///< the state moves money from the provider to the requester
  BadRequesterSignature,  ///< the requester's signature does not verify
  BadProviderSignature,   ///< the provider's signature does not verify
  UnknownTasksRoot,       ///< tasks_root is not the root of a prefix of the channel's task log
  BalancesChanged,        ///< a closing state must keep the balances of the last co-signed state
  UnknownProgram,         ///< the program is neither cached, given, nor on chain
  RunFailed,              ///< the program trapped, ran out of fuel or could not run: no payment
  FuelTooHigh,            ///< the fuel limit is above what the provider accepts
  Disagreement,           ///< the counterparty answered something inconsistent: the run aborts
  StoreFailed,            ///< the channel store could not be read or written
  Unreachable,            ///< the counterparty's endpoint did not answer
};
const char* to_string(ChannelError e);

}  // namespace bazaar::node::offchain::channels

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::offchain::channels, ChannelError)
