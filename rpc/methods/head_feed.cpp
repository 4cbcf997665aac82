#include "rpc/methods/head_feed.hpp"

#include <mutex>
#include <utility>
#include <vector>

namespace bazaar::rpc::detail {

namespace {

struct Gate {
  std::mutex mutex;
  bool open = false;
  std::vector<std::pair<runtime::H256, runtime::Header>> queued;
  ChainPort::HeadCallback on_head;
};

PortSubscription subscribe(ChainPort& chain, HeadStream stream, ChainPort::HeadCallback cb) {
  switch (stream) {
    case HeadStream::Best: return chain.subscribe_best_heads(std::move(cb));
    case HeadStream::Finalized: return chain.subscribe_finalized_heads(std::move(cb));
    case HeadStream::All: break;
  }
  return chain.subscribe_all_heads(std::move(cb));
}

}  // namespace

void start_head_feed(ChainPort& chain, HeadStream stream, const SubscriptionSink& sink,
                     const std::function<runtime::H256()>& initial, ChainPort::HeadCallback on_head) {
  auto gate = std::make_shared<Gate>();
  gate->on_head = std::move(on_head);
  auto handle = std::make_shared<PortSubscription>(
      subscribe(chain, stream, [gate, sink](const runtime::H256& hash, const runtime::Header& header) {
        if (sink.closed()) return;
        std::lock_guard lock(gate->mutex);
        if (!gate->open) {
          gate->queued.emplace_back(hash, header);
          return;
        }
        gate->on_head(hash, header);
      }));
  sink.on_close([handle] { handle->reset(); });

  std::lock_guard lock(gate->mutex);
  auto first = initial();
  gate->open = true;
  for (auto& [hash, header] : std::exchange(gate->queued, {}))
    if (hash != first) gate->on_head(hash, header);
}

}  // namespace bazaar::rpc::detail
