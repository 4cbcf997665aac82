#pragma once
// What the chain tells its listeners (RPC subscriptions, the transaction pool,
// later the network) after each committed change, in commit order.

#include "node/chain/block_store.hpp"
#include "runtime/crypto/ecdsa.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace bazaar::node::chain {

/// A block was stored (whether or not it became the best block).
struct BlockImportedEvent {
  BlockInfo block;
  Header header;
  /// blake2b-256 of each extrinsic's full encoding (the pool's transaction hashes), in block order.
  std::vector<H256> extrinsic_hashes;
  bool is_new_best = false;
  /// Wall-clock seconds to check, execute and store the block (for metrics).
  double import_seconds = 0;
};

/// The best block changed. `retracted` blocks left the best chain (descending
/// from the old best), `enacted` ones joined it (ascending, ending with `best`).
struct NewBestEvent {
  BlockInfo best;
  Header header;
  std::vector<BlockInfo> retracted;
  std::vector<BlockInfo> enacted;
};

/// Blocks were finalized: `newly_finalized` ascending, ending with `block`.
struct FinalizedEvent {
  BlockInfo block;
  Header header;
  std::vector<BlockInfo> newly_finalized;
};

/// An authority sealed two different blocks in one Aura slot. Both headers
/// carry its seal, so the record is evidence anyone can check (the shape of
/// sp_consensus_slots::EquivocationProof: offender, slot, first, second).
struct EquivocationEvent {
  uint64_t slot = 0;
  runtime::crypto::EcdsaPublic offender;
  Header first;
  Header second;
};

/// Callbacks of one listener; any may be empty. They run on the thread that
/// imports or finalizes, one event at a time and in commit order; they must be
/// quick and must not import or finalize themselves (that would deadlock).
struct ChainListener {
  std::function<void(const BlockImportedEvent&)> on_imported = nullptr;
  std::function<void(const NewBestEvent&)> on_new_best = nullptr;
  std::function<void(const FinalizedEvent&)> on_finalized = nullptr;
  std::function<void(const EquivocationEvent&)> on_equivocation = nullptr;
};

using ListenerId = uint64_t;

/// The set of listeners. Thread-safe; a listener may unsubscribe itself (or
/// another) from inside a callback, after which it gets no further events.
class ChainListeners {
 public:
  ListenerId subscribe(ChainListener listener);
  void unsubscribe(ListenerId id);

  void notify(const BlockImportedEvent& event) const;
  void notify(const NewBestEvent& event) const;
  void notify(const FinalizedEvent& event) const;
  void notify(const EquivocationEvent& event) const;

 private:
  template <class Event, class Member>
  void dispatch(const Event& event, Member member) const;

  mutable std::mutex m_mutex;
  ListenerId m_next = 1;
  std::map<ListenerId, std::shared_ptr<ChainListener>> m_listeners;
};

}  // namespace bazaar::node::chain
