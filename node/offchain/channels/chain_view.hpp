#pragma once
// The chain as the channel code reads it, over JSON-RPC (the worker and the
// wallet talk to the chain only through RPC): the PaymentChannel.Channels
// record of a channel and TaskQueue.ProgramCode.

#include "modules/composition/runtime.hpp"
#include "node/offchain/channels/direct_service.hpp"
#include "rpc/chain_client/chain_client.hpp"

#include <mutex>

namespace bazaar::node::offchain::channels {

/// The on-chain channel as OnChainChannel; nullopt when it does not exist (never opened, or closed).
rpc::ClientResult<std::optional<OnChainChannel>> read_channel(rpc::ChainClient& chain, const pc::ChannelId& id);

/// ChainView over one RPC connection (made on first use, again after a failure). Thread-safe.
class RpcChainView final : public ChainView {
 public:
  explicit RpcChainView(std::string rpc_url) : m_url(std::move(rpc_url)) {}
  std::optional<OnChainChannel> channel(const pc::ChannelId& id) override;
  std::optional<runtime::Bytes> program(const runtime::H256& hash) override;

 private:
  rpc::ChainClient* client();
  std::string m_url;
  std::mutex m_mutex;
  std::optional<rpc::ChainClient> m_chain;
};

}  // namespace bazaar::node::offchain::channels
