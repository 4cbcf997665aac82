#pragma once
// The finality gadget's voter: GRANDPA (Stewart & Kokoris-Kogia, "GRANDPA: a
// Byzantine Finality Gadget", 2020; Substrate's finality-grandpa) for one
// authority set of equal-weight secp256k1 authorities.
//
// Implemented as in the paper / finality-grandpa:
//   - rounds r = 1, 2, ...; in each a voter prevotes for the head of the best
//     chain containing the previous round's estimate E(r-1), once 2T passed
//     since the round started or the round is completable (T = gossip duration)
//     — a single authority, whose vote alone decides, prevotes as soon as there
//     is a block above the round base to vote for (nobody's votes to wait for);
//   - it precommits the prevote GHOST g(r) once g(r) descends from E(r-1)
//     and 4T passed, or every authority prevoted, or the round is completable;
//   - it moves to round r+1 when round r is completable and it has
//     precommitted (or 4T passed, or it is not an authority); round r stays
//     open in the background for late votes, which can still lower E(r) and
//     finalize;
//   - whenever a round has precommits from >= floor(2n/3)+1 authorities for a
//     block or its descendants, the highest such block (the precommit GHOST)
//     is finalized with a justification and a Commit is gossiped;
//   - equivocations (two different votes of one kind, round and authority) are
//     detected, logged once and kept as records; both votes count, as in
//     finality-grandpa;
//   - votes for blocks not yet imported wait (bounded) until the block
//     arrives; votes for the next few rounds are buffered (bounded);
//   - catch-up: a voter that sees a valid message from a later round asks that
//     peer for its last completed round (CatchUpRequest) and, if the answer's
//     votes make that round completable, joins the round after it; Commit
//     messages and justifications finalize directly after verification, so an
//     offline node catches up on finality.
// Simplified: no primary proposal (a liveness optimisation only); no
// authority-set changes (one set id, handed in by the node); our own votes are
// re-broadcast every `rebroadcast_ms` instead of Substrate's neighbour packets,
// so peers that missed them (offline, restarted) still get them; rounds
// without a supermajority do not end — they wait, re-broadcasting, until
// enough authorities are back, and then complete on their own.
//
// Why it stays safe: the two voting rules above are the paper's (prevote only
// on a chain containing E(r-1), precommit only g(r) >= E(r-1)), a round ends
// only when it is completable (so E(r) is well defined when r+1 starts, also
// after a catch-up, whose votes must prove completability), votes are
// accepted only with a valid signature of a set member for this round, set
// and genesis, and nothing is finalized without floor(2n/3)+1 distinct
// precommits. With at most n - threshold faulty authorities two conflicting
// blocks cannot both get there (the paper's Theorem 4.1). Independently of
// the votes, the voter never finalizes a block that does not descend from the
// chain's last finalized block.
//
// Threading: every public method takes one mutex; gossip and finalize
// callbacks run after it is released, in order, on the calling thread.
// Time comes from `now_ms`; nothing sleeps: the owner calls tick() at
// next_deadline() (tests drive a simulated clock).

#include "node/finality/authority_set.hpp"
#include "node/finality/chain_view.hpp"
#include "node/finality/error.hpp"
#include "node/finality/round.hpp"

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::node::finality {

/// A peer as the network names it (opaque to the gadget).
using PeerId = std::string;

/// How the gadget's messages leave the node. The network carries opaque
/// bytes with a topic (messages.hpp: round_topic / global_topic).
class GossipOut {
 public:
  virtual ~GossipOut() = default;
  /// Sends to every peer.
  virtual void broadcast(const H256& topic, Bytes message) = 0;
  /// Sends to one peer (catch-up answers and requests).
  virtual void send_to(const PeerId& peer, const H256& topic, Bytes message) = 0;
};

/// Finalizes `block` in the chain and stores `justification` (SCALE Justification) with it.
using FinalizeFn = std::function<Result<void>(const BlockInfo& block, Bytes justification)>;

/// What the network should do with a received message.
enum class MessageAction {
  /// valid and new: relay votes and commits to other peers (catch-up messages are point-to-point: never relay)
  Keep,
  Discard,  ///< valid but useless (duplicate, stale, other set, unknown block): drop, no penalty
  Punish,   ///< invalid (garbage, bad signature, non-member, bad proof): drop and lower the peer's reputation
};

struct Verdict {
  MessageAction action = MessageAction::Discard;
  std::optional<FinalityError> reason;  ///< why it was discarded or punished
};

struct VoterOptions {
  AuthoritySet authorities;
  H256 genesis_hash;
  /// Our authority key; none (or a key outside the set) = observer: follows
  /// rounds and commits, never votes.
  std::optional<runtime::crypto::Keypair> key;
  /// Unix time in milliseconds (or any monotonic ms clock).
  std::function<uint64_t()> now_ms;
  /// T: the time a message takes to reach every peer. Prevote after 2T, precommit after 4T.
  uint64_t gossip_duration_ms = 1000;
  /// Re-send our votes of the open round (and our last commit) this often.
  uint64_t rebroadcast_ms = 8000;
  /// Minimum time between two catch-up requests.
  uint64_t catch_up_interval_ms = 4000;
  /// The first round to run (a restarted node passes the round after the last it voted in).
  RoundNumber start_round = 1;
  /// Rounds ahead of ours whose votes are buffered.
  RoundNumber future_round_window = 4;
  /// Bound of buffered future-round votes and of votes waiting for their block.
  std::size_t max_buffered_votes = 1024;
  /// Equivocation records kept (the oldest are dropped first).
  std::size_t max_equivocation_records = 1024;
  /// Voting rule (Substrate's BeforeBestBlockBy): prevote at most this many
  /// blocks below the head of the best chain, never below the previous
  /// round's estimate or the round base. 1 finalizes a block only once its
  /// child exists (the single-authority dev chain: wallets see a block in a
  /// block before they see it finalized).
  BlockNumber vote_behind_best = 0;
};

/// A snapshot for logs, metrics and tests.
struct VoterStatus {
  SetId set_id = 0;
  RoundNumber round = 0;
  bool prevoted = false;
  bool precommitted = false;
  BlockInfo finalized;  ///< the highest block this voter finalized or saw finalized
  std::size_t equivocations = 0;
  std::size_t buffered_votes = 0;
  std::size_t pending_votes = 0;
};

class Voter {
 public:
  /// References must outlive the voter. Call start() to begin voting.
  Voter(VoterOptions options, const ChainView& chain, GossipOut& gossip, FinalizeFn finalize);
  Voter(const Voter&) = delete;
  Voter& operator=(const Voter&) = delete;

  /// Starts round options.start_round on the chain's last finalized block.
  void start();
  /// Handles a gossip message from `from`; never throws on hostile input.
  Verdict on_message(ByteSpan bytes, const PeerId& from);
  /// Runs timers (prevote, precommit, round end, re-broadcast) at now_ms().
  void tick();
  /// When tick() next has something to do (now_ms() units).
  uint64_t next_deadline() const;
  /// A block was imported: retries the votes that waited for it.
  void on_block_imported();
  /// Verifies a justification for `block` (from sync or a peer) and finalizes
  /// it. Errors: those of verify_encoded_justification; NotDescendant (does
  /// not descend from our last finalized block); StaleRound (at or below it);
  /// UnknownBlock; the chain's finalize error.
  Result<void> import_justification(ByteSpan bytes, const BlockInfo& block);

  VoterStatus status() const;
  /// The equivocations seen (each once; at most max_equivocation_records, newest last).
  std::vector<Equivocation> equivocations() const;
  /// Called (outside the lock) for each new equivocation.
  void on_equivocation(std::function<void(const Equivocation&)> listener);

 private:
  /// Calls to make once the lock is released, in order.
  struct Effects {
    std::vector<std::function<void()>> actions;
  };
  Verdict handle(const GossipMessage& message, const PeerId& from, Effects& fx);
  Verdict handle_vote(const VoteMessage& vote, const PeerId& from, Effects& fx);
  Verdict handle_commit(const CommitMessage& commit, const PeerId& from, Effects& fx);
  Verdict handle_catch_up_request(const CatchUpRequest& request, const PeerId& from, Effects& fx);
  Verdict handle_catch_up(const CatchUp& catch_up, Effects& fx);
  Verdict route_vote(const VoteMessage& vote, std::size_t voter, Effects& fx);
  Verdict import_vote(Round& round, std::size_t voter, const VoteMessage& vote, Effects& fx);
  void record_equivocation(const Equivocation& equivocation, Effects& fx);
  void maybe_request_catch_up(RoundNumber their_round, const PeerId& from, Effects& fx);
  void progress(Effects& fx);
  bool cast(VoteKind kind, const BlockInfo& target, Effects& fx);
  /// The head of the best chain containing E(r-1) (else the round base), moved
  /// down by the voting rule.
  BlockInfo prevote_target(const Round& round, const BlockInfo& estimate) const;
  void try_finalize(const Round& round, Effects& fx);
  void enter_round(RoundNumber number, Effects& fx);
  void retry_pending(Effects& fx);
  void run(Effects& fx);
  BlockInfo finalized_reference() const;
  BlockInfo previous_estimate() const;
  std::optional<std::size_t> our_index() const { return m_our_index; }

  VoterOptions m_options;
  const ChainView& m_chain;
  GossipOut& m_gossip;
  FinalizeFn m_finalize;
  std::optional<std::size_t> m_our_index;

  mutable std::mutex m_mutex;
  bool m_started = false;
  std::optional<Round> m_current;
  std::optional<Round> m_previous;
  uint64_t m_round_start_ms = 0;
  uint64_t m_last_rebroadcast_ms = 0;
  std::optional<uint64_t> m_last_catch_up_request_ms;
  BlockInfo m_finalized;  ///< highest block we finalized (the chain may be ahead)
  std::optional<Bytes> m_last_commit;  ///< our last Commit message, re-broadcast
  std::deque<VoteMessage> m_future;   ///< votes for rounds ahead of ours
  std::deque<VoteMessage> m_pending;  ///< votes whose target block is unknown
  std::vector<Equivocation> m_equivocations;
  std::function<void(const Equivocation&)> m_equivocation_listener;
};

}  // namespace bazaar::node::finality
