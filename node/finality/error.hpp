#pragma once
// Errors of the finality gadget: message decoding, vote and justification
// checks (see justification.hpp and voter.hpp for where each one arises).

#include "runtime/result.hpp"

namespace bazaar::node::finality {

enum class FinalityError {
  Undecodable = 1,    ///< the bytes are not a SCALE gossip message / justification
  BadSignature,       ///< a vote's signature does not recover to its authority id
  UnknownAuthority,   ///< a vote signed by a key outside the authority set
  NotEnoughVotes,     ///< fewer than floor(2n/3)+1 distinct authorities support the target
  DuplicateVote,      ///< one authority appears twice in a commit / justification
  WrongSetId,         ///< the message or justification is for another authority set
  TargetNotAncestor,  ///< a precommit's target does not descend from the commit target (per the ancestry)
  UnusedAncestry,     ///< the justification carries ancestry headers that no precommit needs
  UnknownBlock,       ///< a block the check needs is not known (yet) to the local chain
  NotCompletable,     ///< a catch-up whose votes do not make the round completable
  TooManyVotes,       ///< more votes than the authority set can produce
  StaleRound,         ///< a message about a round this voter has already left
  NotDescendant,      ///< the target does not descend from our last finalized block
  WrongTarget,        ///< the justification finalizes another block than the one it came with
};
const char* to_string(FinalityError e);

}  // namespace bazaar::node::finality

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::finality, FinalityError)
