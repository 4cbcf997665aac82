#include "node/txpool/tx_pool.hpp"

#include "tests/node/txpool/fake_chain.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::test;

using Texts = std::vector<std::string>;

namespace {

H256 block_hash(uint32_t n) {
  H256 h;
  h.bytes[0] = static_cast<uint8_t>(n);
  h.bytes[31] = 0xbb;
  return h;
}

/// Imports block `number` containing `extrinsics` into both the fake chain and the pool.
void import_block(FakeChain& chain, TxPool& pool, uint32_t number, const std::vector<Bytes>& extrinsics) {
  chain.set_block(number);
  auto hashes = chain.include(extrinsics);
  pool.on_block_imported(number, block_hash(number), hashes, chain.validator());
}

}  // namespace

SCENARIO("an imported block removes what it included and keeps dependants ready") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  for (uint32_t n = 0; n < 3; ++n) REQUIRE(pool.submit(TransactionSource::External, xt("alice", n, 1)));
  REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 1)));
  WHEN("a block includes alice's first transaction") {
    import_block(chain, pool, 1, {xt("alice", 0, 1)});
    THEN("it leaves the pool, is banned, and the rest of her chain is still ready") {
      CHECK_FALSE(pool.contains(TxPool::hash_of(xt("alice", 0, 1))));
      CHECK(pool.is_banned(TxPool::hash_of(xt("alice", 0, 1))));
      CHECK(ready_texts(pool) == Texts{"alice:1:1", "alice:2:1", "bob:0:1"});
      CHECK(pool.status().future == 0);
    }
    AND_WHEN("it is resubmitted") {
      auto again = pool.submit(TransactionSource::External, xt("alice", 0, 1));
      THEN("it is refused as banned") {
        REQUIRE_FALSE(again);
        CHECK(again.error() == TxPoolError::TemporarilyBanned);
      }
    }
    AND_WHEN("the block is retracted and the node resubmits its transactions") {
      chain.set_nonce("alice", 0);
      auto back = pool.submit(TransactionSource::InBlock, xt("alice", 0, 1));
      pool.revalidate(chain.validator());
      THEN("the ban does not apply and the chain is whole again, in nonce order") {
        REQUIRE(back);
        CHECK(ready_texts(pool) == Texts{"bob:0:1", "alice:0:1", "alice:1:1", "alice:2:1"});
      }
    }
  }
  WHEN("remove_included runs before revalidation") {
    pool.remove_included(block_hash(1), chain.include({xt("alice", 0, 1)}));
    THEN("dependants stay ready because the chain now provides their tag") {
      CHECK(ready_texts(pool) == Texts{"alice:1:1", "alice:2:1", "bob:0:1"});
    }
  }
}

SCENARIO("future transactions are promoted when the chain provides their tags") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  GIVEN("alice's nonce 3 and 4 in the pool while her account nonce is 0") {
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 3, 1)));
    REQUIRE(pool.submit(TransactionSource::External, xt("alice", 4, 1)));
    REQUIRE(pool.status().future == 2);
    WHEN("blocks from elsewhere move her nonce to 3") {
      chain.set_nonce("alice", 3);
      pool.on_block_imported(1, block_hash(1), {}, chain.validator());
      THEN("revalidation finds no requires for nonce 3 and both become ready, in order") {
        CHECK(pool.status().future == 0);
        CHECK(ready_texts(pool) == Texts{"alice:3:1", "alice:4:1"});
      }
    }
  }
}

SCENARIO("revalidation drops transactions that became invalid and bans them") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog log;
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  auto stale = pool.submit_and_watch(TransactionSource::External, xt("alice", 1, 1), log.callback());
  REQUIRE(stale);
  REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 1)));
  WHEN("another author's block used alice's nonces 0 and 1 with other transactions") {
    import_block(chain, pool, 1, {xt("alice", 0, 9), xt("alice", 1, 9)});
    THEN("her pooled transactions are stale: gone, invalid, banned") {
      CHECK(ready_texts(pool) == Texts{"bob:0:1"});
      CHECK(log.kinds_for(stale.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Invalid});
      CHECK(pool.is_banned(stale.value().hash));
    }
  }
  WHEN("the block builder reports a transaction invalid") {
    std::vector<H256> invalid{TxPool::hash_of(xt("alice", 0, 1))};
    pool.remove_invalid(invalid);
    THEN("it is removed and banned, and its dependant waits in the future queue") {
      CHECK_FALSE(pool.contains(invalid[0]));
      CHECK(pool.is_banned(invalid[0]));
      CHECK(ready_texts(pool) == Texts{"bob:0:1"});
      CHECK(pool.status().future == 1);
      CHECK(log.kinds_for(stale.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Future});
    }
  }
}

SCENARIO("revalidation picks up new priorities") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  REQUIRE(pool.submit(TransactionSource::External, xt("alice", 0, 1)));
  REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 2)));
  Validator boosted = [&](TransactionSource s, ByteSpan bytes) {
    auto v = chain.validate(bytes);
    if (v.is_valid() && bytes[0] == 'a') std::get<0>(v.outcome).priority = 50;
    return v;
  };
  pool.revalidate(boosted);
  CHECK(ready_texts(pool) == Texts{"alice:0:1", "bob:0:2"});
  CHECK(pool.get(TxPool::hash_of(xt("alice", 0, 1)))->validity.priority == 50);
}

SCENARIO("transactions are dropped when their longevity ends") {
  FakeChain chain;
  TxPool pool({}, chain.validator(), 0);
  EventLog log;
  GIVEN("a transaction mortal until block 3 and an immortal one") {
    auto mortal = pool.submit_and_watch(TransactionSource::External, xt("alice", 0, 1, ":d3"), log.callback());
    REQUIRE(mortal);
    REQUIRE(pool.get(mortal.value().hash)->valid_till == 3);
    REQUIRE(pool.submit(TransactionSource::External, xt("bob", 0, 1)));
    WHEN("blocks 1 and 2 are imported") {
      import_block(chain, pool, 1, {});
      import_block(chain, pool, 2, {});
      THEN("it is still there") { CHECK(pool.contains(mortal.value().hash)); }
      AND_WHEN("block 3 is imported") {
        import_block(chain, pool, 3, {});
        THEN("it is dropped as invalid and banned; the other stays") {
          CHECK_FALSE(pool.contains(mortal.value().hash));
          CHECK(pool.is_banned(mortal.value().hash));
          CHECK(log.kinds_for(mortal.value().hash) == std::vector{TxStatusKind::Ready, TxStatusKind::Invalid});
          CHECK(ready_texts(pool) == Texts{"bob:0:1"});
        }
      }
    }
  }
  GIVEN("a pool whose validator is not consulted between blocks (revalidation keeps the old verdict)") {
    REQUIRE(pool.submit(TransactionSource::External, xt("carol", 0, 1, ":d2")));
    Validator cannot_tell = [](TransactionSource, ByteSpan) {
      return ValidationResult::unknown(bazaar::runtime::UnknownTransaction::CannotLookup);
    };
    pool.on_block_imported(1, block_hash(1), {}, cannot_tell);
    CHECK(pool.contains(TxPool::hash_of(xt("carol", 0, 1, ":d2"))));
    pool.on_block_imported(2, block_hash(2), {}, cannot_tell);
    THEN("longevity alone prunes it at block 2") { CHECK_FALSE(pool.contains(TxPool::hash_of(xt("carol", 0, 1, ":d2")))); }
  }
}
