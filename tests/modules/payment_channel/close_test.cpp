// cooperative_close, close_unilateral and settle; how top-ups are accounted for.
// The funded channel: Alice (A) deposited 100 CC, Bob (B) 10 CC; Alice has 900
// CC free and Bob 90 CC before any payout.

#include "tests/modules/payment_channel/fixture.hpp"

using namespace bazaar::test;
using namespace bazaar::test::channel_fixture;

SCENARIO("a cooperative close pays out at once") {
  GIVEN("a funded channel whose final state is v7: Alice 60 CC, Bob 50 CC") {
    FundedChannel c;
    const SignedState final_state = sign_final(c.state(7, cc(60), cc(50)));
    WHEN("Bob submits it") {
      REQUIRE(c.cooperative_close(kBob, final_state));
      THEN("both holds are released, Bob is paid Alice's 40 CC, and the channel is gone") {
        CHECK(free_of(c.rt, kAlice) == cc(960));
        CHECK(free_of(c.rt, kBob) == cc(140));
        CHECK(held_of(c.rt, kAlice) == 0);
        CHECK(held_of(c.rt, kBob) == 0);
        CHECK_FALSE(pc::Channels::contains(c.rt.state(), c.cid));
        CHECK_FALSE(pc::ChannelsByParticipant::contains(c.rt.state(), kAlice, c.cid));
        CHECK_FALSE(pc::ChannelsByParticipant::contains(c.rt.state(), kBob, c.cid));
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelClosedCooperatively{c.cid, 7, cc(60), cc(50)}));
        c.check();
      }
    }
    WHEN("the provider earned more than its deposit the other way round (Alice 110, Bob 0)") {
      REQUIRE(c.cooperative_close(kAlice, sign_final(c.state(8, cc(110), 0))));
      THEN("Bob's deposit goes to Alice") {
        CHECK(free_of(c.rt, kAlice) == cc(1010));
        CHECK(free_of(c.rt, kBob) == cc(90));
        c.check();
      }
    }
  }
}

SCENARIO("a cooperative close needs both parties' final signatures over a balanced state") {
  GIVEN("a funded channel") {
    FundedChannel c;
    const ChannelState good = c.state(7, cc(60), cc(50));
    THEN("each bad close fails with its error and changes nothing") {
      // Update signatures are not a final agreement: otherwise any old update would close at once.
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, sign_update(good)); },
                  pc_error(pc::Error::BadSignature));
      SignedState forged = sign_final(good);
      forged.sig_b = pc::sign_close(kCharlieKey, kGenesisHash, good);
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, forged); }, pc_error(pc::Error::BadSignature));
      SignedState swapped = sign_final(good);
      std::swap(swapped.sig_a, swapped.sig_b);
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, swapped); }, pc_error(pc::Error::BadSignature));
      const H256 other_chain = bazaar::runtime::crypto::blake2b_256(bazaar::runtime::to_bytes("other chain"));
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, sign_final(good, other_chain)); },
                  pc_error(pc::Error::BadSignature));
      ChannelState foreign = good;
      foreign.channel_id = pc::channel_id(kAlice, kBob, 5);
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, sign_final(foreign)); },
                  pc_error(pc::Error::WrongChannelId));
      assert_noop(c.rt, [&] { return c.cooperative_close(kCharlie, sign_final(good)); },
                  pc_error(pc::Error::NotParticipant));
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, sign_final(c.state(7, cc(60), cc(49)))); },
                  pc_error(pc::Error::BalanceMismatch));
      assert_noop(c.rt, [&] { return c.cooperative_close(kAlice, sign_final(c.state(7, cc(70), cc(50)))); },
                  pc_error(pc::Error::BalanceMismatch));
      c.check();
    }
  }
}

SCENARIO("a unilateral close with the latest state settles after the challenge period") {
  GIVEN("a funded channel whose latest update is v7: Alice 60 CC, Bob 50 CC") {
    FundedChannel c;
    const SignedState latest = sign_update(c.state(7, cc(60), cc(50)));
    WHEN("Alice closes unilaterally in block 1") {
      REQUIRE(c.close_unilateral(kAlice, latest));
      THEN("the channel is closing until block 6 and ChannelClosing says so") {
        const auto ch = channel(c.rt, c.cid);
        CHECK(ch.status == pc::ChannelStatus{pc::channel_status::Closing{kAlice, latest.state, 1, 1 + kPeriod}});
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelClosing{c.cid, kAlice, 7, cc(60), cc(50), 1 + kPeriod}));
        CHECK(held_of(c.rt, kAlice) == kDepositA);
        c.check();
      }
      THEN("closing again fails with ChannelNotOpen") {
        assert_noop(c.rt, [&] { return c.close_unilateral(kBob, latest); }, pc_error(pc::Error::ChannelNotOpen));
      }
      AND_WHEN("block 5 comes") {
        c.rt.run_to_block(5);
        THEN("settling is too early") {
          assert_noop(c.rt, [&] { return c.settle(kCharlie, c.cid); },
                      pc_error(pc::Error::ChallengePeriodNotOver));
        }
      }
      AND_WHEN("block 6 comes and Charlie settles") {
        c.rt.run_to_block(1 + kPeriod);
        REQUIRE(c.settle(kCharlie, c.cid));
        THEN("the channel pays out by v7 and is removed") {
          CHECK(free_of(c.rt, kAlice) == cc(960));
          CHECK(free_of(c.rt, kBob) == cc(140));
          CHECK(free_of(c.rt, kCharlie) == cc(100));
          CHECK_FALSE(pc::Channels::contains(c.rt.state(), c.cid));
          CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelSettled{c.cid, 7, cc(60), cc(50)}));
          c.check();
        }
        THEN("settling again fails with ChannelNotFound") {
          assert_noop(c.rt, [&] { return c.settle(kAlice, c.cid); }, pc_error(pc::Error::ChannelNotFound));
        }
      }
      AND_WHEN("Bob and Alice agree on a final state while it is closing") {
        THEN("an older final state fails with StaleVersion, the same or a newer one closes at once") {
          assert_noop(c.rt, [&] { return c.cooperative_close(kBob, sign_final(c.state(6, cc(61), cc(49)))); },
                      pc_error(pc::Error::StaleVersion));
          REQUIRE(c.cooperative_close(kBob, sign_final(c.state(7, cc(60), cc(50)))));
          CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelClosedCooperatively{c.cid, 7, cc(60), cc(50)}));
          CHECK(free_of(c.rt, kBob) == cc(140));
          c.check();
        }
      }
    }
    THEN("settling an open channel fails with ChannelNotClosing, an unsigned settle with BadOrigin") {
      assert_noop(c.rt, [&] { return c.settle(kAlice, c.cid); }, pc_error(pc::Error::ChannelNotClosing));
      assert_noop(c.rt, [&] { return c.rt.dispatch<PC>(Origin::none(), pc::Settle{c.cid}); },
                  DispatchError::bad_origin());
    }
  }
}

SCENARIO("close_unilateral rejects bad states") {
  GIVEN("a funded channel") {
    FundedChannel c;
    const ChannelState good = c.state(7, cc(60), cc(50));
    THEN("each bad close fails with its error and changes nothing") {
      SignedState forged = sign_update(good);
      forged.sig_a = pc::sign_state(kCharlieKey, kGenesisHash, good);
      assert_noop(c.rt, [&] { return c.close_unilateral(kBob, forged); }, pc_error(pc::Error::BadSignature));
      assert_noop(c.rt, [&] { return c.close_unilateral(kBob, SignedState{good, {}, {}}); },
                  pc_error(pc::Error::BadSignature));
      assert_noop(c.rt, [&] { return c.close_unilateral(kBob, sign_update(c.state(7, cc(60), cc(60)))); },
                  pc_error(pc::Error::BalanceMismatch));
      ChannelState foreign = good;
      foreign.channel_id = H256{};
      assert_noop(c.rt, [&] { return c.close_unilateral(kBob, sign_update(foreign)); },
                  pc_error(pc::Error::WrongChannelId));
      assert_noop(c.rt, [&] { return c.close_unilateral(kCharlie, sign_update(good)); },
                  pc_error(pc::Error::NotParticipant));
      // Version 0 without signatures must be exactly the refund state.
      assert_noop(c.rt, [&] { return c.close_unilateral(kAlice, SignedState{c.state(0, cc(110), 0), {}, {}}); },
                  pc_error(pc::Error::InvalidOpeningState));
      H256 root;
      root.bytes[0] = 1;
      const SignedState rooted{c.state(0, kDepositA, kDepositB, root), {}, {}};
      assert_noop(c.rt, [&] { return c.close_unilateral(kAlice, rooted); }, pc_error(pc::Error::InvalidOpeningState));
      c.check();
    }
  }
}

SCENARIO("a channel the counterparty never funded is refunded through the opening state") {
  GIVEN("Alice's channel to Bob, never funded and never updated") {
    Chain c;
    REQUIRE(c.open(kAlice, kBob, kDepositA));
    const ChannelId cid = pc::channel_id(kAlice, kBob, 0);
    WHEN("Alice closes with the unsigned version-0 refund state and settles after the period") {
      REQUIRE(c.close_unilateral(kAlice, SignedState{ChannelState{cid, 0, kDepositA, 0, {}}, {}, {}}));
      c.rt.run_to_block(1 + kPeriod);
      REQUIRE(c.settle(kAlice, cid));
      THEN("she has all her money back") {
        CHECK(free_of(c.rt, kAlice) == cc(1000));
        CHECK(held_of(c.rt, kAlice) == 0);
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelSettled{cid, 0, kDepositA, 0}));
        c.check();
      }
    }
  }
}

SCENARIO("top-ups: a state accounts for the deposits up to the total it sums to") {
  GIVEN("a funded channel (deposits: Alice 100, Bob 10) with update v5: Alice 70, Bob 40") {
    FundedChannel c;
    const SignedState v5 = sign_update(c.state(5, cc(70), cc(40)));
    WHEN("Alice tops up 20 CC and then closes with v5, signed before the top-up") {
      REQUIRE(c.top_up(kAlice, c.cid, cc(20)));
      REQUIRE(c.close_unilateral(kAlice, v5));
      c.rt.run_to_block(1 + kPeriod);
      REQUIRE(c.settle(kBob, c.cid));
      THEN("v5 is paid out and the top-up goes back to Alice") {
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelSettled{c.cid, 5, cc(90), cc(40)}));
        CHECK(free_of(c.rt, kAlice) == cc(880) + cc(90));
        CHECK(free_of(c.rt, kBob) == cc(90) + cc(40));
        c.check();
      }
    }
    WHEN("they sign v6 including the top-up (Alice 80, Bob 50) and close cooperatively") {
      REQUIRE(c.top_up(kAlice, c.cid, cc(20)));
      REQUIRE(c.cooperative_close(kBob, sign_final(c.state(6, cc(80), cc(50)))));
      THEN("v6 is paid out as it is") {
        CHECK(last_pc_event(c.rt) == pc_event(pc::ChannelClosedCooperatively{c.cid, 6, cc(80), cc(50)}));
        CHECK(free_of(c.rt, kAlice) == cc(880) + cc(80));
        c.check();
      }
    }
    WHEN("a state was signed before Bob funded (v1: Alice 95, Bob 5) and both topped up since") {
      REQUIRE(c.top_up(kAlice, c.cid, cc(20)));
      REQUIRE(c.top_up(kBob, c.cid, cc(3)));
      REQUIRE(c.cooperative_close(kAlice, sign_final(c.state(1, cc(95), cc(5)))));
      THEN("every later deposit goes back to whoever made it") {
        CHECK(last_pc_event(c.rt) ==
              pc_event(pc::ChannelClosedCooperatively{c.cid, 1, cc(95) + cc(20), cc(5) + cc(10) + cc(3)}));
        c.check();
      }
    }
    WHEN("a state sums to no total the deposits ever reached") {
      REQUIRE(c.top_up(kAlice, c.cid, cc(20)));
      THEN("it fails with BalanceMismatch") {
        assert_noop(c.rt, [&] { return c.close_unilateral(kAlice, sign_update(c.state(6, cc(80), cc(45)))); },
                    pc_error(pc::Error::BalanceMismatch));
        assert_noop(c.rt, [&] { return c.close_unilateral(kAlice, sign_update(c.state(6, cc(100), cc(40)))); },
                    pc_error(pc::Error::BalanceMismatch));
        c.check();
      }
    }
  }
}
