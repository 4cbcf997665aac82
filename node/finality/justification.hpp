#pragma once
// Justifications: building one from a commit and the local chain, and checking
// one on its own (the ancestry headers it carries are the only chain data the
// check needs, as in Substrate's GrandpaJustification::verify).

#include "node/finality/authority_set.hpp"
#include "node/finality/chain_view.hpp"
#include "node/finality/error.hpp"

namespace bazaar::node::finality {

/// Checks `justification` against the authority set (`set`, including its
/// set id) of the chain whose genesis hash is `genesis`. In order, the first
/// failure is returned:
///   - WrongSetId: justification.set_id != set.set_id;
///   - TooManyVotes: more precommits than authorities;
///   - per precommit: UnknownAuthority (id not in the set), DuplicateVote
///     (an id seen before in this commit), BadSignature (does not recover to
///     the id for this round, set and genesis), TargetNotAncestor (the target
///     is neither the commit target nor linked to it by votes_ancestries);
///   - UnusedAncestry: an ancestry header no precommit needed;
///   - NotEnoughVotes: fewer than set.threshold() precommits.
Result<void> verify_justification(const AuthoritySet& set, const H256& genesis, const Justification& justification);

/// Decodes `bytes` and checks it as above, and that it finalizes `block`.
/// Errors: Undecodable, WrongTarget, and those of verify_justification.
Result<Justification> verify_encoded_justification(const AuthoritySet& set, const H256& genesis, ByteSpan bytes,
                                                   const BlockInfo& block);

/// A justification for `commit` made in `round` of set `set_id`, with the
/// ancestry headers read from `chain`. Errors: UnknownBlock (a header is
/// missing), TargetNotAncestor (a precommit target does not descend from the
/// commit target).
Result<Justification> make_justification(RoundNumber round, SetId set_id, Commit commit, const ChainView& chain);

}  // namespace bazaar::node::finality
