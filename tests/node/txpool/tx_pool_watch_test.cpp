#include "node/txpool/tx_pool.hpp"

#include "tests/node/txpool/fake_chain.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::test;

namespace {

H256 block(uint8_t n) {
  H256 h;
  h.bytes[0] = n;
  return h;
}

}  // namespace

SCENARIO("a watcher sees ready, inBlock and finalized") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog log;
  auto watched = pool.submit_and_watch(TransactionSource::External, xt("alice", 0, 1), log.callback());
  REQUIRE(watched);
  const H256 hash = watched.value().hash;
  CHECK(log.kinds_for(hash) == std::vector{TxStatusKind::Ready});

  chain.set_block(1);
  auto included = chain.include({xt("alice", 0, 1)});
  pool.on_block_imported(1, block(1), included, chain.validator());
  REQUIRE(log.events.size() == 2);
  CHECK(log.events[1].second == TxStatus{TxStatusKind::InBlock, block(1)});

  WHEN("a late watcher subscribes before finality") {
    EventLog late;
    auto id = pool.watch(hash, late.callback());
    THEN("it learns the inclusion at once") {
      REQUIRE(id);
      REQUIRE(late.events.size() == 1);
      CHECK(late.events[0].second == TxStatus{TxStatusKind::InBlock, block(1)});
    }
  }
  WHEN("the block is finalized") {
    pool.on_block_finalized(block(1), included);
    THEN("the watcher sees finalized and then nothing more") {
      CHECK(log.kinds_for(hash) == std::vector{TxStatusKind::Ready, TxStatusKind::InBlock, TxStatusKind::Finalized});
      CHECK(log.events[2].second.hash == block(1));
      pool.on_block_finalized(block(1), included);
      CHECK(log.events.size() == 3);
      CHECK_FALSE(pool.watch(hash, log.callback()));
    }
  }
}

SCENARIO("a watcher of a future transaction sees it become ready") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog log;
  auto watched = pool.submit_and_watch(TransactionSource::External, xt("alice", 1, 1), log.callback());
  REQUIRE(watched);
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  CHECK(log.kinds_for(watched.value().hash) == std::vector{TxStatusKind::Future, TxStatusKind::Ready});
}

SCENARIO("watchers see invalid and dropped as final statuses") {
  FakeChain chain;
  TxPoolOptions options;
  options.max_ready = 1;
  TxPool pool(options, chain.validator());
  EventLog log;
  auto low = pool.submit_and_watch(TransactionSource::External, xt("alice", 0, 1), log.callback());
  REQUIRE(low);
  WHEN("a better transaction pushes it out of the full pool") {
    REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 5)));
    THEN("it is dropped") {
      CHECK(log.kinds_for(low.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Dropped});
    }
  }
  WHEN("it becomes invalid") {
    std::vector<H256> invalid{low.value().hash};
    pool.remove_invalid(invalid);
    THEN("it is invalid and the watch ends") {
      CHECK(log.kinds_for(low.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Invalid});
      pool.remove_invalid(invalid);
      CHECK(log.events.size() == 2);
    }
  }
}

SCENARIO("pool-wide watchers and unwatching") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog all;
  auto id = pool.watch_all(all.callback());
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 1, 1)));
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  CHECK(all.events.size() == 3);  // future, ready, ready (promoted)
  CHECK(all.events[0].second.kind == TxStatusKind::Future);
  CHECK(all.events[2].first == TxPool::hash_of(xt("alice", 1, 1)));
  CHECK(all.events[2].second.kind == TxStatusKind::Ready);
  pool.unwatch(id);
  REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 1)));
  CHECK(all.events.size() == 3);
  CHECK(to_string(TxStatusKind::InBlock) == "inBlock");
}

SCENARIO("a callback may call back into the pool") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  std::vector<std::size_t> ready_counts;
  pool.watch_all([&](const H256&, const TxStatus& status) {
    ready_counts.push_back(pool.status().ready);
    if (ready_counts.size() == 1) (void)pool.submit(TransactionSource::External, xt("bob", 0, 1));
  });
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  THEN("the nested event is delivered after the first, without deadlock") {
    CHECK(ready_counts.size() == 2);
    CHECK(pool.status().ready == 2);
  }
}

SCENARIO("watches of included transactions time out without finality") {
  FakeChain chain;
  TxPoolOptions options;
  options.finality_timeout_blocks = 2;
  TxPool pool(options, chain.validator());
  EventLog log;
  auto watched = pool.submit_and_watch(TransactionSource::External, xt("alice", 0, 1), log.callback());
  REQUIRE(watched);
  pool.on_block_imported(1, block(1), chain.include({xt("alice", 0, 1)}), chain.validator());
  pool.on_block_imported(2, block(2), {}, chain.validator());
  CHECK(log.kinds_for(watched.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::InBlock});
  pool.on_block_imported(3, block(3), {}, chain.validator());
  CHECK(log.kinds_for(watched.value().hash) ==
        std::vector{TxStatusKind::Ready, TxStatusKind::InBlock, TxStatusKind::FinalityTimeout});
  CHECK(log.events.back().second.hash == block(1));
}
