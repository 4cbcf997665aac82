#include "node/offchain/channels/chain_view.hpp"

#include "node/log/log.hpp"

namespace bazaar::node::offchain::channels {

rpc::ClientResult<std::optional<OnChainChannel>> read_channel(rpc::ChainClient& chain, const pc::ChannelId& id) {
  BAZAAR_TRY(auto c, chain.read<pc::Channels>(id));
  if (!c) return std::optional<OnChainChannel>{};
  return std::optional<OnChainChannel>(OnChainChannel{c->party_a, c->party_b, c->deposit_a, c->deposit_b,
                                                      std::holds_alternative<pc::channel_status::Open>(c->status),
                                                      c->deposits.items});
}

rpc::ChainClient* RpcChainView::client() {
  if (!m_chain || !m_chain->rpc().is_open()) {
    m_chain.reset();
    auto c = rpc::ChainClient::connect(m_url);
    if (!c) {
      log::logger("channels")->warn("{}", c.error());
      return nullptr;
    }
    m_chain.emplace(std::move(c).value());
  }
  return &*m_chain;
}

std::optional<OnChainChannel> RpcChainView::channel(const pc::ChannelId& id) {
  std::lock_guard lock(m_mutex);
  auto* chain = client();
  if (!chain) return std::nullopt;
  auto c = read_channel(*chain, id);
  if (!c) {
    log::logger("channels")->warn("reading channel {}: {}", runtime::to_hex(id), c.error());
    return std::nullopt;
  }
  return c.value();
}

std::optional<runtime::Bytes> RpcChainView::program(const runtime::H256& hash) {
  std::lock_guard lock(m_mutex);
  auto* chain = client();
  if (!chain) return std::nullopt;
  auto code = chain->read<modules::task_queue::ProgramCode>(hash);
  if (!code) return std::nullopt;
  return code.value();
}

}  // namespace bazaar::node::offchain::channels
