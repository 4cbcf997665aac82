// Fraud: a party closes with an old state and the other challenges with a newer
// one; the closer's whole deposit goes to the challenger. And every way a
// challenge can be wrong. The funded channel: Alice (A, requester) deposited
// 100 CC, Bob (B, provider) 10 CC; v3 = (90, 20) is old, v7 = (60, 50) latest.

#include "tests/modules/payment_channel/fixture.hpp"

using namespace bazaar::test;
using namespace bazaar::test::channel_fixture;

SCENARIO("the requester closes with an old state and the provider challenges") {
  GIVEN("a funded channel with updates v3 and v7") {
    FundedChannel c;
    const SignedState v3 = sign_update(c.state(3, cc(90), cc(20)));
    const SignedState v7 = sign_update(c.state(7, cc(60), cc(50)));
    WHEN("Alice closes with v3 and Bob challenges with v7 within the period") {
      REQUIRE(c.close_unilateral(kAlice, v3));
      c.rt.run_to_block(kPeriod);  // the last block of the period
      REQUIRE(c.challenge(kBob, v7));
      THEN("Alice's whole deposit goes to Bob; by v7 Alice earned nothing beyond it, so Bob gets everything") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelChallenged{c.cid, kBob, kAlice, 3, 7, kDepositA, 0, cc(110)}));
        CHECK(free_of(c.rt, kAlice) == cc(900));
        CHECK(free_of(c.rt, kBob) == cc(90) + cc(110));
        CHECK(held_of(c.rt, kAlice) == 0);
        CHECK(held_of(c.rt, kBob) == 0);
        CHECK_FALSE(pc::Channels::contains(c.rt.state(), c.cid));
        c.check();
      }
    }
  }
}

SCENARIO("the provider closes with an old state and the requester challenges") {
  GIVEN("a funded channel with updates v3 and v7") {
    FundedChannel c;
    const SignedState v3 = sign_update(c.state(3, cc(90), cc(20)));
    const SignedState v7 = sign_update(c.state(7, cc(60), cc(50)));
    WHEN("Bob closes with v3 and Alice challenges with v7") {
      REQUIRE(c.close_unilateral(kBob, v3));
      c.rt.run_to_block(3);
      REQUIRE(c.challenge(kAlice, v7));
      THEN("Bob's 10 CC deposit goes to Alice; Bob keeps the 40 CC v7 says he earned beyond it") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelChallenged{c.cid, kAlice, kBob, 3, 7, kDepositB, cc(70), cc(40)}));
        CHECK(free_of(c.rt, kAlice) == cc(900) + cc(70));
        CHECK(free_of(c.rt, kBob) == cc(90) + cc(40));
        c.check();
      }
    }
    WHEN("Bob closes with the unsigned opening state and Alice challenges with v3") {
      REQUIRE(c.close_unilateral(kBob, SignedState{c.state(0, kDepositA, kDepositB), {}, {}}));
      REQUIRE(c.challenge(kAlice, v3));
      THEN("Bob loses his deposit and v3's 10 CC gain for him is still paid") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelChallenged{c.cid, kAlice, kBob, 0, 3, kDepositB, cc(100), cc(10)}));
        c.check();
      }
    }
  }
}

SCENARIO("a challenge with a state newer than a top-up") {
  GIVEN("a funded channel, update v5 (70, 40), Alice's 20 CC top-up, and update v6 (80, 50)") {
    FundedChannel c;
    const SignedState v5 = sign_update(c.state(5, cc(70), cc(40)));
    REQUIRE(c.top_up(kAlice, c.cid, cc(20)));
    const SignedState v6 = sign_update(c.state(6, cc(80), cc(50)));
    WHEN("Alice closes with v5 and Bob challenges with v6") {
      REQUIRE(c.close_unilateral(kAlice, v5));
      REQUIRE(c.challenge(kBob, v6));
      THEN("Alice forfeits all 120 CC she deposited and Bob gets the channel's 130 CC") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelChallenged{c.cid, kBob, kAlice, 5, 6, cc(120), 0, cc(130)}));
        CHECK(free_of(c.rt, kAlice) == cc(880));
        CHECK(free_of(c.rt, kBob) == cc(90) + cc(130));
        c.check();
      }
    }
  }
}

SCENARIO("bad challenges fail with named errors and change nothing") {
  GIVEN("a funded channel Alice closed with v5 (70, 40)") {
    FundedChannel c;
    REQUIRE(c.close_unilateral(kAlice, sign_update(c.state(5, cc(70), cc(40)))));
    const ChannelState v7 = c.state(7, cc(60), cc(50));
    THEN("each bad challenge fails with its error") {
      assert_noop(c.rt, [&] { return c.challenge(kBob, sign_update(c.state(5, cc(70), cc(40)))); },
                  pc_error(pc::Error::StaleVersion));
      assert_noop(c.rt, [&] { return c.challenge(kBob, sign_update(c.state(4, cc(80), cc(30)))); },
                  pc_error(pc::Error::StaleVersion));
      SignedState forged = sign_update(v7);
      forged.sig_a = pc::sign_state(kBobKey, kGenesisHash, v7);
      assert_noop(c.rt, [&] { return c.challenge(kBob, forged); }, pc_error(pc::Error::BadSignature));
      assert_noop(c.rt, [&] { return c.challenge(kBob, sign_final(v7)); }, pc_error(pc::Error::BadSignature));
      ChannelState foreign = v7;
      foreign.channel_id = pc::channel_id(kBob, kAlice, 0);
      assert_noop(c.rt, [&] { return c.challenge(kBob, sign_update(foreign)); },
                  pc_error(pc::Error::WrongChannelId));
      assert_noop(c.rt, [&] { return c.challenge(kAlice, sign_update(v7)); },
                  pc_error(pc::Error::ChallengerIsCloser));
      assert_noop(c.rt, [&] { return c.challenge(kCharlie, sign_update(v7)); },
                  pc_error(pc::Error::NotParticipant));
      assert_noop(c.rt, [&] { return c.challenge(kBob, sign_update(c.state(7, cc(60), cc(51)))); },
                  pc_error(pc::Error::BalanceMismatch));
      c.check();
    }
    WHEN("Alice and Bob have a second, open channel") {
      REQUIRE(c.open(kAlice, kBob, cc(5)));
      const ChannelId second = pc::channel_id(kAlice, kBob, 1);
      THEN("a state of the open channel cannot challenge anything: ChannelNotClosing") {
        assert_noop(c.rt,
                    [&] { return c.challenge(kBob, sign_update(ChannelState{second, 9, cc(5), 0, {}})); },
                    pc_error(pc::Error::ChannelNotClosing));
      }
    }
    WHEN("the challenge period is over (block `until`)") {
      c.rt.run_to_block(1 + kPeriod);
      THEN("even the newest state fails with ChallengePeriodOver, and the channel settles by v5") {
        assert_noop(c.rt, [&] { return c.challenge(kBob, sign_update(v7)); },
                    pc_error(pc::Error::ChallengePeriodOver));
        REQUIRE(c.settle(kBob, c.cid));
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelSettled{c.cid, 5, cc(70), cc(40)}));
        c.check();
      }
    }
  }
}
