// Voter: handling of received gossip (votes, commits, catch-up).

#include "node/finality/justification.hpp"
#include "node/finality/voter.hpp"
#include "node/log/log.hpp"

namespace bazaar::node::finality {

namespace {

const std::shared_ptr<spdlog::logger>& finality_log() {
  static const auto logger = log::logger("finality");
  return logger;
}

Verdict keep() { return Verdict{MessageAction::Keep, std::nullopt}; }
Verdict discard(std::optional<FinalityError> reason = std::nullopt) { return Verdict{MessageAction::Discard, reason}; }
Verdict punish(FinalityError reason) { return Verdict{MessageAction::Punish, reason}; }

}  // namespace


Verdict Voter::handle(const GossipMessage& message, const PeerId& from, Effects& fx) {
  return std::visit(
      [&](const auto& m) -> Verdict {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, VoteMessage>) {
          return handle_vote(m, from, fx);
        } else if constexpr (std::is_same_v<T, CommitMessage>) {
          return handle_commit(m, from, fx);
        } else if constexpr (std::is_same_v<T, CatchUpRequest>) {
          return handle_catch_up_request(m, from, fx);
        } else {
          return handle_catch_up(m, fx);
        }
      },
      message);
}

Verdict Voter::handle_vote(const VoteMessage& vote, const PeerId& from, Effects& fx) {
  const auto& set = m_options.authorities;
  if (vote.set_id != set.set_id) return discard(FinalityError::WrongSetId);
  const auto index = set.index_of(vote.message.id);
  if (!index) return punish(FinalityError::UnknownAuthority);
  if (!check_signature(vote.message.message, vote.message.signature, vote.message.id, vote.round, set.set_id,
                       m_options.genesis_hash)) {
    finality_log()->debug("bad vote signature from {} (round {})", from, vote.round);
    return punish(FinalityError::BadSignature);
  }
  if (!m_started) return discard();
  maybe_request_catch_up(vote.round, from, fx);
  return route_vote(vote, *index, fx);
}

Verdict Voter::route_vote(const VoteMessage& vote, std::size_t voter, Effects& fx) {
  const RoundNumber current = m_current->number();
  if (vote.round > current) {
    if (vote.round > current + m_options.future_round_window) return discard();
    if (m_future.size() >= m_options.max_buffered_votes) return discard();
    if (std::find(m_future.begin(), m_future.end(), vote) != m_future.end()) return discard();
    m_future.push_back(vote);
    return keep();
  }
  if (vote.round == current) return import_vote(*m_current, voter, vote, fx);
  if (m_previous && vote.round == m_previous->number()) return import_vote(*m_previous, voter, vote, fx);
  return discard(FinalityError::StaleRound);
}

Verdict Voter::import_vote(Round& round, std::size_t voter, const VoteMessage& vote, Effects& fx) {
  const BlockInfo target = message_target(vote.message.message);
  if (!m_chain.header(target.hash)) {
    if (m_pending.size() >= m_options.max_buffered_votes) return discard(FinalityError::UnknownBlock);
    if (std::find(m_pending.begin(), m_pending.end(), vote) == m_pending.end()) m_pending.push_back(vote);
    return keep();
  }
  const auto route = m_chain.route_to(target, round.base());
  if (!route) return discard(FinalityError::NotDescendant);
  Equivocation equivocation;
  switch (round.import(voter, vote.message, *route, &equivocation)) {
    case VoteImport::New: return keep();
    case VoteImport::Duplicate:
    case VoteImport::Ignored: return discard();
    case VoteImport::Equivocation: record_equivocation(equivocation, fx); return keep();
  }
  return discard();
}

void Voter::record_equivocation(const Equivocation& e, Effects& fx) {
  for (const auto& seen : m_equivocations) {
    if (seen.set_id == e.set_id && seen.round == e.round && seen.kind == e.kind && seen.offender == e.offender) return;
  }
  if (m_equivocations.size() >= m_options.max_equivocation_records && !m_equivocations.empty()) {
    m_equivocations.erase(m_equivocations.begin());
  }
  m_equivocations.push_back(e);
  finality_log()->warn("equivocation: authority {} cast two {}s in round {} of set {} (#{} {} and #{} {})",
                       runtime::to_hex(e.offender), e.kind == VoteKind::Prevote ? "prevote" : "precommit", e.round,
                       e.set_id, message_target(e.first.message).number,
                       runtime::to_hex(message_target(e.first.message).hash),
                       message_target(e.second.message).number,
                       runtime::to_hex(message_target(e.second.message).hash));
  if (m_equivocation_listener) {
    fx.actions.push_back([listener = m_equivocation_listener, e] { listener(e); });
  }
}

void Voter::retry_pending(Effects& fx) {
  if (!m_started || m_pending.empty()) return;
  std::deque<VoteMessage> pending;
  pending.swap(m_pending);
  const RoundNumber oldest = m_previous ? m_previous->number() : m_current->number();
  for (auto& vote : pending) {
    if (vote.round < oldest) continue;  // its round is over
    const auto index = m_options.authorities.index_of(vote.message.id);
    if (!index) continue;
    if (!m_chain.header(message_target(vote.message.message).hash)) {
      m_pending.push_back(std::move(vote));
      continue;
    }
    route_vote(vote, *index, fx);
  }
}

void Voter::maybe_request_catch_up(RoundNumber their_round, const PeerId& from, Effects& fx) {
  if (!m_started || their_round <= m_current->number()) return;
  const uint64_t now = m_options.now_ms();
  if (m_last_catch_up_request_ms && now < *m_last_catch_up_request_ms + m_options.catch_up_interval_ms) return;
  m_last_catch_up_request_ms = now;
  const SetId set_id = m_options.authorities.set_id;
  Bytes request = encode_gossip(CatchUpRequest{m_current->number(), set_id});
  finality_log()->debug("asking {} to catch us up from round {} (they are in round {})", from, m_current->number(),
                        their_round);
  fx.actions.push_back([this, from, set_id, request = std::move(request)] {
    m_gossip.send_to(from, global_topic(set_id), request);
  });
}

Verdict Voter::handle_commit(const CommitMessage& message, const PeerId& from, Effects& fx) {
  const auto& set = m_options.authorities;
  if (message.set_id != set.set_id) return discard(FinalityError::WrongSetId);
  if (message.commit.precommits.size() > set.size()) return punish(FinalityError::TooManyVotes);
  auto justification = make_justification(message.round, message.set_id, message.commit, m_chain);
  if (!justification) {
    const auto reason = static_cast<FinalityError>(justification.error().value());
    if (reason == FinalityError::UnknownBlock) return discard(reason);
    return punish(reason);
  }
  if (auto verified = verify_justification(set, m_options.genesis_hash, justification.value()); !verified) {
    return punish(static_cast<FinalityError>(verified.error().value()));
  }
  maybe_request_catch_up(message.round, from, fx);
  const BlockInfo target = message.commit.target();
  const BlockInfo reference = finalized_reference();
  if (target.number <= reference.number) return discard();
  if (!m_chain.is_descendant(target, reference)) {
    finality_log()->error("valid commit for #{} ({}) from {} conflicts with our finalized #{} ({})", target.number,
                          runtime::to_hex(target.hash), from, reference.number, runtime::to_hex(reference.hash));
    return discard(FinalityError::NotDescendant);
  }
  m_finalized = target;
  finality_log()->info("finalized #{} ({}) from a commit of round {}", target.number,
                       runtime::to_hex(target.hash).substr(0, 10), message.round);
  fx.actions.push_back([this, target, bytes = encode_justification(justification.value())]() mutable {
    if (auto done = m_finalize(target, std::move(bytes)); !done) {
      finality_log()->error("finalizing #{} failed: {}", target.number, done.error().message());
    }
  });
  return keep();
}

Verdict Voter::handle_catch_up_request(const CatchUpRequest& request, const PeerId& from, Effects& fx) {
  const SetId set_id = m_options.authorities.set_id;
  if (request.set_id != set_id) return discard(FinalityError::WrongSetId);
  if (!m_started || !m_previous || m_previous->number() < request.round) return discard();
  CatchUp answer{set_id,
                 m_previous->number(),
                 m_previous->signed_prevotes(),
                 m_previous->signed_precommits(),
                 m_previous->base().hash,
                 m_previous->base().number};
  fx.actions.push_back([this, from, set_id, bytes = encode_gossip(answer)] {
    m_gossip.send_to(from, global_topic(set_id), bytes);
  });
  return keep();
}

Verdict Voter::handle_catch_up(const CatchUp& catch_up, Effects& fx) {
  const auto& set = m_options.authorities;
  if (catch_up.set_id != set.set_id) return discard(FinalityError::WrongSetId);
  if (!m_started || catch_up.round < m_current->number()) return discard(FinalityError::StaleRound);
  if (catch_up.prevotes.size() > 2 * set.size() || catch_up.precommits.size() > 2 * set.size()) {
    return punish(FinalityError::TooManyVotes);
  }
  const BlockInfo base{catch_up.base_hash, catch_up.base_number};
  if (!m_chain.header(base.hash)) return discard(FinalityError::UnknownBlock);
  const BlockInfo reference = finalized_reference();
  if (!m_chain.is_descendant(base, reference) && !m_chain.is_descendant(reference, base)) {
    return discard(FinalityError::NotDescendant);
  }
  Round round(catch_up.round, base, set);
  std::vector<Equivocation> equivocations;
  auto add = [&](const Message& message, const AuthoritySignature& signature, const AuthorityId& id)
      -> std::optional<Verdict> {
    const auto index = set.index_of(id);
    if (!index) return punish(FinalityError::UnknownAuthority);
    if (!check_signature(message, signature, id, catch_up.round, set.set_id, m_options.genesis_hash)) {
      return punish(FinalityError::BadSignature);
    }
    const BlockInfo target = message_target(message);
    if (!m_chain.header(target.hash)) return discard(FinalityError::UnknownBlock);
    const auto route = m_chain.route_to(target, base);
    if (!route) return punish(FinalityError::NotDescendant);
    Equivocation equivocation;
    if (round.import(*index, SignedMessage{message, signature, id}, *route, &equivocation) ==
        VoteImport::Equivocation) {
      equivocations.push_back(equivocation);
    }
    return std::nullopt;
  };
  for (const auto& v : catch_up.prevotes) {
    if (auto failed = add(Message{v.prevote}, v.signature, v.id)) return *failed;
  }
  for (const auto& v : catch_up.precommits) {
    if (auto failed = add(Message{v.precommit}, v.signature, v.id)) return *failed;
  }
  if (!round.completable()) return punish(FinalityError::NotCompletable);
  for (const auto& e : equivocations) record_equivocation(e, fx);
  finality_log()->info("caught up to round {} (was in round {})", catch_up.round + 1, m_current->number());
  m_current.emplace(std::move(round));
  enter_round(catch_up.round + 1, fx);
  return keep();
}

}  // namespace bazaar::node::finality
