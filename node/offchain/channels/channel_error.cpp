#include "node/offchain/channels/channel_error.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::offchain::channels, ChannelError, "channels", to_string)

namespace bazaar::node::offchain::channels {

const char* to_string(ChannelError e) {
  switch (e) {
    case ChannelError::UnknownChannel: return "unknown channel";
    case ChannelError::NotParticipant: return "not a participant of the channel";
    case ChannelError::ChannelNotOpen: return "the channel is not open";
    case ChannelError::WrongChannelId: return "the state is for another channel";
    case ChannelError::VersionNotNext: return "the version is not the last co-signed version + 1";
    case ChannelError::BalanceMismatch: return "the balances do not sum to the channel's total deposit";
    case ChannelError::Underpaid: return "the payment is below the price";
    case ChannelError::WrongDirection: return "the state pays the requester, not the provider";
    case ChannelError::BadRequesterSignature: return "the requester's signature is invalid";
    case ChannelError::BadProviderSignature: return "the provider's signature is invalid";
    case ChannelError::UnknownTasksRoot: return "tasks_root is not the root of a prefix of the task log";
    case ChannelError::BalancesChanged: return "a closing state must keep the last co-signed balances";
    case ChannelError::UnknownProgram: return "unknown program";
    case ChannelError::RunFailed: return "the task run failed";
    case ChannelError::FuelTooHigh: return "the fuel limit is above the provider's maximum";
    case ChannelError::Disagreement: return "the counterparty disagrees on the channel state";
    case ChannelError::StoreFailed: return "the channel store failed";
    case ChannelError::Unreachable: return "the counterparty is unreachable";
  }
  return "unknown channel error";
}

}  // namespace bazaar::node::offchain::channels
