#pragma once
// The channel watcher (Lightning's watchtower, run by the party itself): it
// follows the chain's new heads and, when the counterparty of one of our
// channels closes unilaterally with an older version than the latest
// co-signed state in our store, submits `challenge` with that state before the
// period ends (the closer's whole deposit then comes to us).
//
// What it covers: every channel in our store that `key` is a party of, while the watcher runs or
// whenever it is restarted before the challenge period ends (at start and on
// each head it also checks every closing channel of ours on chain, not only
// the events of new blocks). What it cannot cover: a close that finishes its
// challenge period while the watcher is not running; then the stale state
// settles. Choose challenge periods longer than your longest expected downtime.

#include "node/offchain/channels/channel_store.hpp"
#include "rpc/chain_client/chain_client.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bazaar::node::offchain::channels {

struct WatcherOptions {
  std::string rpc_url = "ws://127.0.0.1:9944";
  std::chrono::milliseconds reconnect_delay{1000};
};

/// One thing the watcher did or saw, for logs and callers.
struct WatchEvent {
  enum class Kind { Challenged, ChallengeFailed, Closing, Closed };
  Kind kind = Kind::Closing;
  pc::ChannelId channel_id;
  std::string detail;
};

class ChannelWatcher {
 public:
  /// `store` must outlive the watcher; `key` is the party whose channels it guards.
  ChannelWatcher(ChannelStore& store, runtime::crypto::Keypair key, WatcherOptions options,
                 std::function<void(const WatchEvent&)> on_event = {});

  /// Checks every channel of ours that is not closed: challenges a stale close,
  /// records closes and payouts in the store. Returns what it did.
  rpc::ClientResult<std::vector<WatchEvent>> check(rpc::ChainClient& chain);
  /// Runs check() at start and at every new head until `stop`. Never throws.
  void run(const std::atomic<bool>& stop);

 private:
  void emit(const WatchEvent& e, std::vector<WatchEvent>& out);

  ChannelStore& m_store;
  runtime::crypto::Keypair m_key;
  WatcherOptions m_options;
  std::function<void(const WatchEvent&)> m_on_event;
};

}  // namespace bazaar::node::offchain::channels
