#include "node/txpool/tx_pool.hpp"

#include "tests/node/txpool/fake_chain.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace bazaar::test;

using Texts = std::vector<std::string>;

SCENARIO("a full ready queue evicts the lowest priority and refuses lower ones with 1014") {
  FakeChain chain;
  TxPoolOptions options;
  options.max_ready = 3;
  TxPool pool(options, chain.validator());
  REQUIRE(pool.submit(TransactionSource::External, xt("a", 0, 5)));
  REQUIRE(pool.submit(TransactionSource::External, xt("b", 0, 2)));
  REQUIRE(pool.submit(TransactionSource::External, xt("c", 0, 7)));
  WHEN("a transaction with a priority no higher than the lowest arrives") {
    auto r = pool.submit(TransactionSource::External, xt("d", 0, 2));
    THEN("it is refused with 1014 and the pool is unchanged") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == TxPoolError::PoolFull);
      CHECK(to_rpc_error(r.error()).code == 1014);
      CHECK(ready_texts(pool) == Texts{"c:0:7", "a:0:5", "b:0:2"});
    }
  }
  WHEN("a better one arrives") {
    REQUIRE(pool.submit(TransactionSource::External, xt("d", 0, 3)));
    THEN("the lowest is evicted") {
      CHECK(ready_texts(pool) == Texts{"c:0:7", "a:0:5", "d:0:3"});
      CHECK(pool.status().ready == 3);
    }
  }
}

SCENARIO("evicting a ready transaction sends its dependants to the future queue") {
  FakeChain chain;
  TxPoolOptions options;
  options.max_ready = 3;
  TxPool pool(options, chain.validator());
  REQUIRE(pool.submit(TransactionSource::External, xt("a", 0, 1)));
  REQUIRE(pool.submit(TransactionSource::External, xt("a", 1, 9)));
  REQUIRE(pool.submit(TransactionSource::External, xt("b", 0, 5)));
  REQUIRE(pool.submit(TransactionSource::External, xt("c", 0, 6)));
  CHECK(ready_texts(pool) == Texts{"c:0:6", "b:0:5"});
  CHECK(texts(pool.pending()) == Texts{"c:0:6", "b:0:5", "a:1:9"});
  CHECK(pool.status().future == 1);
}

SCENARIO("the future queue and the byte budget are bounded") {
  FakeChain chain;
  GIVEN("room for two future transactions") {
    TxPoolOptions options;
    options.max_future = 2;
    TxPool pool(options, chain.validator());
    REQUIRE(pool.submit(TransactionSource::External, xt("a", 5, 3)));
    REQUIRE(pool.submit(TransactionSource::External, xt("b", 5, 4)));
    CHECK(pool.submit(TransactionSource::External, xt("c", 5, 1)).error() == TxPoolError::PoolFull);
    REQUIRE(pool.submit(TransactionSource::External, xt("d", 5, 9)));
    CHECK(texts(pool.pending()) == Texts{"b:5:4", "d:5:9"});
  }
  GIVEN("a byte budget for three small transactions") {
    TxPoolOptions options;
    options.max_bytes = 3 * xt("a", 0, 1).size();
    TxPool pool(options, chain.validator());
    REQUIRE(pool.submit(TransactionSource::External, xt("a", 0, 4)));
    REQUIRE(pool.submit(TransactionSource::External, xt("b", 0, 5)));
    REQUIRE(pool.submit(TransactionSource::External, xt("c", 1, 6)));  // future
    THEN("a fourth evicts the lowest priority one first") {
      REQUIRE(pool.submit(TransactionSource::External, xt("d", 0, 7)));
      CHECK(texts(pool.pending()) == Texts{"d:0:7", "b:0:5", "c:1:6"});
      CHECK(pool.status().bytes <= options.max_bytes);
    }
    THEN("a transaction larger than the whole budget is refused") {
      auto big = pool.submit(TransactionSource::External, xt("e", 0, 99, std::string(100, 'x')));
      REQUIRE_FALSE(big);
      CHECK(big.error() == TxPoolError::PoolFull);
      CHECK(pool.status().ready == 2);
    }
  }
}

SCENARIO("concurrent submits from two threads keep the pool consistent") {
  FakeChain chain;
  TxPoolOptions options;
  options.max_ready = 150;
  TxPool pool(options, chain.validator());
  EventLog log;
  pool.watch_all(log.callback());
  constexpr uint32_t kPerThread = 100;
  // Both threads submit the same nonce chain for "shared" (so half of those are
  // duplicates) plus their own chain, out of order.
  auto worker = [&](const std::string& own, std::vector<bool>& accepted) {
    for (uint32_t i = 0; i < kPerThread; ++i) {
      uint32_t nonce = kPerThread - 1 - i;
      auto mine = pool.submit(TransactionSource::External, xt(own, nonce, 1 + nonce % 7));
      accepted.push_back(mine.has_value() || mine.error() == TxPoolError::PoolFull);
      auto shared = pool.submit(TransactionSource::External, xt("shared", i, 3));
      accepted.push_back(shared.has_value() || shared.error() == TxPoolError::AlreadyImported);
    }
  };
  std::vector<bool> ok1, ok2;
  std::thread t1(worker, "one", std::ref(ok1));
  std::thread t2(worker, "two", std::ref(ok2));
  t1.join();
  t2.join();
  CHECK(std::count(ok1.begin(), ok1.end(), false) == 0);
  CHECK(std::count(ok2.begin(), ok2.end(), false) == 0);

  auto status = pool.status();
  auto pending = pool.pending();
  auto ready = pool.ready().collect();
  THEN("counts, bounds and contents agree") {
    CHECK(status.ready <= options.max_ready);
    CHECK(status.ready == ready.size());
    CHECK(status.ready + status.future == pending.size());
    std::size_t bytes = 0;
    std::set<H256> unique;
    for (const auto& tx : pending) {
      bytes += tx->data.size();
      unique.insert(tx->hash);
      CHECK(pool.contains(tx->hash));
    }
    CHECK(bytes == status.bytes);
    CHECK(unique.size() == pending.size());
  }
  THEN("the shared chain was admitted once per nonce and ready ones come in nonce order") {
    std::vector<uint32_t> shared_nonces;
    for (const auto& tx : ready) {
      std::string text(tx->data.begin(), tx->data.end());
      if (text.starts_with("shared:")) shared_nonces.push_back(std::stoul(text.substr(7)));
    }
    CHECK(std::is_sorted(shared_nonces.begin(), shared_nonces.end()));
    CHECK(std::adjacent_find(shared_nonces.begin(), shared_nonces.end()) == shared_nonces.end());
  }
  THEN("every event was delivered and the last one of each pooled transaction matches its queue") {
    std::map<H256, TxStatusKind> last;
    for (const auto& [hash, status] : log.events) last[hash] = status.kind;
    auto is_ready = [&](const H256& h) {
      return std::any_of(ready.begin(), ready.end(), [&](const TxPtr& tx) { return tx->hash == h; });
    };
    for (const auto& tx : pending) {
      REQUIRE(last.contains(tx->hash));
      CHECK(last[tx->hash] == (is_ready(tx->hash) ? TxStatusKind::Ready : TxStatusKind::Future));
    }
  }
}
