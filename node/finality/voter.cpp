#include "node/finality/voter.hpp"

#include "node/finality/justification.hpp"
#include "node/log/log.hpp"

#include <algorithm>

namespace bazaar::node::finality {

namespace {

const std::shared_ptr<spdlog::logger>& finality_log() {
  static const auto logger = log::logger("finality");
  return logger;
}

std::string short_hash(const H256& h) { return runtime::to_hex(h).substr(0, 10); }

}  // namespace

Voter::Voter(VoterOptions options, const ChainView& chain, GossipOut& gossip, FinalizeFn finalize)
    : m_options(std::move(options)), m_chain(chain), m_gossip(gossip), m_finalize(std::move(finalize)) {
  if (m_options.key) m_our_index = m_options.authorities.index_of(m_options.key->public_key());
  if (!m_options.now_ms) m_options.now_ms = [] { return uint64_t{0}; };
  m_finalized = m_chain.finalized();
}

void Voter::run(Effects& fx) {
  for (auto& action : fx.actions) action();
}

void Voter::start() {
  Effects fx;
  {
    std::lock_guard lock(m_mutex);
    if (m_started) return;
    m_started = true;
    m_last_rebroadcast_ms = m_options.now_ms();
    enter_round(std::max<RoundNumber>(m_options.start_round, 1), fx);
    progress(fx);
  }
  run(fx);
}

Verdict Voter::on_message(ByteSpan bytes, const PeerId& from) {
  Effects fx;
  Verdict verdict;
  {
    std::lock_guard lock(m_mutex);
    auto decoded = decode_gossip(bytes);
    if (!decoded) {
      finality_log()->debug("undecodable message from {} ({} bytes)", from, bytes.size());
      return Verdict{MessageAction::Punish, FinalityError::Undecodable};
    }
    verdict = handle(decoded.value(), from, fx);
    if (m_started) progress(fx);
  }
  run(fx);
  return verdict;
}

void Voter::tick() {
  Effects fx;
  {
    std::lock_guard lock(m_mutex);
    if (!m_started) return;
    retry_pending(fx);
    progress(fx);
    const uint64_t now = m_options.now_ms();
    if (now >= m_last_rebroadcast_ms + m_options.rebroadcast_ms) {
      m_last_rebroadcast_ms = now;
      if (m_our_index) {
        for (const Round* round : {m_previous ? &*m_previous : nullptr, &*m_current}) {
          if (!round) continue;
          for (auto& vote : round->votes_of(*m_our_index)) {
            Bytes bytes = encode_gossip(VoteMessage{round->number(), m_options.authorities.set_id, std::move(vote)});
            const H256 topic = round_topic(m_options.authorities.set_id, round->number());
            fx.actions.push_back([this, topic, bytes = std::move(bytes)] { m_gossip.broadcast(topic, bytes); });
          }
        }
      }
      if (m_last_commit) {
        fx.actions.push_back([this, bytes = *m_last_commit] {
          m_gossip.broadcast(global_topic(m_options.authorities.set_id), bytes);
        });
      }
    }
  }
  run(fx);
}

uint64_t Voter::next_deadline() const {
  std::lock_guard lock(m_mutex);
  uint64_t next = m_last_rebroadcast_ms + m_options.rebroadcast_ms;
  if (!m_started) return next;
  const uint64_t t = m_options.gossip_duration_ms;
  if (m_our_index && !m_current->has_voted(*m_our_index, VoteKind::Prevote)) {
    next = std::min(next, m_round_start_ms + 2 * t);
  } else {
    next = std::min(next, m_round_start_ms + 4 * t);
  }
  return std::max(next, m_options.now_ms());
}

void Voter::on_block_imported() {
  Effects fx;
  {
    std::lock_guard lock(m_mutex);
    retry_pending(fx);
    if (m_started) progress(fx);
  }
  run(fx);
}

Result<void> Voter::import_justification(ByteSpan bytes, const BlockInfo& block) {
  {
    std::lock_guard lock(m_mutex);
    BAZAAR_TRY(verify_encoded_justification(m_options.authorities, m_options.genesis_hash, bytes, block));
    const BlockInfo reference = finalized_reference();
    if (block.number <= reference.number) return FinalityError::StaleRound;
    if (!m_chain.header(block.hash)) return FinalityError::UnknownBlock;
    if (!m_chain.is_descendant(block, reference)) return FinalityError::NotDescendant;
    m_finalized = block;
  }
  finality_log()->info("finalized #{} ({}) from a justification", block.number, short_hash(block.hash));
  return m_finalize(block, Bytes(bytes.begin(), bytes.end()));
}

VoterStatus Voter::status() const {
  std::lock_guard lock(m_mutex);
  VoterStatus s;
  s.set_id = m_options.authorities.set_id;
  s.finalized = finalized_reference();
  s.equivocations = m_equivocations.size();
  s.buffered_votes = m_future.size();
  s.pending_votes = m_pending.size();
  if (m_current) {
    s.round = m_current->number();
    s.prevoted = m_our_index && m_current->has_voted(*m_our_index, VoteKind::Prevote);
    s.precommitted = m_our_index && m_current->has_voted(*m_our_index, VoteKind::Precommit);
  }
  return s;
}

std::vector<Equivocation> Voter::equivocations() const {
  std::lock_guard lock(m_mutex);
  return m_equivocations;
}

void Voter::on_equivocation(std::function<void(const Equivocation&)> listener) {
  std::lock_guard lock(m_mutex);
  m_equivocation_listener = std::move(listener);
}

BlockInfo Voter::finalized_reference() const {
  const BlockInfo chain_finalized = m_chain.finalized();
  return chain_finalized.number > m_finalized.number ? chain_finalized : m_finalized;
}

BlockInfo Voter::previous_estimate() const {
  if (m_previous) return m_previous->estimate().value_or(m_previous->base());
  return m_current->base();
}

void Voter::enter_round(RoundNumber number, Effects& fx) {
  if (m_current) m_previous = std::move(*m_current);
  m_current.emplace(number, finalized_reference(), m_options.authorities);
  m_round_start_ms = m_options.now_ms();
  finality_log()->debug("round {} starts on #{}", number, m_current->base().number);
  std::deque<VoteMessage> future;
  future.swap(m_future);
  for (auto& vote : future) {
    if (vote.round < number) continue;
    if (vote.round > number) {
      m_future.push_back(std::move(vote));
      continue;
    }
    const auto index = m_options.authorities.index_of(vote.message.id);
    if (index) import_vote(*m_current, *index, vote, fx);
  }
}

}  // namespace bazaar::node::finality
