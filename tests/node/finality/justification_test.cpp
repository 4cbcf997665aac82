// Wire formats and justification checks: round trips, the signing payload,
// garbage, and every verification error.

#include "node/finality/justification.hpp"
#include "tests/node/finality/sim.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::finality;

namespace {

SignedPrecommit precommit(std::size_t who, const BlockInfo& target, RoundNumber round, SetId set_id,
                          const H256& genesis) {
  const auto key = authority_key(who);
  auto s = sign_message(key, Message{Precommit{target.hash, target.number}}, round, set_id, genesis);
  return SignedPrecommit{std::get<Precommit>(s.message), s.signature, s.id};
}

struct Fixture {
  SimChain chain;
  SimView view{chain};
  AuthoritySet set = authority_set(4, 7);
  BlockInfo fork_point = chain.extend(chain.genesis(), 2);
  BlockInfo target = chain.extend(fork_point, 1);
  BlockInfo above = chain.extend(target, 2);
  BlockInfo other = chain.extend(fork_point, 2);
  H256 genesis = chain.genesis().hash;

  /// Precommits by `who` (target for the first, `above` for the others), made into a justification.
  Justification make(std::vector<std::size_t> who, RoundNumber round = 3) {
    Commit commit{target.hash, target.number, {}};
    for (std::size_t i = 0; i < who.size(); ++i) {
      commit.precommits.push_back(precommit(who[i], i == 0 ? target : above, round, set.set_id, genesis));
    }
    return make_justification(round, set.set_id, commit, view).value();
  }
};

}  // namespace

SCENARIO("gossip messages and justifications round-trip through SCALE") {
  GIVEN("one message of each kind") {
    Fixture f;
    const auto vote = sign_message(authority_key(0), Message{Prevote{f.target.hash, f.target.number}}, 5, 7, f.genesis);
    const Justification j = f.make({0, 1, 2});
    const std::vector<GossipMessage> messages = {
        VoteMessage{5, 7, vote}, CommitMessage{5, 7, j.commit}, CatchUpRequest{5, 7},
        CatchUp{7, 5, {SignedPrevote{std::get<Prevote>(vote.message), vote.signature, vote.id}}, j.commit.precommits,
                f.fork_point.hash, f.fork_point.number}};
    THEN("each decodes back to itself, with Substrate's enum indices") {
      const uint8_t indices[] = {0, 1, 3, 4};
      for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto bytes = encode_gossip(messages[i]);
        CHECK(bytes[0] == indices[i]);
        auto back = decode_gossip(bytes);
        REQUIRE(back);
        CHECK(back.value() == messages[i]);
      }
      auto jb = decode_justification(encode_justification(j));
      REQUIRE(jb);
      CHECK(jb.value() == j);
    }
    THEN("a vote is 1 + 8 + 8 + (1 + 32 + 4) + 65 + 33 bytes") {
      CHECK(encode_gossip(messages[0]).size() == 152);
    }
  }
}

SCENARIO("the signing payload binds the vote to its round, set and chain") {
  GIVEN("a prevote") {
    const H256 genesis = runtime::crypto::blake2b_256(runtime::Bytes{1});
    const Message m = Prevote{genesis, 9};
    const auto payload = signing_payload(m, 2, 3, genesis);
    THEN("it is the context, the SCALE message, round and set id as u64 LE, and the genesis hash") {
      runtime::Bytes expected{'b', 'a', 'z', 'a', 'a', 'r', '/', 'g', 'r', 'a', 'n', 'd', 'p', 'a', 0};
      expected.insert(expected.end(), genesis.bytes.begin(), genesis.bytes.end());
      for (uint8_t b : {9, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}) expected.push_back(b);
      expected.insert(expected.end(), genesis.bytes.begin(), genesis.bytes.end());
      CHECK(payload == expected);
    }
    THEN("a signature checks only for the same round, set and genesis") {
      const auto key = authority_key(0);
      const auto s = sign_message(key, m, 2, 3, genesis);
      CHECK(check_signature(m, s.signature, key.public_key(), 2, 3, genesis));
      CHECK_FALSE(check_signature(m, s.signature, key.public_key(), 3, 3, genesis));
      CHECK_FALSE(check_signature(m, s.signature, key.public_key(), 2, 4, genesis));
      CHECK_FALSE(check_signature(m, s.signature, key.public_key(), 2, 3, H256{}));
      CHECK_FALSE(check_signature(Message{Precommit{genesis, 9}}, s.signature, key.public_key(), 2, 3, genesis));
    }
  }
}

SCENARIO("garbage never decodes into a message") {
  GIVEN("empty, random, truncated and padded inputs") {
    Fixture f;
    const auto vote =
        encode_gossip(VoteMessage{1, 7, sign_message(authority_key(0), Message{Prevote{}}, 1, 7, f.genesis)});
    std::vector<runtime::Bytes> inputs = {{}, {0x02}, {0x09, 1, 2, 3}, {0xff}};
    for (std::size_t cut = 0; cut < vote.size(); cut += 7) inputs.emplace_back(vote.begin(), vote.begin() + cut);
    runtime::Bytes padded = vote;
    padded.push_back(0);
    inputs.push_back(padded);
    uint64_t x = 12345;
    for (int i = 0; i < 200; ++i) {
      runtime::Bytes r(1 + i % 90);
      for (auto& b : r) b = static_cast<uint8_t>((x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 56);
      inputs.push_back(r);
    }
    THEN("every one is Undecodable, as a message and as a justification") {
      for (const auto& in : inputs) {
        auto m = decode_gossip(in);
        if (m) continue;  // a random input may happen to be a valid request
        CHECK(m.error() == FinalityError::Undecodable);
      }
      CHECK(decode_gossip(runtime::Bytes{}).error() == FinalityError::Undecodable);
      CHECK(decode_gossip(padded).error() == FinalityError::Undecodable);
      CHECK(decode_justification(runtime::Bytes{1, 2, 3}).error() == FinalityError::Undecodable);
    }
  }
}

SCENARIO("justification verification") {
  GIVEN("four authorities and precommits on a target and a block above it") {
    Fixture f;
    THEN("three distinct authorities verify, with the ancestry of the higher precommits") {
      const auto j = f.make({0, 1, 2});
      CHECK(j.votes_ancestries.size() == 2);
      CHECK(verify_justification(f.set, f.genesis, j));
      CHECK(verify_encoded_justification(f.set, f.genesis, encode_justification(j), f.target));
    }
    THEN("two are NotEnoughVotes") {
      CHECK(verify_justification(f.set, f.genesis, f.make({0, 1})).error() == FinalityError::NotEnoughVotes);
    }
    THEN("a tampered signature is BadSignature") {
      auto j = f.make({0, 1, 2});
      j.commit.precommits[1].signature.bytes[5] ^= 1;
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::BadSignature);
    }
    THEN("a signature from another round is BadSignature") {
      auto j = f.make({0, 1, 2});
      j.round += 1;
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::BadSignature);
    }
    THEN("a key outside the set is UnknownAuthority") {
      auto j = f.make({0, 1, 2});
      j.commit.precommits[2] = precommit(9, f.above, j.round, f.set.set_id, f.genesis);
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::UnknownAuthority);
    }
    THEN("the same authority twice is DuplicateVote") {
      auto j = f.make({0, 1, 1});
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::DuplicateVote);
    }
    THEN("another set id is WrongSetId") {
      auto j = f.make({0, 1, 2});
      AuthoritySet next = f.set;
      next.set_id += 1;
      CHECK(verify_justification(next, f.genesis, j).error() == FinalityError::WrongSetId);
    }
    THEN("more precommits than authorities is TooManyVotes") {
      auto j = f.make({0, 1, 2, 3});
      j.commit.precommits.push_back(j.commit.precommits[0]);
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::TooManyVotes);
    }
    THEN("a precommit on another fork is TargetNotAncestor") {
      auto j = f.make({0, 1, 2});
      j.commit.precommits[2] = precommit(2, f.other, j.round, f.set.set_id, f.genesis);
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::TargetNotAncestor);
      Commit commit = j.commit;
      CHECK(make_justification(j.round, j.set_id, commit, f.view).error() == FinalityError::TargetNotAncestor);
    }
    THEN("missing ancestry is TargetNotAncestor") {
      auto j = f.make({0, 1, 2});
      j.votes_ancestries.pop_back();
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::TargetNotAncestor);
    }
    THEN("an extra header is UnusedAncestry") {
      auto j = f.make({0, 1, 2});
      j.votes_ancestries.push_back(*f.chain.header(f.other.hash));
      CHECK(verify_justification(f.set, f.genesis, j).error() == FinalityError::UnusedAncestry);
    }
    THEN("bytes that do not decode are Undecodable; a justification of another block is WrongTarget") {
      CHECK(verify_encoded_justification(f.set, f.genesis, runtime::Bytes{0, 1}, f.target).error() ==
            FinalityError::Undecodable);
      const auto bytes = encode_justification(f.make({0, 1, 2}));
      CHECK(verify_encoded_justification(f.set, f.genesis, bytes, f.above).error() == FinalityError::WrongTarget);
    }
    THEN("an unknown block is UnknownBlock when building one") {
      Commit commit{f.target.hash, f.target.number, {precommit(0, f.above, 1, 7, f.genesis)}};
      f.view.hide(f.above.hash);
      CHECK(make_justification(1, 7, commit, f.view).error() == FinalityError::UnknownBlock);
    }
  }
}
