#pragma once
// Internal to rpc/methods: ties a head subscription of the ChainPort to a
// SubscriptionSink so that the initial notification always goes first, and
// later heads follow in order, one at a time.

#include "rpc/ports/chain_port.hpp"
#include "rpc/server/subscription.hpp"

#include <functional>
#include <memory>

namespace bazaar::rpc::detail {

/// Which head stream of the ChainPort to follow.
enum class HeadStream { Best, Finalized, All };

/// Subscribes to `stream`, then runs `initial()` and afterwards `on_head` for each
/// head, serialized under one lock (heads that arrive while `initial` runs are
/// delivered after it; a queued head equal to `initial_hash()` is skipped). The
/// port registration ends when the sink closes.
void start_head_feed(ChainPort& chain, HeadStream stream, const SubscriptionSink& sink,
                     const std::function<runtime::H256()>& initial, ChainPort::HeadCallback on_head);

}  // namespace bazaar::rpc::detail
