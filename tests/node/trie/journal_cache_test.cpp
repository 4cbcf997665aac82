// The pruning journal with its in-memory count cache against a model of the
// stored counts: random commits, forks, discards and prunes, several staging
// calls per batch, batches written, refused, written-but-reported-failed or
// dropped, staging calls that fail half way, and reopens.

#include <catch2/catch.hpp>
#include <deque>
#include <memory>
#include <random>

#include "node/trie/journal.hpp"
#include "node/trie/root.hpp"
#include "runtime/codec/scale.hpp"
#include "tests/node/trie/journal_support.hpp"

using namespace bazaar::node;
using namespace bazaar::node::trie;
using namespace bazaar::node::trie::test;
using bazaar::Result;
using bazaar::success;

namespace {

struct Retained {
  JournalBlock block;
  CommitResult commit;
  Model state;
};

/// One staging call and what it does to the counts if its batch lands.
struct Call {
  enum Kind { Commit, Prune, Discard } kind;
  JournalBlock block;
  const CommitResult* commit;  // Commit: the commit staged; Prune / Discard: the block's own commit
};

Result<void> stage_call(const TrieJournal& journal, db::WriteBatch& batch, const Call& call) {
  switch (call.kind) {
    case Call::Commit:
      return journal.stage_commit(batch, call.block, *call.commit);
    case Call::Prune:
      return journal.stage_prune(batch, call.block);
    case Call::Discard:
      return journal.stage_discard(batch, call.block);
  }
  return success();
}

void apply_to_model(Counts& model, const Call& call) {
  switch (call.kind) {
    case Call::Commit:
      for (const auto& [h, bytes] : call.commit->inserted_nodes) ++model[h];
      break;
    case Call::Prune:
      for (const auto& h : call.commit->removed_nodes) --model[h];
      break;
    case Call::Discard:
      for (const auto& [h, bytes] : call.commit->inserted_nodes) --model[h];
      break;
  }
}

/// Every retained canonical state reads fully from the store, without a node cache.
void check_states(FaultyStore& store, const std::deque<Retained>& canonical) {
  TrieDb fresh(store, TrieDbOptions{.cache_bytes = 0});
  for (const auto& r : canonical) {
    REQUIRE(r.commit.new_root == compute_root(r.state));
    for (const auto& [k, v] : r.state) REQUIRE(fresh.get(r.commit.new_root, k).value() == v);
  }
}

struct Tally {
  int written = 0, refused = 0, landed_anyway = 0, dropped = 0, failed_calls = 0, reopens = 0, multi = 0;
  int prunes = 0, discards = 0, retried = 0, self_pruned = 0, violations = 0;
};

struct RunOptions {
  uint32_t seed = 1;
  RefCountCacheOptions cache;
  int steps = 400;
  /// Canonical states kept at least (1: a batch may commit a block and prune it at once).
  std::size_t min_keep = 4;
  /// After a commit that fails half way, sometimes write the batch anyway,
  /// with the batch's other calls staged after the failure: the cache must
  /// stay equal to whatever the store then holds.
  bool violate = false;
};

/// Reads every stored count into a model (after a batch whose effect the test
/// cannot predict): 1 per stored node, unless a count entry says more.
Counts stored_counts(const FaultyStore& store) {
  Counts counts;
  REQUIRE(store
              .iterate(db::Column::TrieNodes, {},
                       [&](ByteSpan key, ByteSpan) {
                         counts[H256::from_span(key)] = 1;
                         return true;
                       })
              .has_value());
  REQUIRE(store
              .iterate(db::Column::TrieRefCounts, {},
                       [&](ByteSpan key, ByteSpan value) {
                         counts[H256::from_span(key)] = bazaar::runtime::codec::decode<uint32_t>(value).value();
                         return true;
                       })
              .has_value());
  return counts;
}

Tally run_random_chain(const RunOptions& o) {
  FaultyStore store;
  TrieDb trie(store, TrieDbOptions{.cache_bytes = 0});
  auto journal = std::make_unique<TrieJournal>(TrieJournal::open(store, PruningMode::Pruned, o.cache).value());
  std::mt19937 rng(o.seed);
  Counts model;
  std::deque<Retained> canonical;  // canonical blocks whose journal entry is stored, oldest first
  std::vector<Retained> forks;     // side blocks on some canonical state, journaled
  Tally tally;
  int next_block = 0;

  for (int step = 0; step < o.steps; ++step) {
    // A batch of one to three staging calls, as import and finalization make them.
    std::vector<Call> calls;
    std::unique_ptr<Retained> new_canonical;
    std::vector<std::unique_ptr<Retained>> new_forks;
    std::size_t prune_count = 0;
    std::vector<std::size_t> discard_at;
    const Model head_state = canonical.empty() ? Model{} : canonical.back().state;
    const H256 head_root = canonical.empty() ? empty_root() : canonical.back().commit.new_root;
    // The canonical chain as it would be after this batch: stored, then new.
    const auto chain_size = [&] { return canonical.size() + (new_canonical ? 1 : 0); };
    const auto chain_at = [&](std::size_t i) -> const Retained& {
      return i < canonical.size() ? canonical[i] : *new_canonical;
    };
    const int wanted = 1 + static_cast<int>(rng() % 3);
    for (int c = 0; c < wanted; ++c) {
      const int action = static_cast<int>(rng() % 10);
      if (action < 4) {  // extend the canonical chain (once per batch: a commit reads its parent from the store)
        if (new_canonical) continue;
        Model state = head_state;
        new_canonical = std::make_unique<Retained>();
        new_canonical->block = journal_block(next_block++);
        new_canonical->commit = trie.apply(head_root, random_changes(rng, state)).value();
        new_canonical->state = std::move(state);
        calls.push_back({Call::Commit, new_canonical->block, &new_canonical->commit});
        if (o.min_keep == 1 && rng() % 2 == 0) {  // and prune up to it: its parent's state goes at once
          while (chain_size() >= prune_count + 2) {
            const Retained& r = chain_at(prune_count + 1);
            if (&r == new_canonical.get()) ++tally.self_pruned;
            ++prune_count;
            calls.push_back({Call::Prune, r.block, &r.commit});
          }
        }
      } else if (action < 6) {  // a side block on the stored head
        Model state = head_state;
        auto r = std::make_unique<Retained>();
        r->block = journal_block(next_block++, 1);
        r->commit = trie.apply(head_root, random_changes(rng, state)).value();
        r->state = std::move(state);
        calls.push_back({Call::Commit, r->block, &r->commit});
        new_forks.push_back(std::move(r));
      } else if (action < 8) {  // discard a stored side block
        if (forks.empty()) continue;
        const std::size_t i = rng() % forks.size();
        if (std::find(discard_at.begin(), discard_at.end(), i) != discard_at.end()) continue;
        discard_at.push_back(i);
        calls.push_back({Call::Discard, forks[i].block, &forks[i].commit});
      } else {  // prune the next canonical block, in chain order, keeping min_keep states
        if (chain_size() < prune_count + 1 + o.min_keep || chain_size() < prune_count + 2) continue;
        const Retained& r = chain_at(prune_count + 1);
        if (new_canonical && &r == new_canonical.get()) ++tally.self_pruned;
        ++prune_count;
        calls.push_back({Call::Prune, r.block, &r.commit});
      }
    }
    if (calls.empty()) continue;
    if (calls.size() > 1) ++tally.multi;

    db::WriteBatch batch;
    std::optional<std::size_t> failed;  // index of the call that failed
    if (rng() % 12 == 0) store.fail_get_in = static_cast<int>(rng() % 3);
    for (std::size_t i = 0; i < calls.size() && !failed; ++i)
      if (!stage_call(*journal, batch, calls[i])) failed = i;
    store.fail_get_in.reset();

    if (failed) {
      ++tally.failed_calls;
      const Call& bad = calls[*failed];
      const bool may_violate = o.violate && bad.kind == Call::Commit && rng() % 2 == 0;
      if (may_violate) {
        // Stage the rest (except a prune of the block that failed to commit) and write anyway.
        for (std::size_t i = *failed + 1; i < calls.size(); ++i) {
          if (calls[i].kind == Call::Prune && new_canonical && calls[i].block == new_canonical->block &&
              bad.block == new_canonical->block)
            continue;
          REQUIRE(stage_call(*journal, batch, calls[i]).has_value());
        }
        REQUIRE(store.write(std::move(batch)).has_value());
        ++tally.violations;
        // What landed: every call but the failed one and the prunes skipped with it.
        std::vector<Call> landed_calls;
        for (std::size_t i = 0; i < calls.size(); ++i)
          if (i != *failed && !(calls[i].kind == Call::Prune && calls[i].block == bad.block)) landed_calls.push_back(calls[i]);
        std::size_t pruned_here = 0;
        for (const Call& c : landed_calls) pruned_here += c.kind == Call::Prune ? 1 : 0;
        if (new_canonical && bad.block != new_canonical->block) canonical.push_back(std::move(*new_canonical));
        for (std::size_t i = 0; i < pruned_here; ++i) canonical.pop_front();
        std::sort(discard_at.rbegin(), discard_at.rend());
        for (std::size_t i : discard_at) forks.erase(forks.begin() + static_cast<std::ptrdiff_t>(i));
        for (auto& r : new_forks)
          if (r->block != bad.block) forks.push_back(std::move(*r));
        model = stored_counts(store);  // the half-staged commit's counts are whatever landed
        check_counts(store, model);
        continue;
      }
    }

    bool landed = false;
    if (!failed) {
      switch (rng() % 10) {
        case 0:
          store.write_fault = FaultyStore::WriteFault::Fail;
          REQUIRE_FALSE(store.write(std::move(batch)).has_value());
          ++tally.refused;
          break;
        case 1:
          store.write_fault = FaultyStore::WriteFault::LandThenFail;
          REQUIRE_FALSE(store.write(std::move(batch)).has_value());
          landed = true;
          ++tally.landed_anyway;
          break;
        case 2:
        case 3:
          ++tally.dropped;  // e.g. the import failed after staging
          break;
        default:
          REQUIRE(store.write(std::move(batch)).has_value());
          landed = true;
          ++tally.written;
      }
    }
    if (!landed && rng() % 2 == 0) {  // the same blocks again, into a fresh batch that lands
      db::WriteBatch again;
      for (const Call& call : calls) REQUIRE(stage_call(*journal, again, call).has_value());
      REQUIRE(store.write(std::move(again)).has_value());
      landed = true;
      ++tally.retried;
    }
    if (landed) {
      for (const Call& call : calls) apply_to_model(model, call);
      if (new_canonical) canonical.push_back(std::move(*new_canonical));
      for (std::size_t i = 0; i < prune_count; ++i) canonical.pop_front();
      tally.prunes += static_cast<int>(prune_count);
      std::sort(discard_at.rbegin(), discard_at.rend());
      for (std::size_t i : discard_at) forks.erase(forks.begin() + static_cast<std::ptrdiff_t>(i));
      tally.discards += static_cast<int>(discard_at.size());
      for (auto& r : new_forks) forks.push_back(std::move(*r));
    }
    check_counts(store, model);
    if (step % 25 == 0) check_states(store, canonical);

    if (rng() % 20 == 0) {  // a restart: the memory is gone, the store stays
      journal.reset();
      journal = std::make_unique<TrieJournal>(TrieJournal::open(store, PruningMode::Pruned, o.cache).value());
      ++tally.reopens;
    }
  }
  check_states(store, canonical);
  return tally;
}

}  // namespace

SCENARIO("the count cache never disagrees with the stored counts") {
  GIVEN("a pruning journal with a tiny cache and filter (forced rotations and rebuilds)") {
    WHEN("400 random steps run, keeping 4 states") {
      const Tally t = run_random_chain({.seed = 7, .cache = {.max_known = 48, .min_filter_capacity = 16}});
      THEN("every kind of step and batch fate happened, with the counts exact after each") {
        CHECK(t.written > 100);
        CHECK(t.refused > 10);
        CHECK(t.landed_anyway > 10);
        CHECK(t.dropped > 30);
        CHECK(t.failed_calls > 5);
        CHECK(t.reopens > 5);
        CHECK(t.multi > 50);
        CHECK(t.prunes > 20);
        CHECK(t.discards > 20);
        CHECK(t.retried > 30);
      }
    }
    WHEN("400 random steps run keeping 1 state, so a batch may commit a block and prune it") {
      const Tally t =
          run_random_chain({.seed = 8, .cache = {.max_known = 48, .min_filter_capacity = 16}, .min_keep = 1});
      THEN("the counts were exact after each step") {
        CHECK(t.self_pruned > 20);
        CHECK(t.prunes > 100);
      }
    }
  }
  GIVEN("a pruning journal with the default cache") {
    WHEN("400 random steps run, keeping 2 states") {
      const Tally t = run_random_chain({.seed = 2024, .cache = {}, .min_keep = 2});
      THEN("the counts were exact after each step") {
        CHECK(t.written > 100);
        CHECK(t.prunes > 50);
      }
    }
    WHEN("a caller writes batches whose commit failed half way") {
      const Tally t = run_random_chain({.seed = 99, .cache = {}, .steps = 700, .min_keep = 1, .violate = true});
      THEN("the cache follows whatever landed") {
        CHECK(t.violations > 5);
      }
    }
  }
}
