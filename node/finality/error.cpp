#include "node/finality/error.hpp"

namespace bazaar::node::finality {

const char* to_string(FinalityError e) {
  switch (e) {
    case FinalityError::Undecodable: return "undecodable finality message";
    case FinalityError::BadSignature: return "bad vote signature";
    case FinalityError::UnknownAuthority: return "vote by a key outside the authority set";
    case FinalityError::NotEnoughVotes: return "not enough votes (need more than 2/3 of the authorities)";
    case FinalityError::DuplicateVote: return "an authority votes twice";
    case FinalityError::WrongSetId: return "wrong authority set id";
    case FinalityError::TargetNotAncestor: return "a precommit target does not descend from the commit target";
    case FinalityError::UnusedAncestry: return "justification carries unused ancestry headers";
    case FinalityError::UnknownBlock: return "unknown block";
    case FinalityError::NotCompletable: return "catch-up votes do not complete the round";
    case FinalityError::TooManyVotes: return "more votes than the authority set can cast";
    case FinalityError::StaleRound: return "message for a past round";
    case FinalityError::NotDescendant: return "target does not descend from the last finalized block";
    case FinalityError::WrongTarget: return "justification is for another block";
  }
  return "unknown finality error";
}

}  // namespace bazaar::node::finality

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::finality, FinalityError, "finality", to_string)
