#pragma once
// The channel store: every payment channel this party takes part in, with its
// latest co-signed state and the log of tasks it paid for, in the party's own
// LevelDB (DESIGN.md: "A worker keeps ... every signed channel state in its
// own LevelDB, so a crash loses nothing").
//
// Durability: commit() returns only once its writes are fsynced. Writers on
// several threads are grouped: one of them (the leader) writes everything
// queued so far in one LevelDB batch with one fsync and wakes the others
// (group commit), so the cost of an fsync is shared by every update queued
// while the previous one ran. Callers acknowledge a co-signed state to the
// counterparty only after commit() returned success.
//
// Layout (column Offchain): 'm' ++ id -> ChannelMeta, 's' ++ id -> SignedState
// (the latest co-signed state), 'l' ++ id ++ BE u64 index -> TaskLeaf,
// 'p' ++ id -> SignedProposal (the requester's highest signed proposal).

#include "modules/payment_channel/state.hpp"
#include "node/db/kv_store.hpp"
#include "node/offchain/channels/channel_error.hpp"
#include "runtime/crypto/ecdsa.hpp"

#include <boost/describe.hpp>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace bazaar::node::offchain::channels {

namespace pc = modules::payment_channel;
using runtime::crypto::EcdsaSignature;

/// Which side of the channel's protocol this party plays.
enum class Role : uint8_t { Requester = 0, Provider = 1 };
BOOST_DESCRIBE_ENUM(Role, Requester, Provider)

/// The channel's life as this party sees it.
enum class LocalStatus : uint8_t {
  Open = 0,     ///< tasks may run
  Closing = 1,  ///< a closing state was signed or a close is on chain: no more tasks
  Closed = 2,   ///< settled or closed cooperatively on chain
};
BOOST_DESCRIBE_ENUM(LocalStatus, Open, Closing, Closed)

/// What a party knows about a channel besides its states.
struct ChannelMeta {
  pc::ChannelId channel_id;
  runtime::H256 genesis_hash;      ///< the chain the states are signed for
  runtime::AccountId32 party_a;    ///< the opener
  runtime::AccountId32 party_b;    ///< the counterparty
  Role role = Role::Requester;     ///< our role
  std::string endpoint;            ///< the provider's direct endpoint (requester side)
  LocalStatus status = LocalStatus::Open;
};
BOOST_DESCRIBE_STRUCT(ChannelMeta, (), (channel_id, genesis_hash, party_a, party_b, role, endpoint, status))

/// A state with both parties' signatures over state_signing_hash.
struct SignedState {
  pc::ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};
BOOST_DESCRIBE_STRUCT(SignedState, (), (state, sig_a, sig_b))

/// The requester's own signature on a proposed update, kept before the
/// proposal is sent: the provider may hold that version co-signed even if its
/// answer never arrived, so a unilateral close with an older state is unsafe.
struct SignedProposal {
  pc::ChannelState state;
  EcdsaSignature sig;
};
BOOST_DESCRIBE_STRUCT(SignedProposal, (), (state, sig))

/// Everything stored for one channel.
struct StoredChannel {
  ChannelMeta meta;
  std::optional<SignedState> latest;  ///< none before the first co-signed state
  std::vector<pc::TaskEntry> leaves;   ///< the task log, in order
  std::optional<SignedProposal> proposal = std::nullopt;  ///< the highest version this party proposed (requester)
};

/// One channel's writes in a commit: a new latest state and/or appended leaves and/or meta.
struct ChannelUpdate {
  pc::ChannelId channel_id;
  std::optional<ChannelMeta> meta;
  std::optional<SignedState> latest;
  uint64_t first_leaf_index = 0;      ///< index of leaves[0] in the task log
  std::vector<pc::TaskEntry> leaves;
  std::optional<SignedProposal> proposal = std::nullopt;  ///< replaces the stored highest proposal
};

class ChannelStore {
 public:
  /// Opens (creating) the store's LevelDB at `dir`. Errors: node::db::DbError.
  static Result<std::unique_ptr<ChannelStore>> open(const std::filesystem::path& dir);

  /// Writes `updates` durably (fsynced; grouped with concurrent commits).
  /// Errors: the LevelDB error.
  Result<void> commit(std::vector<ChannelUpdate> updates);

  /// The channel with its latest state and its task log; nullopt if unknown.
  std::optional<StoredChannel> load(const pc::ChannelId& id) const;
  /// Every channel's meta, by id.
  std::vector<ChannelMeta> list() const;
  /// fsyncs done so far (for the benchmark: updates per fsync).
  uint64_t syncs() const;

 private:
  explicit ChannelStore(std::unique_ptr<db::KeyValueStore> store) : m_store(std::move(store)) {}
  static void stage(db::WriteBatch& batch, const ChannelUpdate& update);

  std::unique_ptr<db::KeyValueStore> m_store;

  // Group commit: writers queue batches; the leader writes them all with one fsync.
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  db::WriteBatch m_queued;
  uint64_t m_next_ticket = 1;     ///< ticket of the next queued commit
  uint64_t m_durable = 0;         ///< every ticket <= this one was written (or failed)
  std::vector<std::pair<uint64_t, uint64_t>> m_failed;  ///< ticket ranges whose write failed
  bool m_leader_active = false;
  uint64_t m_syncs = 0;
};

}  // namespace bazaar::node::offchain::channels
