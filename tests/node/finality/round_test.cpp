// The vote graph and one round's derived values: GHOST, estimate,
// completability, equivocations.

#include "node/finality/round.hpp"
#include "tests/node/finality/sim.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::finality;

namespace {

struct Fixture {
  SimChain chain;
  SimView view{chain};
  AuthoritySet set = authority_set(4);
  BlockInfo base = chain.genesis();
  BlockInfo fork_point = chain.extend(base, 2);
  BlockInfo a = chain.extend(fork_point, 2);
  BlockInfo b = chain.extend(fork_point, 1);
  Round round{1, base, set};

  VoteImport vote(std::size_t who, VoteKind kind, const BlockInfo& target, Equivocation* e = nullptr) {
    Message m = kind == VoteKind::Prevote ? Message{Prevote{target.hash, target.number}}
                                          : Message{Precommit{target.hash, target.number}};
    return round.import(who, sign_message(authority_key(who), m, 1, 0, base.hash), *view.route_to(target, base), e);
  }
};

}  // namespace

SCENARIO("the vote graph counts each voter once per block") {
  GIVEN("votes on two branches") {
    Fixture f;
    VoteGraph g(f.base, 4);
    g.insert(0, *f.view.route_to(f.a, f.base));
    g.insert(1, *f.view.route_to(f.a, f.base));
    g.insert(2, *f.view.route_to(f.b, f.base));
    g.insert(2, *f.view.route_to(f.a, f.base));
    THEN("support sums over descendants, and the GHOST follows the threshold") {
      CHECK(g.voters() == 3);
      CHECK(g.support(f.fork_point.hash) == 3);
      CHECK(g.support(f.a.hash) == 3);
      CHECK(g.support(f.b.hash) == 1);
      CHECK(g.ghost(3) == f.a);
      CHECK(g.ghost(4) == std::nullopt);
      CHECK(g.children(f.fork_point.hash).size() == 2);
      CHECK(g.find_ancestor(f.a.hash, [](std::size_t s) { return s >= 3; }) == f.a);
    }
  }
}

SCENARIO("a round's prevote GHOST, estimate and completability") {
  GIVEN("four authorities (threshold three)") {
    Fixture f;
    REQUIRE(f.set.threshold() == 3);
    WHEN("two prevote") {
      f.vote(0, VoteKind::Prevote, f.a);
      f.vote(1, VoteKind::Prevote, f.a);
      THEN("there is no GHOST yet") {
        CHECK_FALSE(f.round.prevote_ghost());
        CHECK_FALSE(f.round.completable());
      }
    }
    WHEN("three prevote for A and three precommit for A") {
      for (std::size_t i = 0; i < 3; ++i) f.vote(i, VoteKind::Prevote, f.a);
      for (std::size_t i = 0; i < 3; ++i) f.vote(i, VoteKind::Precommit, f.a);
      THEN("A is the GHOST, the estimate and final; the round is completable") {
        CHECK(f.round.prevote_ghost() == f.a);
        CHECK(f.round.estimate() == f.a);
        CHECK(f.round.precommit_ghost() == f.a);
        CHECK(f.round.completable());
        const Commit c = f.round.commit_for(f.a);
        CHECK(c.precommits.size() == 3);
        CHECK(f.round.commit_for(f.b).precommits.empty());
      }
    }
    WHEN("prevotes split two for A, two for B") {
      f.vote(0, VoteKind::Prevote, f.a);
      f.vote(1, VoteKind::Prevote, f.a);
      f.vote(2, VoteKind::Prevote, f.b);
      f.vote(3, VoteKind::Prevote, f.b);
      THEN("the GHOST is the fork point") { CHECK(f.round.prevote_ghost() == f.fork_point); }
      AND_WHEN("three precommit the fork point") {
        for (std::size_t i = 0; i < 3; ++i) f.vote(i, VoteKind::Precommit, f.fork_point);
        THEN("the round is completable: no child can still reach three") {
          CHECK(f.round.estimate() == f.fork_point);
          CHECK(f.round.completable());
        }
      }
    }
    WHEN("three prevote A but precommits are split A, A, B") {
      for (std::size_t i = 0; i < 3; ++i) f.vote(i, VoteKind::Prevote, f.a);
      f.vote(0, VoteKind::Precommit, f.a);
      f.vote(1, VoteKind::Precommit, f.a);
      f.vote(2, VoteKind::Precommit, f.b);
      THEN("A may still be finalized (estimate A), nothing above it can: completable; the fork point is final") {
        CHECK(f.round.estimate() == f.a);
        CHECK(f.round.completable());
        CHECK(f.round.precommit_ghost() == f.fork_point);
      }
    }
    WHEN("three prevote A but three of four precommit B") {
      for (std::size_t i = 0; i < 3; ++i) f.vote(i, VoteKind::Prevote, f.a);
      f.vote(0, VoteKind::Precommit, f.a);
      for (std::size_t i = 1; i < 4; ++i) f.vote(i, VoteKind::Precommit, f.b);
      THEN("A can no longer be finalized: the estimate drops below the GHOST, the round is completable") {
        CHECK(f.round.prevote_ghost() == f.a);
        CHECK(f.round.estimate() == f.fork_point);
        CHECK(f.round.completable());
        CHECK(f.round.precommit_ghost() == f.b);
      }
    }
    WHEN("prevotes split and precommits A, A and the fork point") {
      f.vote(0, VoteKind::Prevote, f.a);
      f.vote(1, VoteKind::Prevote, f.a);
      f.vote(2, VoteKind::Prevote, f.b);
      f.vote(3, VoteKind::Prevote, f.b);
      f.vote(0, VoteKind::Precommit, f.a);
      f.vote(1, VoteKind::Precommit, f.a);
      f.vote(2, VoteKind::Precommit, f.fork_point);
      THEN("A, a child of the GHOST, could still reach three: not completable") {
        CHECK(f.round.prevote_ghost() == f.fork_point);
        CHECK(f.round.estimate() == f.fork_point);
        CHECK_FALSE(f.round.completable());
      }
      AND_WHEN("the fourth precommits B") {
        f.vote(3, VoteKind::Precommit, f.b);
        THEN("A still could, with one tolerated equivocation among the others: still not completable") {
          CHECK_FALSE(f.round.completable());
        }
      }
    }
  }
}

SCENARIO("duplicates and equivocations in a round") {
  GIVEN("a prevote by authority 0") {
    Fixture f;
    REQUIRE(f.vote(0, VoteKind::Prevote, f.a) == VoteImport::New);
    THEN("the same vote again is a duplicate") { CHECK(f.vote(0, VoteKind::Prevote, f.a) == VoteImport::Duplicate); }
    THEN("a precommit is a different kind, not an equivocation") {
      CHECK(f.vote(0, VoteKind::Precommit, f.b) == VoteImport::New);
    }
    WHEN("it prevotes for B too") {
      Equivocation e;
      REQUIRE(f.vote(0, VoteKind::Prevote, f.b, &e) == VoteImport::Equivocation);
      THEN("the evidence names the authority and both votes, both of which count once") {
        CHECK(e.offender == authority_key(0).public_key());
        CHECK(e.kind == VoteKind::Prevote);
        CHECK(message_target(e.first.message) == f.a);
        CHECK(message_target(e.second.message) == f.b);
        CHECK(f.round.prevoters() == 1);
      }
      THEN("a third vote is ignored") {
        CHECK(f.vote(0, VoteKind::Prevote, f.fork_point) == VoteImport::Ignored);
        CHECK(f.round.votes_of(0).size() == 2);
      }
    }
  }
}
