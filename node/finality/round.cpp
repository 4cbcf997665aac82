#include "node/finality/round.hpp"

#include <algorithm>

namespace bazaar::node::finality {

namespace {

VoteKind kind_of(const Message& m) {
  return std::holds_alternative<Prevote>(m) ? VoteKind::Prevote : VoteKind::Precommit;
}

bool route_contains(const std::vector<BlockInfo>& route, const BlockInfo& base, const BlockInfo& block) {
  return block == base || std::find(route.begin(), route.end(), block) != route.end();
}

}  // namespace

Round::Round(RoundNumber number, BlockInfo base, const AuthoritySet& set)
    : m_number(number),
      m_base(base),
      m_set(&set),
      m_prevotes(base, set.size()),
      m_precommits(base, set.size()) {
  for (int k = 0; k < 2; ++k) {
    m_votes[k].resize(set.size());
    m_routes[k].resize(set.size());
  }
}

VoteImport Round::import(std::size_t voter, const SignedMessage& vote, const std::vector<BlockInfo>& route,
                         Equivocation* equivocation) {
  const VoteKind kind = kind_of(vote.message);
  const auto k = static_cast<std::size_t>(kind);
  auto& votes = m_votes[k][voter];
  for (const auto& seen : votes) {
    if (seen.message == vote.message) return VoteImport::Duplicate;
  }
  if (votes.size() >= 2) return VoteImport::Ignored;
  votes.push_back(vote);
  m_routes[k][voter].push_back(route);
  (kind == VoteKind::Prevote ? m_prevotes : m_precommits).insert(voter, route);
  if (votes.size() == 1) return VoteImport::New;
  ++m_equivocators[k];
  if (equivocation) *equivocation = Equivocation{m_set->set_id, m_number, kind, vote.id, votes[0], votes[1]};
  return VoteImport::Equivocation;
}

std::optional<BlockInfo> Round::prevote_ghost() const { return m_prevotes.ghost(m_set->threshold()); }

bool Round::possible_to_precommit(std::size_t support) const {
  const std::size_t n = m_set->size();
  const std::size_t threshold = m_set->threshold();
  const std::size_t current = m_precommits.voters();
  const std::size_t tolerated = n - threshold;
  const std::size_t equivocated = m_equivocators[1];
  const std::size_t additional = tolerated > equivocated ? tolerated - equivocated : 0;
  const std::size_t remaining = n - current;
  const std::size_t possible_equivocations = std::min(current - std::min(current, support), additional);
  return support + remaining + possible_equivocations >= threshold;
}

std::optional<BlockInfo> Round::estimate() const {
  const auto g = prevote_ghost();
  if (!g) return std::nullopt;
  if (m_precommits.voters() < m_set->threshold()) return g;
  // Walk g's chain (in the prevote graph) down to the base, testing precommit support.
  for (std::optional<BlockInfo> at = g; at; at = m_prevotes.parent(at->hash)) {
    if (possible_to_precommit(m_precommits.support(at->hash))) return at;
  }
  return std::nullopt;
}

bool Round::completable() const {
  const auto g = prevote_ghost();
  if (!g || m_precommits.voters() < m_set->threshold()) return false;
  const auto e = estimate();
  if (!e) return false;
  if (*e != *g) return true;
  for (const auto& child : m_precommits.children(g->hash)) {
    if (possible_to_precommit(m_precommits.support(child.hash))) return false;
  }
  return true;
}

std::optional<BlockInfo> Round::precommit_ghost() const { return m_precommits.ghost(m_set->threshold()); }

bool Round::has_voted(std::size_t voter, VoteKind kind) const {
  return voter < m_set->size() && !m_votes[static_cast<std::size_t>(kind)][voter].empty();
}

Commit Round::commit_for(const BlockInfo& target) const {
  Commit commit{target.hash, target.number, {}};
  const auto k = static_cast<std::size_t>(VoteKind::Precommit);
  for (std::size_t voter = 0; voter < m_set->size(); ++voter) {
    const auto& votes = m_votes[k][voter];
    for (std::size_t i = 0; i < votes.size(); ++i) {
      if (!route_contains(m_routes[k][voter][i], m_base, target)) continue;
      commit.precommits.push_back(
          SignedPrecommit{std::get<Precommit>(votes[i].message), votes[i].signature, votes[i].id});
      break;
    }
  }
  return commit;
}

std::vector<SignedPrevote> Round::signed_prevotes() const {
  std::vector<SignedPrevote> out;
  for (const auto& votes : m_votes[0]) {
    for (const auto& v : votes) out.push_back(SignedPrevote{std::get<Prevote>(v.message), v.signature, v.id});
  }
  return out;
}

std::vector<SignedPrecommit> Round::signed_precommits() const {
  std::vector<SignedPrecommit> out;
  for (const auto& votes : m_votes[1]) {
    for (const auto& v : votes) out.push_back(SignedPrecommit{std::get<Precommit>(v.message), v.signature, v.id});
  }
  return out;
}

std::vector<SignedMessage> Round::votes_of(std::size_t voter) const {
  std::vector<SignedMessage> out;
  if (voter >= m_set->size()) return out;
  for (int k = 0; k < 2; ++k) out.insert(out.end(), m_votes[k][voter].begin(), m_votes[k][voter].end());
  return out;
}

}  // namespace bazaar::node::finality
