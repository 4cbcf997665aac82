#pragma once
// One GRANDPA round as seen by one voter: the signed prevotes and precommits
// received, the two vote graphs, and what the paper derives from them
// (Stewart & Kokoris-Kogia 2020, §3; finality-grandpa's round.rs):
//   - prevote GHOST g: the highest block with prevotes from >= threshold authorities;
//   - estimate E: the highest block on g's chain that can still get
//     precommits from >= threshold authorities, counting those who have not
//     precommitted and the equivocations still tolerable;
//   - completable: >= threshold precommits and either E < g or no child of g
//     can reach a precommit supermajority any more;
//   - precommit GHOST: the highest block with precommits from >= threshold
//     authorities: it is final.
// Votes are checked (signature, authority) by the caller; the round detects
// duplicates and equivocations (a second, different vote of the same kind by
// one authority). An equivocator's first two votes both count (as in
// finality-grandpa), later ones are ignored.

#include "node/finality/authority_set.hpp"
#include "node/finality/vote_graph.hpp"

#include <optional>
#include <vector>

namespace bazaar::node::finality {

enum class VoteKind : uint8_t { Prevote = 0, Precommit = 1 };

/// Two different votes of one kind by one authority in one round: the
/// evidence a runtime report would need (event-ready).
struct Equivocation {
  SetId set_id = 0;
  RoundNumber round = 0;
  VoteKind kind = VoteKind::Prevote;
  AuthorityId offender;
  SignedMessage first;
  SignedMessage second;
};

enum class VoteImport {
  New,           ///< a first vote of this kind by this authority
  Duplicate,     ///< the same vote again
  Equivocation,  ///< a second, different vote: also counted, and reported
  Ignored,       ///< a third or later different vote
};

class Round {
 public:
  /// Round `number` of `set`, counting votes for `base` and its descendants.
  Round(RoundNumber number, BlockInfo base, const AuthoritySet& set);

  RoundNumber number() const { return m_number; }
  const BlockInfo& base() const { return m_base; }

  /// Imports a vote by authority `voter` (index in the set) whose signature
  /// the caller checked; `route` = ChainView::route_to(target, base()).
  /// `equivocation` receives the evidence when the result is Equivocation.
  VoteImport import(std::size_t voter, const SignedMessage& vote, const std::vector<BlockInfo>& route,
                    Equivocation* equivocation = nullptr);

  std::optional<BlockInfo> prevote_ghost() const;
  std::optional<BlockInfo> estimate() const;
  std::optional<BlockInfo> precommit_ghost() const;
  bool completable() const;

  /// Distinct authorities that prevoted / precommitted.
  std::size_t prevoters() const { return m_prevotes.voters(); }
  std::size_t precommitters() const { return m_precommits.voters(); }
  bool has_voted(std::size_t voter, VoteKind kind) const;

  /// A commit for `target`: one precommit (the first received) of each
  /// authority whose precommit is for `target` or a descendant.
  Commit commit_for(const BlockInfo& target) const;
  /// Every signed vote received (equivocations included), for catch-up.
  std::vector<SignedPrevote> signed_prevotes() const;
  std::vector<SignedPrecommit> signed_precommits() const;
  /// The votes cast by `voter` in this round (to re-broadcast our own).
  std::vector<SignedMessage> votes_of(std::size_t voter) const;

 private:
  const VoteGraph& graph(VoteKind kind) const { return kind == VoteKind::Prevote ? m_prevotes : m_precommits; }
  /// finality-grandpa's possible_to_precommit for a block with `support` precommits.
  bool possible_to_precommit(std::size_t support) const;

  RoundNumber m_number;
  BlockInfo m_base;
  const AuthoritySet* m_set;
  VoteGraph m_prevotes;
  VoteGraph m_precommits;
  /// [kind][voter] -> the votes received (at most two).
  std::vector<std::vector<SignedMessage>> m_votes[2];
  /// A route per stored vote, parallel to m_votes (to test "target or descendant").
  std::vector<std::vector<std::vector<BlockInfo>>> m_routes[2];
  std::size_t m_equivocators[2] = {0, 0};
};

}  // namespace bazaar::node::finality
