// Voter: the round state machine (when to prevote, precommit, finalize and
// move to the next round).

#include "node/finality/justification.hpp"
#include "node/finality/voter.hpp"
#include "node/log/log.hpp"

namespace bazaar::node::finality {

namespace {

const std::shared_ptr<spdlog::logger>& finality_log() {
  static const auto logger = log::logger("finality");
  return logger;
}

}  // namespace

void Voter::progress(Effects& fx) {
  const uint64_t t = m_options.gossip_duration_ms;
  const std::size_t n = m_options.authorities.size();
  // Each pass either changes something or stops; a round change needs new
  // votes, so the loop ends after a few passes.
  for (;;) {
    Round& round = *m_current;
    const uint64_t now = m_options.now_ms();
    const BlockInfo estimate = previous_estimate();
    bool changed = false;

    if (m_our_index && !round.has_voted(*m_our_index, VoteKind::Prevote)) {
      const BlockInfo target = prevote_target(round, estimate);
      // Alone, our vote decides: waiting 2T for others' votes only delays finality.
      const bool alone = n == 1 && target.number > round.base().number;
      if (now >= m_round_start_ms + 2 * t || round.completable() || alone) changed = cast(VoteKind::Prevote, target, fx);
    }

    if (m_our_index && round.has_voted(*m_our_index, VoteKind::Prevote) &&
        !round.has_voted(*m_our_index, VoteKind::Precommit)) {
      const auto ghost = round.prevote_ghost();
      const bool ready = now >= m_round_start_ms + 4 * t || round.prevoters() == n || round.completable();
      if (ghost && ready && m_chain.is_descendant(*ghost, estimate)) {
        changed = cast(VoteKind::Precommit, *ghost, fx) || changed;
      }
    }

    if (m_previous) try_finalize(*m_previous, fx);
    try_finalize(round, fx);

    const bool done_voting =
        !m_our_index || round.has_voted(*m_our_index, VoteKind::Precommit) || now >= m_round_start_ms + 4 * t;
    if (done_voting && round.completable()) {
      enter_round(round.number() + 1, fx);
      changed = true;
    }
    if (!changed) return;
  }
}

BlockInfo Voter::prevote_target(const Round& round, const BlockInfo& estimate) const {
  // GRANDPA: the head of the best chain containing the previous round's estimate.
  std::optional<BlockInfo> head = m_chain.best_containing(estimate);
  if (!head || !m_chain.is_descendant(*head, round.base())) head = m_chain.best_containing(round.base());
  if (!head) return round.base();
  if (m_options.vote_behind_best == 0 || head->number <= round.base().number) return *head;
  // The voting rule: walk down from the head, staying on the chain that contains
  // both the estimate (when it is above the base, as the head descends from it
  // then) and the round base.
  BlockNumber floor = round.base().number;
  if (estimate.number > floor && m_chain.is_descendant(*head, estimate)) floor = estimate.number;
  const BlockNumber wanted =
      head->number > floor + m_options.vote_behind_best ? head->number - m_options.vote_behind_best : floor;
  if (wanted == head->number) return *head;
  const auto route = m_chain.route_to(*head, round.base());  // head down to, not including, the base
  if (!route) return *head;
  for (const auto& block : *route)
    if (block.number == wanted) return block;
  return round.base();  // wanted == base number
}

bool Voter::cast(VoteKind kind, const BlockInfo& target, Effects& fx) {
  Round& round = *m_current;
  const SetId set_id = m_options.authorities.set_id;
  Message message = kind == VoteKind::Prevote ? Message{Prevote{target.hash, target.number}}
                                              : Message{Precommit{target.hash, target.number}};
  const auto route = m_chain.route_to(target, round.base());
  if (!route) {
    finality_log()->error("cannot vote for #{}: not above the round base #{}", target.number, round.base().number);
    return false;
  }
  SignedMessage signed_message =
      sign_message(*m_options.key, std::move(message), round.number(), set_id, m_options.genesis_hash);
  round.import(*m_our_index, signed_message, *route);
  finality_log()->debug("round {}: {} for #{} ({})", round.number(),
                        kind == VoteKind::Prevote ? "prevote" : "precommit", target.number,
                        runtime::to_hex(target.hash).substr(0, 10));
  Bytes bytes = encode_gossip(VoteMessage{round.number(), set_id, std::move(signed_message)});
  const H256 topic = round_topic(set_id, round.number());
  fx.actions.push_back([this, topic, bytes = std::move(bytes)] { m_gossip.broadcast(topic, bytes); });
  return true;
}

void Voter::try_finalize(const Round& round, Effects& fx) {
  const auto target = round.precommit_ghost();
  if (!target) return;
  const BlockInfo reference = finalized_reference();
  if (target->number <= reference.number) return;
  if (!m_chain.is_descendant(*target, reference)) {
    finality_log()->error("round {} precommits #{} ({}), which does not descend from finalized #{} ({})",
                          round.number(), target->number, runtime::to_hex(target->hash), reference.number,
                          runtime::to_hex(reference.hash));
    return;
  }
  const SetId set_id = m_options.authorities.set_id;
  Commit commit = round.commit_for(*target);
  auto justification = make_justification(round.number(), set_id, commit, m_chain);
  if (!justification) {
    finality_log()->error("cannot build the justification of #{}: {}", target->number,
                          justification.error().message());
    return;
  }
  m_finalized = *target;
  finality_log()->info("finalized #{} ({}) in round {}", target->number, runtime::to_hex(target->hash).substr(0, 10),
                       round.number());
  m_last_commit = encode_gossip(CommitMessage{round.number(), set_id, std::move(commit)});
  fx.actions.push_back([this, block = *target, bytes = encode_justification(justification.value())]() mutable {
    if (auto done = m_finalize(block, std::move(bytes)); !done) {
      finality_log()->error("finalizing #{} failed: {}", block.number, done.error().message());
    }
  });
  fx.actions.push_back([this, set_id, bytes = *m_last_commit] { m_gossip.broadcast(global_topic(set_id), bytes); });
}

}  // namespace bazaar::node::finality
