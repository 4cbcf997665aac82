#include "node/finality/justification.hpp"

#include "runtime/primitives/header.hpp"

#include <set>
#include <unordered_map>

namespace bazaar::node::finality {

namespace {

/// Whether `from` reaches `target` through the headers in `ancestry`, marking the headers used.
bool linked(const BlockInfo& from, const BlockInfo& target, const std::unordered_map<H256, const Header*>& ancestry,
            std::set<H256>& used) {
  if (from.number < target.number) return false;
  BlockInfo at = from;
  while (at.number > target.number) {
    const auto it = ancestry.find(at.hash);
    if (it == ancestry.end() || it->second->number.value != at.number) return false;
    used.insert(at.hash);
    at = BlockInfo{it->second->parent_hash, at.number - 1};
  }
  return at.hash == target.hash;
}

}  // namespace

Result<void> verify_justification(const AuthoritySet& set, const H256& genesis, const Justification& justification) {
  if (justification.set_id != set.set_id) return FinalityError::WrongSetId;
  const Commit& commit = justification.commit;
  if (commit.precommits.size() > set.size()) return FinalityError::TooManyVotes;

  std::unordered_map<H256, const Header*> ancestry;
  for (const auto& header : justification.votes_ancestries) ancestry.emplace(runtime::header_hash(header), &header);

  std::set<AuthorityId> seen;
  std::set<H256> used;
  for (const auto& signed_precommit : commit.precommits) {
    if (!set.index_of(signed_precommit.id)) return FinalityError::UnknownAuthority;
    if (!seen.insert(signed_precommit.id).second) return FinalityError::DuplicateVote;
    if (!check_signature(Message{signed_precommit.precommit}, signed_precommit.signature, signed_precommit.id,
                         justification.round, set.set_id, genesis)) {
      return FinalityError::BadSignature;
    }
    if (!linked(signed_precommit.precommit.target(), commit.target(), ancestry, used)) {
      return FinalityError::TargetNotAncestor;
    }
  }
  if (used.size() != ancestry.size()) return FinalityError::UnusedAncestry;
  if (seen.size() < set.threshold()) return FinalityError::NotEnoughVotes;
  return success();
}

Result<Justification> verify_encoded_justification(const AuthoritySet& set, const H256& genesis, ByteSpan bytes,
                                                   const BlockInfo& block) {
  BAZAAR_TRY(auto justification, decode_justification(bytes));
  if (justification.commit.target() != block) return FinalityError::WrongTarget;
  BAZAAR_TRY(verify_justification(set, genesis, justification));
  return justification;
}

Result<Justification> make_justification(RoundNumber round, SetId set_id, Commit commit, const ChainView& chain) {
  Justification justification{round, set_id, std::move(commit), {}};
  const BlockInfo target = justification.commit.target();
  if (!chain.header(target.hash)) return FinalityError::UnknownBlock;
  std::set<H256> added;
  for (const auto& signed_precommit : justification.commit.precommits) {
    const BlockInfo from = signed_precommit.precommit.target();
    if (!chain.header(from.hash)) return FinalityError::UnknownBlock;
    auto headers = chain.headers_to(from, target);
    if (!headers) return FinalityError::TargetNotAncestor;
    for (auto& header : *headers) {
      if (added.insert(runtime::header_hash(header)).second) {
        justification.votes_ancestries.push_back(std::move(header));
      }
    }
  }
  return justification;
}

}  // namespace bazaar::node::finality
