// What the voter tells the network about each received message: garbage,
// bad signatures, strangers, other sets, stale and future rounds, catch-up.

#include "tests/node/finality/sim.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::finality;

namespace {

runtime::Bytes vote_bytes(std::size_t who, RoundNumber round, SetId set_id, const BlockInfo& target,
                          const H256& genesis, bool precommit = false) {
  Message m = precommit ? Message{Precommit{target.hash, target.number}} : Message{Prevote{target.hash, target.number}};
  return encode_gossip(VoteMessage{round, set_id, sign_message(authority_key(who), m, round, set_id, genesis)});
}

}  // namespace

SCENARIO("received messages get a verdict for the peer's reputation") {
  GIVEN("a started voter of four authorities") {
    SimNetwork net(4, 1);
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 2);
    const H256 genesis = net.chain.genesis().hash;
    Voter& voter = net.voter(0);

    THEN("garbage is punished as Undecodable, never a crash") {
      uint64_t x = 99;
      for (int i = 0; i < 300; ++i) {
        runtime::Bytes junk(1 + i % 200);
        for (auto& b : junk) b = static_cast<uint8_t>((x = x * 6364136223846793005ULL + 1) >> 56);
        const auto v = voter.on_message(junk, "peer");
        if (v.action == MessageAction::Punish) CHECK(v.reason.has_value());
      }
      const auto v = voter.on_message(runtime::Bytes{0x07}, "peer");
      CHECK(v.action == MessageAction::Punish);
      CHECK(v.reason == FinalityError::Undecodable);
    }
    THEN("a vote with a bad signature is punished as BadSignature") {
      auto bytes = vote_bytes(1, 1, 0, tip, genesis);
      bytes[bytes.size() - 40] ^= 0x01;  // inside the signature
      const auto v = voter.on_message(bytes, "peer");
      CHECK(v.action == MessageAction::Punish);
      CHECK(v.reason == FinalityError::BadSignature);
    }
    THEN("a vote signed for another chain is punished as BadSignature") {
      const auto v = voter.on_message(vote_bytes(1, 1, 0, tip, H256{}), "peer");
      CHECK(v.reason == FinalityError::BadSignature);
    }
    THEN("a vote by a stranger is punished as UnknownAuthority") {
      const auto v = voter.on_message(vote_bytes(9, 1, 0, tip, genesis), "peer");
      CHECK(v.action == MessageAction::Punish);
      CHECK(v.reason == FinalityError::UnknownAuthority);
    }
    THEN("a vote for another set is discarded without penalty") {
      const auto v = voter.on_message(vote_bytes(1, 1, 5, tip, genesis), "peer");
      CHECK(v.action == MessageAction::Discard);
      CHECK(v.reason == FinalityError::WrongSetId);
    }
    THEN("a valid vote is kept, and the same vote again discarded") {
      CHECK(voter.on_message(vote_bytes(1, 1, 0, tip, genesis), "peer").action == MessageAction::Keep);
      CHECK(voter.on_message(vote_bytes(1, 1, 0, tip, genesis), "peer").action == MessageAction::Discard);
    }
    THEN("votes for the next rounds are buffered, far-future ones dropped, and a catch-up is asked for") {
      CHECK(voter.on_message(vote_bytes(1, 2, 0, tip, genesis), "node1").action == MessageAction::Keep);
      CHECK(voter.status().buffered_votes == 1);
      CHECK(voter.on_message(vote_bytes(1, 50, 0, tip, genesis), "node1").action == MessageAction::Discard);
      CHECK(voter.status().buffered_votes == 1);
    }
    THEN("a commit without enough precommits is punished") {
      Commit commit{tip.hash, tip.number, {}};
      for (std::size_t who : {1, 2}) {
        auto s = sign_message(authority_key(who), Message{Precommit{tip.hash, tip.number}}, 1, 0, genesis);
        commit.precommits.push_back(SignedPrecommit{std::get<Precommit>(s.message), s.signature, s.id});
      }
      const auto v = voter.on_message(encode_gossip(CommitMessage{1, 0, commit}), "peer");
      CHECK(v.action == MessageAction::Punish);
      CHECK(v.reason == FinalityError::NotEnoughVotes);
    }
    THEN("a catch-up whose votes do not complete the round is punished") {
      CatchUp c{0, 3, {}, {}, net.chain.genesis().hash, 0};
      auto s = sign_message(authority_key(1), Message{Prevote{tip.hash, tip.number}}, 3, 0, genesis);
      c.prevotes.push_back(SignedPrevote{std::get<Prevote>(s.message), s.signature, s.id});
      const auto v = voter.on_message(encode_gossip(GossipMessage{c}), "peer");
      CHECK(v.action == MessageAction::Punish);
      CHECK(v.reason == FinalityError::NotCompletable);
    }
    THEN("a catch-up request we cannot answer is discarded") {
      const auto v = voter.on_message(encode_gossip(CatchUpRequest{1, 0}), "peer");
      CHECK(v.action == MessageAction::Discard);
    }
  }
}

SCENARIO("a valid catch-up moves a voter to the round after it") {
  GIVEN("a voter in round 1 and the signed votes of a completed round 6") {
    SimNetwork net(4, 1);
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 3);
    const H256 genesis = net.chain.genesis().hash;
    CatchUp c{0, 6, {}, {}, genesis, 0};
    for (std::size_t who : {1, 2, 3}) {
      auto pv = sign_message(authority_key(who), Message{Prevote{tip.hash, tip.number}}, 6, 0, genesis);
      c.prevotes.push_back(SignedPrevote{std::get<Prevote>(pv.message), pv.signature, pv.id});
      auto pc = sign_message(authority_key(who), Message{Precommit{tip.hash, tip.number}}, 6, 0, genesis);
      c.precommits.push_back(SignedPrecommit{std::get<Precommit>(pc.message), pc.signature, pc.id});
    }
    WHEN("it arrives") {
      const auto v = net.voter(0).on_message(encode_gossip(GossipMessage{c}), "node1");
      THEN("the voter is in round 7 and has finalized the round's precommit GHOST") {
        CHECK(v.action == MessageAction::Keep);
        CHECK(net.voter(0).status().round == 7);
        CHECK(net.view(0).finalized() == tip);
      }
      AND_THEN("the same catch-up again is stale") {
        CHECK(net.voter(0).on_message(encode_gossip(GossipMessage{c}), "node1").reason == FinalityError::StaleRound);
      }
    }
    WHEN("one of its signatures is bad") {
      c.precommits[1].signature.bytes[3] ^= 1;
      const auto v = net.voter(0).on_message(encode_gossip(GossipMessage{c}), "node1");
      THEN("it is punished and the voter stays in round 1") {
        CHECK(v.reason == FinalityError::BadSignature);
        CHECK(net.voter(0).status().round == 1);
      }
    }
  }
}

SCENARIO("the timer tells the owner when to tick next") {
  GIVEN("a voter of four that has just started") {
    SimNetwork net(4, 1);
    net.chain.extend(net.chain.genesis(), 1);
    Voter& voter = net.voter(0);
    THEN("the next deadline is the prevote at 2T") {
      CHECK(voter.next_deadline() == net.now + 2 * SimNetwork::kGossipMs);
      AND_WHEN("that time comes") {
        net.now += 2 * SimNetwork::kGossipMs;
        voter.tick();
        THEN("it prevoted, and the next deadline is the precommit timeout at 4T") {
          CHECK(voter.status().prevoted);
          CHECK(voter.next_deadline() == net.now + 2 * SimNetwork::kGossipMs);
        }
      }
    }
  }
}
