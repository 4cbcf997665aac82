// The voter in a simulated network of N authorities: finality follows the best
// block, tolerates one of four offline, stalls with two offline and resumes on
// its own, picks one fork, survives an equivocating authority, and catches up.

#include "node/finality/justification.hpp"
#include "tests/node/finality/sim.hpp"

#include <catch2/catch.hpp>

using namespace bazaar;
using namespace bazaar::test::finality;

namespace {

constexpr uint64_t kT = SimNetwork::kGossipMs;

/// A block on the longest chain every `every` steps (an author's slot).
std::function<void()> author_every(SimNetwork& net, int every) {
  auto counter = std::make_shared<int>(0);
  return [&net, every, counter] {
    if (++*counter % every != 0) return;
    BlockInfo best = net.chain.genesis();
    for (const auto& leaf : net.chain.leaves()) {
      if (leaf.number > best.number) best = leaf;
    }
    net.chain.add(best);
    for (std::size_t i = 0; i < net.size(); ++i) {
      if (net.node(i).voter && net.node(i).online) net.voter(i).on_block_imported();
    }
  };
}

BlockInfo longest(const SimNetwork& net) {
  BlockInfo best = net.chain.genesis();
  for (const auto& leaf : net.chain.leaves()) {
    if (leaf.number > best.number) best = leaf;
  }
  return best;
}

}  // namespace

SCENARIO("a single authority finalizes its best block") {
  GIVEN("one voter and a chain of five blocks") {
    SimNetwork net(1);
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 5);
    WHEN("two rounds' time passes") {
      net.run_for(6 * kT);
      THEN("the tip is finalized with a justification that verifies") {
        REQUIRE(net.view(0).finalized() == tip);
        REQUIRE_FALSE(net.view(0).justifications().empty());
        CHECK(net.voter(0).status().round >= 2);
      }
    }
    WHEN("blocks keep coming") {
      net.run_for(40 * kT, author_every(net, 5));
      THEN("finality follows the best block") {
        CHECK(net.view(0).finalized().number + 2 >= longest(net).number);
        CHECK(net.finality_consistent());
      }
    }
  }
}

SCENARIO("three honest authorities finalize what they author") {
  GIVEN("three voters and blocks every 2.5 gossip durations") {
    SimNetwork net(3);
    WHEN("the network runs for a while") {
      net.run_for(60 * kT, author_every(net, 5));
      THEN("every node finalizes close behind the best block, on one chain") {
        const BlockInfo best = longest(net);
        REQUIRE(best.number >= 20);
        for (std::size_t i = 0; i < 3; ++i) CHECK(net.view(i).finalized().number + 3 >= best.number);
        CHECK(net.finality_consistent());
        CHECK(net.punished == 0);
        CHECK(net.voter(0).equivocations().empty());
      }
    }
  }
}

SCENARIO("four authorities: one offline is tolerated, two stall finality until one returns") {
  GIVEN("four voters") {
    SimNetwork net(4);
    auto author = author_every(net, 5);
    net.run_for(20 * kT, author);
    const auto before = net.view(0).finalized();
    REQUIRE(before.number >= 4);

    WHEN("one goes offline") {
      net.set_online(3, false);
      net.run_for(40 * kT, author);
      THEN("the other three keep finalizing") {
        CHECK(net.view(0).finalized().number >= before.number + 5);
        CHECK(net.view(0).finalized().number + 3 >= longest(net).number);
        CHECK(net.finality_consistent());
      }
      AND_WHEN("it comes back") {
        net.set_online(3, true);
        net.run_for(30 * kT, author);
        THEN("it catches up on finality and rounds") {
          CHECK(net.view(3).finalized().number + 3 >= longest(net).number);
          CHECK(net.voter(3).status().round + 1 >= net.voter(0).status().round);
          CHECK(net.finality_consistent());
        }
      }
    }

    WHEN("two go offline") {
      net.set_online(2, false);
      net.set_online(3, false);
      net.run_for(10 * kT, author);
      const auto stalled = net.view(0).finalized();
      net.run_for(60 * kT, author);
      THEN("authoring goes on but finality stalls") {
        CHECK(net.view(0).finalized() == stalled);
        CHECK(net.view(1).finalized() == stalled);
        CHECK(longest(net).number >= stalled.number + 10);

        AND_WHEN("one of them returns, with the state it had") {
          net.set_online(2, true);
          net.run_for(40 * kT, author);
          THEN("finality resumes on its own and reaches the best block") {
            for (std::size_t i : {0, 1, 2}) CHECK(net.view(i).finalized().number + 3 >= longest(net).number);
            CHECK(net.finality_consistent());
          }
        }
        AND_WHEN("one of them restarts with no state at all (round 1)") {
          net.set_online(2, true);
          net.start_voter(2);
          REQUIRE(net.voter(2).status().round == 1);
          net.run_for(40 * kT, author);
          THEN("it catches up to the others' round and finality resumes") {
            CHECK(net.voter(2).status().round > 2);
            for (std::size_t i : {0, 1, 2}) CHECK(net.view(i).finalized().number + 3 >= longest(net).number);
            CHECK(net.finality_consistent());
          }
        }
      }
    }
  }
}

SCENARIO("on a fork finality picks one branch, never both") {
  GIVEN("four voters split two and two between equally long branches") {
    SimNetwork net(4);
    const BlockInfo fork_point = net.chain.extend(net.chain.genesis(), 3);
    const BlockInfo a = net.chain.extend(fork_point, 3);
    const BlockInfo b = net.chain.extend(fork_point, 3);
    for (std::size_t i : {0, 1}) net.view(i).prefer(a);
    for (std::size_t i : {2, 3}) net.view(i).prefer(b);

    WHEN("they vote") {
      net.run_for(20 * kT);
      THEN("only the common ancestor is finalized") {
        for (std::size_t i = 0; i < 4; ++i) CHECK(net.view(i).finalized() == fork_point);
      }
      AND_WHEN("branch A grows longer and every node follows the longest chain") {
        const BlockInfo a2 = net.chain.add(a);
        for (std::size_t i = 0; i < 4; ++i) net.view(i).prefer(std::nullopt);
        net.run_for(20 * kT);
        THEN("A is finalized everywhere and nothing of B ever was") {
          for (std::size_t i = 0; i < 4; ++i) {
            CHECK(net.view(i).finalized() == a2);
            for (const auto& f : net.view(i).finalized_history()) {
              const bool on_b_only = f.number > fork_point.number && net.view(i).is_descendant(b, f);
              CHECK_FALSE(on_b_only);
            }
          }
          CHECK(net.finality_consistent());
        }
      }
    }
  }
}

SCENARIO("an equivocating authority is detected and cannot break safety") {
  GIVEN("three honest voters on branch A and a Byzantine fourth voting for A and B in every round") {
    SimNetwork net(4, 3);
    const BlockInfo fork_point = net.chain.extend(net.chain.genesis(), 2);
    const BlockInfo a = net.chain.extend(fork_point, 2);
    const BlockInfo b = net.chain.extend(fork_point, 3);
    for (std::size_t i : {0, 1, 2}) net.view(i).prefer(a);
    const auto byzantine = authority_key(3);
    const H256 genesis = net.chain.genesis().hash;
    auto equivocate = [&] {
      const RoundNumber round = net.voter(0).status().round;
      for (const BlockInfo& target : {a, b}) {
        for (int kind = 0; kind < 2; ++kind) {
          Message m = kind == 0 ? Message{Prevote{target.hash, target.number}}
                                : Message{Precommit{target.hash, target.number}};
          net.enqueue(Sent{3, std::nullopt,
                           encode_gossip(VoteMessage{round, 0, sign_message(byzantine, m, round, 0, genesis)})});
        }
      }
    };
    std::vector<Equivocation> reported;
    net.voter(0).on_equivocation([&](const Equivocation& e) { reported.push_back(e); });

    WHEN("they run for several rounds") {
      net.run_for(30 * kT, equivocate);
      THEN("each equivocation is recorded once per round and kind, and only A's chain is finalized") {
        const auto records = net.voter(0).equivocations();
        REQUIRE_FALSE(records.empty());
        CHECK(records.size() == reported.size());
        std::set<std::pair<RoundNumber, VoteKind>> keys;
        for (const auto& e : records) {
          CHECK(e.offender == byzantine.public_key());
          CHECK(e.first.message != e.second.message);
          CHECK(keys.insert({e.round, e.kind}).second);
        }
        for (std::size_t i : {0, 1, 2}) CHECK(net.view(i).finalized() == a);
        CHECK(net.finality_consistent());
      }
    }
  }
}

SCENARIO("votes for a block not yet imported wait for it") {
  GIVEN("three voters of which one has not imported the tip yet") {
    SimNetwork net(3);
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 2);
    net.view(2).hide(tip.hash);
    net.run_for(4 * kT);
    THEN("its votes for the tip are kept pending") {
      CHECK(net.voter(2).status().pending_votes > 0);
      AND_WHEN("the block arrives") {
        net.view(2).reveal(tip.hash);
        net.voter(2).on_block_imported();
        net.run_for(6 * kT);
        THEN("the votes count and the tip is finalized there too") {
          CHECK(net.voter(2).status().pending_votes == 0);
          CHECK(net.view(2).finalized() == tip);
        }
      }
    }
  }
}

SCENARIO("an observer and an offline node catch up from commits and justifications") {
  GIVEN("three voters finalizing, and a fourth node that was offline") {
    SimNetwork net(4);
    net.set_online(3, false);
    net.chain.extend(net.chain.genesis(), 6);
    net.run_for(10 * kT);
    const BlockInfo finalized = net.view(0).finalized();
    REQUIRE(finalized.number == 6);
    REQUIRE(net.view(3).finalized() == net.chain.genesis());

    WHEN("it is handed the justification (as sync would)") {
      const auto& justification = net.view(0).justifications().back();
      REQUIRE(net.voter(3).import_justification(justification, finalized));
      THEN("it finalizes the block") { CHECK(net.view(3).finalized() == finalized); }
      AND_WHEN("the same justification comes again") {
        auto again = net.voter(3).import_justification(justification, finalized);
        THEN("it is stale") { CHECK(again.error() == FinalityError::StaleRound); }
      }
    }
    WHEN("it is handed a justification for another block") {
      auto wrong = net.voter(3).import_justification(net.view(0).justifications().back(), net.chain.genesis());
      THEN("it is refused") { CHECK(wrong.error() == FinalityError::WrongTarget); }
    }
    WHEN("it comes back online and hears the re-broadcast commit") {
      net.set_online(3, true);
      net.run_for(10 * kT);
      THEN("it finalizes from the commit") { CHECK(net.view(3).finalized() == finalized); }
    }
  }
}

SCENARIO("safety under lost and reordered messages, shifting forks and an equivocator") {
  GIVEN("twelve random runs of three honest voters and one Byzantine authority") {
    std::vector<uint32_t> unsafe_seeds;
    std::size_t finalized_blocks = 0;
    for (uint32_t seed = 1; seed <= 12; ++seed) {
      SimNetwork net(4, 3);
      net.set_chaos(seed, 0.3);
      std::mt19937 rng(seed);
      const auto byzantine = authority_key(3);
      const H256 genesis = net.chain.genesis().hash;
      auto step = [&] {
        // Grow a random leaf now and then; each honest node prefers a random leaf.
        auto leaves = net.chain.leaves();
        if (rng() % 3 == 0) net.chain.add(leaves[rng() % leaves.size()]);
        leaves = net.chain.leaves();
        for (std::size_t i = 0; i < 3; ++i) {
          const BlockInfo pick = leaves[rng() % leaves.size()];
          const bool allowed = net.view(i).is_descendant(pick, net.view(i).finalized());
          net.view(i).prefer(allowed ? std::optional{pick} : std::nullopt);
          net.voter(i).on_block_imported();
        }
        // The Byzantine authority votes for two random leaves in the round of a random node.
        const RoundNumber round = net.voter(rng() % 3).status().round;
        for (int k = 0; k < 2; ++k) {
          const BlockInfo target = leaves[rng() % leaves.size()];
          Message m = rng() % 2 ? Message{Prevote{target.hash, target.number}}
                                : Message{Precommit{target.hash, target.number}};
          net.enqueue(Sent{3, std::nullopt,
                           encode_gossip(VoteMessage{round, 0, sign_message(byzantine, m, round, 0, genesis)})});
        }
      };
      net.run_for(80 * kT, step);
      if (!net.finality_consistent()) unsafe_seeds.push_back(seed);
      for (std::size_t i = 0; i < 3; ++i) finalized_blocks += net.view(i).finalized().number;
    }
    THEN("no run finalized two conflicting blocks, and finality still progressed") {
      CHECK(unsafe_seeds.empty());
      CHECK(finalized_blocks > 0);
    }
  }
}

SCENARIO("a single authority votes without waiting, and with the voting rule finalizes a block once its child exists") {
  GIVEN("one voter without a voting rule and a chain of three blocks") {
    SimNetwork net(1);
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 3);
    WHEN("it learns of the blocks") {
      net.voter(0).on_block_imported();
      net.deliver();
      THEN("it finalizes the tip at once, without waiting 2T for votes nobody else casts") {
        CHECK(net.view(0).finalized() == tip);
      }
    }
  }
  GIVEN("one voter voting one block behind the best (the dev chain) and a chain of three blocks") {
    SimNetwork net(1, 0);
    net.vote_behind_best = 1;
    const BlockInfo tip = net.chain.extend(net.chain.genesis(), 3);
    net.start_voter(0);
    const auto parent_of = [&](const BlockInfo& b) {
      return BlockInfo{net.chain.header(b.hash)->parent_hash, b.number - 1};
    };
    THEN("the tip's parent is finalized at once, the tip is not") {
      CHECK(net.view(0).finalized() == parent_of(tip));
    }
    WHEN("time passes without a new block") {
      net.run_for(10 * kT);
      THEN("the tip stays unfinalized") { CHECK(net.view(0).finalized() == parent_of(tip)); }
    }
    WHEN("a child of the tip is authored") {
      const BlockInfo child = net.chain.add(tip);
      net.voter(0).on_block_imported();
      net.deliver();
      THEN("the tip is finalized at once, with a justification that verifies, and the child is not") {
        REQUIRE(net.view(0).finalized() == tip);
        CHECK(verify_encoded_justification(net.set(), net.chain.genesis().hash, net.view(0).justifications().back(),
                                           tip));
        CHECK(net.view(0).finalized() != child);
      }
    }
    WHEN("blocks keep coming") {
      bool ahead_of_best = false;
      auto author = author_every(net, 5);
      net.run_for(60 * kT, [&] {
        author();
        ahead_of_best = ahead_of_best || net.view(0).finalized().number + 1 > longest(net).number;
      });
      THEN("finality follows exactly one block behind the best") {
        CHECK_FALSE(ahead_of_best);
        CHECK(net.view(0).finalized().number + 1 == longest(net).number);
        CHECK(net.finality_consistent());
      }
    }
  }
}

SCENARIO("three authorities voting two blocks behind the best") {
  GIVEN("three voters with the voting rule vote_behind_best = 2") {
    SimNetwork net(3, 0);
    net.vote_behind_best = 2;
    for (std::size_t i = 0; i < 3; ++i) net.start_voter(i);
    WHEN("blocks keep coming") {
      bool too_close = false;
      auto author = author_every(net, 5);
      net.run_for(80 * kT, [&] {
        author();
        for (std::size_t i = 0; i < 3; ++i)
          too_close = too_close || (net.view(i).finalized().number > 0 && net.view(i).finalized().number + 2 > longest(net).number);
      });
      THEN("each finalizes, never closer than two blocks to the best, on one chain") {
        CHECK_FALSE(too_close);
        for (std::size_t i = 0; i < 3; ++i) CHECK(net.view(i).finalized().number + 4 >= longest(net).number);
        CHECK(net.finality_consistent());
      }
    }
  }
}
