#include "node/offchain/channels/watcher.hpp"

#include "modules/composition/runtime.hpp"
#include "node/log/log.hpp"

#include <thread>

namespace bazaar::node::offchain::channels {

namespace {
auto log() { return log::logger("channels"); }
}  // namespace

ChannelWatcher::ChannelWatcher(ChannelStore& store, runtime::crypto::Keypair key, WatcherOptions options,
                               std::function<void(const WatchEvent&)> on_event)
    : m_store(store), m_key(std::move(key)), m_options(std::move(options)), m_on_event(std::move(on_event)) {}

void ChannelWatcher::emit(const WatchEvent& e, std::vector<WatchEvent>& out) {
  log()->info("channel {}: {}", runtime::to_hex(e.channel_id), e.detail);
  if (m_on_event) m_on_event(e);
  out.push_back(e);
}

rpc::ClientResult<std::vector<WatchEvent>> ChannelWatcher::check(rpc::ChainClient& chain) {
  std::vector<WatchEvent> out;
  const auto me = m_key.account_id();
  for (auto meta : m_store.list()) {
    if (meta.status == LocalStatus::Closed || (meta.party_a != me && meta.party_b != me)) continue;
    BAZAAR_TRY(auto on_chain, chain.read<pc::Channels>(meta.channel_id));
    if (!on_chain) {
      // Gone from storage: paid out (cooperatively, settled or after a challenge) — or never opened.
      if (meta.status == LocalStatus::Closing || m_store.load(meta.channel_id)->latest) {
        meta.status = LocalStatus::Closed;
        if (auto r = m_store.commit({ChannelUpdate{meta.channel_id, meta, std::nullopt, 0, {}}}); !r)
          return "cannot write the channel store: " + r.error().message();
        emit(WatchEvent{WatchEvent::Kind::Closed, meta.channel_id, "closed and paid out on chain"}, out);
      }
      continue;
    }
    const auto* closing = std::get_if<pc::channel_status::Closing>(&on_chain->status);
    if (!closing) continue;
    if (meta.status == LocalStatus::Open) {
      meta.status = LocalStatus::Closing;
      if (auto r = m_store.commit({ChannelUpdate{meta.channel_id, meta, std::nullopt, 0, {}}}); !r)
        return "cannot write the channel store: " + r.error().message();
      emit(WatchEvent{WatchEvent::Kind::Closing, meta.channel_id,
                      "closing at version " + std::to_string(closing->state.version) + " until block #" +
                          std::to_string(closing->until)},
           out);
    }
    if (closing->closer == me) continue;
    auto stored = m_store.load(meta.channel_id);
    if (!stored || !stored->latest || stored->latest->state.version <= closing->state.version) continue;
    BAZAAR_TRY(auto head, chain.header());
    if (head.number.value >= closing->until) continue;  // too late (settle is open to anyone)
    const auto& latest = *stored->latest;
    pc::Challenge call{latest.state, latest.sig_a, latest.sig_b};
    auto report = chain.submit(m_key, modules::composition::make_call<pc::Module>(call));
    if (!report || !report.value().success) {
      emit(WatchEvent{WatchEvent::Kind::ChallengeFailed, meta.channel_id,
                      "challenge failed: " + (report ? report.value().error : report.error())},
           out);
      continue;
    }
    meta.status = LocalStatus::Closed;
    (void)m_store.commit({ChannelUpdate{meta.channel_id, meta, std::nullopt, 0, {}}});
    emit(WatchEvent{WatchEvent::Kind::Challenged, meta.channel_id,
                    "the counterparty closed with version " + std::to_string(closing->state.version) +
                        "; challenged with version " + std::to_string(latest.state.version) + " in block #" +
                        std::to_string(report.value().block_number)},
         out);
  }
  return out;
}

void ChannelWatcher::run(const std::atomic<bool>& stop) {
  auto wait = [&](std::chrono::milliseconds d) {
    auto until = std::chrono::steady_clock::now() + d;
    while (!stop && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  while (!stop) {
    auto chain = rpc::ChainClient::connect(m_options.rpc_url);
    if (!chain) {
      wait(m_options.reconnect_delay);
      continue;
    }
    auto heads = chain.value().rpc().subscribe("chain_subscribeNewHeads", nlohmann::json::array(),
                                               "chain_unsubscribeNewHeads");
    if (!heads) {
      wait(m_options.reconnect_delay);
      continue;
    }
    if (auto r = check(chain.value()); !r) log()->warn("watcher: {}", r.error());
    while (!stop) {
      auto head = heads.value().next(std::chrono::milliseconds(500));
      if (!head) {
        if (head.error() == rpc::RpcClientError::Timeout) continue;
        break;
      }
      if (auto r = check(chain.value()); !r) log()->warn("watcher: {}", r.error());
    }
    wait(m_options.reconnect_delay);
  }
}

}  // namespace bazaar::node::offchain::channels
