#include "node/txpool/tx_pool.hpp"

#include "tests/node/txpool/fake_chain.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::test;
using bazaar::runtime::InvalidTransaction;

using Texts = std::vector<std::string>;

SCENARIO("ready transactions come out by priority, then age") {
  GIVEN("a pool and transactions from independent senders") {
    FakeChain chain;
    TxPool pool({}, chain.validator());
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 5)));
    REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 9)));
    REQUIRE(pool.submit(TransactionSource::External, xt("carol", 0, 5)));
    REQUIRE(pool.submit(TransactionSource::Local, xt("dave", 0, 1)));
    THEN("the highest tip comes first and equal tips keep arrival order") {
      CHECK(ready_texts(pool) == Texts{"bob:0:9", "alice:0:5", "carol:0:5", "dave:0:1"});
      CHECK(pool.status().ready == 4);
      CHECK(pool.status().future == 0);
    }
    THEN("the status counts the encoded bytes") {
      CHECK(pool.status().bytes == std::string("bob:0:9alice:0:5carol:0:5dave:0:1").size());
    }
    THEN("transactions are found by blake2b-256 of their bytes") {
      auto hash = TxPool::hash_of(xt("bob", 0, 9));
      CHECK(pool.contains(hash));
      CHECK(pool.get(hash)->source == TransactionSource::External);
      CHECK(pool.get(hash)->validity.priority == 9);
      CHECK_FALSE(pool.contains(TxPool::hash_of(xt("bob", 0, 8))));
    }
  }
}

SCENARIO("a nonce chain that arrives out of order becomes ready in order") {
  GIVEN("alice's transactions with nonces 2 and 1 submitted before 0") {
    FakeChain chain;
    TxPool pool({}, chain.validator());
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 2, 7)));
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 1, 3)));
    THEN("both wait in the future queue") {
      CHECK(pool.status().future == 2);
      CHECK(pool.status().ready == 0);
      CHECK(ready_texts(pool).empty());
      CHECK(texts(pool.pending()) == Texts{"alice:2:7", "alice:1:3"});
    }
    WHEN("nonce 0 arrives") {
      REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
      THEN("the whole chain is ready and comes out in nonce order despite the tips") {
        CHECK(pool.status().ready == 3);
        CHECK(pool.status().future == 0);
        CHECK(ready_texts(pool) == Texts{"alice:0:1", "alice:1:3", "alice:2:7"});
      }
      AND_WHEN("another sender has a higher tip") {
        REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 2)));
        THEN("it goes before alice's chain, whose head tip is lower, and dependants follow their parents") {
          CHECK(ready_texts(pool) == Texts{"bob:0:2", "alice:0:1", "alice:1:3", "alice:2:7"});
        }
      }
    }
  }
  GIVEN("a gap in the chain") {
    FakeChain chain;
    TxPool pool({}, chain.validator());
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 2, 1)));
    THEN("only the part without a gap is ready") {
      CHECK(ready_texts(pool) == Texts{"alice:0:1"});
      CHECK(pool.status().future == 1);
    }
  }
}

SCENARIO("the ready iterator skips the dependants of a transaction the builder could not apply") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  for (uint32_t n = 0; n < 3; ++n) REQUIRE(pool.submit(TransactionSource::External, xt("alice", n, 5)));
  REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 1)));
  auto it = pool.ready();
  auto first = it.next();
  REQUIRE(first);
  CHECK(texts({first}) == Texts{"alice:0:5"});
  it.report_invalid(first->hash);
  CHECK(texts(it.collect()) == Texts{"bob:0:1"});
  THEN("the snapshot did not change the pool") { CHECK(pool.status().ready == 4); }
}

SCENARIO("a transaction with a higher priority replaces one providing the same tag") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog log;
  auto first = pool.submit_and_watch(TransactionSource::External, xt("alice", 0, 5), log.callback());
  REQUIRE(first);
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 1, 5)));
  WHEN("the same nonce comes with a lower or equal tip") {
    auto lower = pool.submit(TransactionSource::External, xt("alice", 0, 5, ":again"));
    THEN("it is refused with 1014") {
      REQUIRE_FALSE(lower);
      CHECK(lower.error() == TxPoolError::TooLowPriority);
      CHECK(to_rpc_error(lower.error()).code == 1014);
    }
  }
  WHEN("the same nonce comes with a higher tip") {
    auto higher = pool.submit(TransactionSource::External, xt("alice", 0, 8));
    THEN("it replaces the old one, which is usurped, and the dependant stays ready") {
      REQUIRE(higher);
      CHECK_FALSE(pool.contains(first.value().hash));
      CHECK(ready_texts(pool) == Texts{"alice:0:8", "alice:1:5"});
      CHECK(log.kinds_for(first.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Usurped});
      CHECK(log.events.back().second.hash == higher.value());
    }
  }
}

SCENARIO("duplicates, missing tags and runtime errors are refused") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  WHEN("the same bytes are submitted again") {
    auto again = pool.submit(TransactionSource::Local, xt("alice", 0, 1));
    THEN("it is 1013 and the runtime is not asked again") {
      REQUIRE_FALSE(again);
      CHECK(again.error() == TxPoolError::AlreadyImported);
      CHECK(to_rpc_error(again.error()).code == 1013);
      CHECK(chain.validations() == 1);
    }
  }
  WHEN("the runtime gives no provides tags") {
    auto r = pool.submit(TransactionSource::External, xt("bob", 0, 1, ":notags"));
    THEN("it is 1018") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == TxPoolError::NoTagsProvided);
      CHECK(to_rpc_error(r.error()).code == 1018);
    }
  }
  WHEN("the runtime cannot tell") {
    auto r = pool.submit(TransactionSource::External, xt("bob", 0, 1, ":unknown"));
    THEN("it is 1011 with the runtime's reason, and it is not banned") {
      REQUIRE_FALSE(r);
      auto rpc = to_rpc_error(r.error());
      CHECK(rpc.code == 1011);
      CHECK(rpc.message == "Unknown Transaction Validity");
      CHECK(rpc.data == "Could not lookup information required to validate the transaction");
      CHECK_FALSE(pool.is_banned(TxPool::hash_of(xt("bob", 0, 1, ":unknown"))));
    }
  }
}

SCENARIO("an invalid transaction is banned until the ban expires") {
  FakeChain chain;
  ManualClock time;
  TxPoolOptions options;
  options.ban_seconds = 60;
  TxPool pool(options, chain.validator(), 0, time.clock());
  auto bad = xt("mallory", 0, 100, ":bad");
  WHEN("it is submitted") {
    auto r = pool.submit(TransactionSource::External, bad);
    THEN("RPC reports 1010 with the runtime's reason") {
      REQUIRE_FALSE(r);
      CHECK(pool_error(r.error()) == TxPoolError::InvalidTransaction);
      auto reason = validity_error(r.error());
      REQUIRE(reason);
      CHECK(std::get<InvalidTransaction>(reason->error) == InvalidTransaction::BadProof);
      auto rpc = to_rpc_error(r.error());
      CHECK(rpc.code == 1010);
      CHECK(rpc.message == "Invalid Transaction");
      CHECK(rpc.data == "Transaction has a bad signature");
      CHECK(pool.status().ready + pool.status().future == 0);
    }
    AND_WHEN("it is resubmitted within the ban") {
      time.now += std::chrono::seconds(59);
      auto again = pool.submit(TransactionSource::External, bad);
      THEN("it is 1012 without asking the runtime") {
        REQUIRE_FALSE(again);
        CHECK(again.error() == TxPoolError::TemporarilyBanned);
        CHECK(to_rpc_error(again.error()).code == 1012);
        CHECK(chain.validations() == 1);
      }
    }
    AND_WHEN("it is resubmitted after the ban") {
      time.now += std::chrono::seconds(60);
      auto again = pool.submit(TransactionSource::External, bad);
      THEN("the runtime is asked again and refuses it again") {
        REQUIRE_FALSE(again);
        CHECK(to_rpc_error(again.error()).code == 1010);
        CHECK(chain.validations() == 2);
      }
    }
  }
}
