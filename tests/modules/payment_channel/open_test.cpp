// open_channel, fund_channel and top_up: happy paths, events, holds, and every error.

#include "tests/modules/payment_channel/fixture.hpp"

using namespace bazaar::test;
using namespace bazaar::test::channel_fixture;

SCENARIO("Alice opens a channel to Bob") {
  GIVEN("a chain where Alice has 1000 CC") {
    Chain c;
    WHEN("she opens with 100 CC and a 5-block challenge period") {
      REQUIRE(c.open(kAlice, kBob, kDepositA));
      const ChannelId cid = pc::channel_id(kAlice, kBob, 0);
      THEN("the deposit is held, the channel is stored and indexed, and ChannelOpened is emitted") {
        CHECK(held_of(c.rt, kAlice) == kDepositA);
        CHECK(free_of(c.rt, kAlice) == cc(900));
        const pc::Channel ch = channel(c.rt, cid);
        CHECK(ch.party_a == kAlice);
        CHECK(ch.party_b == kBob);
        CHECK(ch.nonce == 0);
        CHECK(ch.challenge_period == kPeriod);
        CHECK(ch.deposit_a == kDepositA);
        CHECK(ch.deposit_b == 0);
        CHECK(ch.deposits.items == std::vector{pc::DepositRecord{pc::Party::A, kDepositA, 1}});
        CHECK(ch.opened_at == 1);
        CHECK(std::holds_alternative<pc::channel_status::Open>(ch.status));
        CHECK(pc::NextChannelNonce::get(c.rt.state(), kAlice) == 1);
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelOpened{cid, kAlice, kBob, kDepositA, kPeriod, 0}));
        c.check();
      }
      AND_WHEN("she opens a second channel to Bob") {
        REQUIRE(c.open(kAlice, kBob, cc(1)));
        THEN("it gets the next nonce and its own id") {
          const ChannelId second = pc::channel_id(kAlice, kBob, 1);
          CHECK(second != cid);
          CHECK(channel(c.rt, second).nonce == 1);
          CHECK(held_of(c.rt, kAlice) == kDepositA + cc(1));
          c.check();
        }
      }
    }
    THEN("the extreme challenge periods and the minimum deposit are accepted") {
      CHECK(c.open(kAlice, kBob, pc::kMinDeposit, pc::kMinChallengePeriod));
      CHECK(c.open(kAlice, kBob, pc::kMinDeposit, pc::kMaxChallengePeriod));
      c.check();
    }
  }
}

SCENARIO("open_channel rejects bad input without changing state") {
  GIVEN("a chain") {
    Chain c;
    THEN("each bad call fails with its error") {
      assert_noop(c.rt, [&] { return c.open(kAlice, kAlice, kDepositA); }, pc_error(pc::Error::SelfChannel));
      assert_noop(c.rt, [&] { return c.open(kAlice, kBob, kDepositA, pc::kMinChallengePeriod - 1); },
                  pc_error(pc::Error::ChallengePeriodOutOfRange));
      assert_noop(c.rt, [&] { return c.open(kAlice, kBob, kDepositA, pc::kMaxChallengePeriod + 1); },
                  pc_error(pc::Error::ChallengePeriodOutOfRange));
      assert_noop(c.rt, [&] { return c.open(kAlice, kBob, pc::kMinDeposit - 1); },
                  pc_error(pc::Error::DepositTooSmall));
      assert_noop(c.rt, [&] { return c.open(kDave, kBob, cc(5)); },
                  credits_error(credits::Error::InsufficientBalance));
      assert_noop(c.rt,
                  [&] {
                    return c.rt.dispatch<PC>(Origin::none(), pc::OpenChannel{id(kBob), {kDepositA}, kPeriod});
                  },
                  DispatchError::bad_origin());
      assert_noop(c.rt,
                  [&] {
                    return c.rt.dispatch<PC>(signed_by(kAlice),
                                             pc::OpenChannel{bazaar::runtime::MultiAddressIndex{{7}}, {kDepositA},
                                                             kPeriod});
                  },
                  DispatchError{bazaar::runtime::framework::dispatch_error::CannotLookup{}});
      CHECK(pc::NextChannelNonce::get(c.rt.state(), kAlice) == 0);
      c.check();
    }
  }
}

SCENARIO("Bob funds the channel once") {
  GIVEN("Alice's open channel") {
    Chain c;
    REQUIRE(c.open(kAlice, kBob, kDepositA));
    const ChannelId cid = pc::channel_id(kAlice, kBob, 0);
    WHEN("Bob funds it with 10 CC") {
      REQUIRE(c.fund(kBob, cid, kDepositB));
      THEN("his deposit is held and recorded, and ChannelFunded is emitted") {
        CHECK(held_of(c.rt, kBob) == kDepositB);
        const pc::Channel ch = channel(c.rt, cid);
        CHECK(ch.deposit_b == kDepositB);
        CHECK(ch.deposits.size() == 2);
        CHECK(ch.deposits.items[1] == pc::DepositRecord{pc::Party::B, kDepositB, 1});
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelFunded{cid, kBob, kDepositB}));
        c.check();
      }
      THEN("funding again fails with AlreadyFunded") {
        assert_noop(c.rt, [&] { return c.fund(kBob, cid, kDepositB); }, pc_error(pc::Error::AlreadyFunded));
      }
    }
    THEN("anyone but Bob, an unknown channel, or a small deposit is rejected") {
      assert_noop(c.rt, [&] { return c.fund(kAlice, cid, kDepositB); }, pc_error(pc::Error::NotCounterparty));
      assert_noop(c.rt, [&] { return c.fund(kCharlie, cid, kDepositB); }, pc_error(pc::Error::NotParticipant));
      assert_noop(c.rt, [&] { return c.fund(kBob, pc::channel_id(kAlice, kBob, 9), kDepositB); },
                  pc_error(pc::Error::ChannelNotFound));
      assert_noop(c.rt, [&] { return c.fund(kBob, cid, pc::kMinDeposit - 1); },
                  pc_error(pc::Error::DepositTooSmall));
      assert_noop(c.rt, [&] { return c.fund(kBob, cid, cc(1000)); },
                  credits_error(credits::Error::InsufficientBalance));
      c.check();
    }
    WHEN("the channel is closing") {
      REQUIRE(c.close_unilateral(kAlice, SignedState{ChannelState{cid, 0, kDepositA, 0, {}}, {}, {}}));
      THEN("funding fails with ChannelNotOpen") {
        assert_noop(c.rt, [&] { return c.fund(kBob, cid, kDepositB); }, pc_error(pc::Error::ChannelNotOpen));
      }
    }
  }
}

SCENARIO("either party tops up an open channel") {
  GIVEN("a funded channel") {
    FundedChannel c;
    WHEN("Alice tops up 5 CC and Bob 1 CC") {
      REQUIRE(c.top_up(kAlice, c.cid, cc(5)));
      CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelToppedUp{c.cid, kAlice, cc(5), kDepositA + cc(5), kDepositB}));
      REQUIRE(c.top_up(kBob, c.cid, cc(1)));
      THEN("both deposits grow, the holds follow, and the events carry the new totals") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelToppedUp{c.cid, kBob, cc(1), kDepositA + cc(5), kDepositB + cc(1)}));
        const pc::Channel ch = channel(c.rt, c.cid);
        CHECK(ch.deposit_a == kDepositA + cc(5));
        CHECK(ch.deposit_b == kDepositB + cc(1));
        CHECK(ch.deposits.size() == 4);
        CHECK(held_of(c.rt, kAlice) == kDepositA + cc(5));
        CHECK(held_of(c.rt, kBob) == kDepositB + cc(1));
        c.check();
      }
    }
    THEN("a zero amount, a stranger, an unknown channel or too little money is rejected") {
      assert_noop(c.rt, [&] { return c.top_up(kAlice, c.cid, 0); }, pc_error(pc::Error::ZeroAmount));
      assert_noop(c.rt, [&] { return c.top_up(kCharlie, c.cid, cc(1)); }, pc_error(pc::Error::NotParticipant));
      assert_noop(c.rt, [&] { return c.top_up(kAlice, pc::channel_id(kBob, kAlice, 0), cc(1)); },
                  pc_error(pc::Error::ChannelNotFound));
      assert_noop(c.rt, [&] { return c.top_up(kBob, c.cid, cc(500)); },
                  credits_error(credits::Error::InsufficientBalance));
    }
    WHEN("the channel has recorded MaxDeposits deposits") {
      while (channel(c.rt, c.cid).deposits.size() < pc::kMaxDeposits) REQUIRE(c.top_up(kAlice, c.cid, 1));
      THEN("another top-up fails with TooManyDeposits") {
        assert_noop(c.rt, [&] { return c.top_up(kBob, c.cid, 1); }, pc_error(pc::Error::TooManyDeposits));
        c.check();
      }
    }
    WHEN("the channel is closing") {
      REQUIRE(c.close_unilateral(kBob, sign_update(c.state(1, cc(90), cc(20)))));
      THEN("a top-up fails with ChannelNotOpen") {
        assert_noop(c.rt, [&] { return c.top_up(kAlice, c.cid, cc(1)); }, pc_error(pc::Error::ChannelNotOpen));
      }
    }
  }
}
