#include "node/txpool/tx_pool.hpp"

#include "tests/node/txpool/fake_chain.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

using namespace bazaar::test;

SCENARIO("submitting, authoring and importing on different threads stays consistent") {
  FakeChain chain;
  TxPool pool({}, chain.validator());
  EventLog log;
  pool.watch_all(log.callback());
  constexpr uint32_t kPerSender = 150;
  constexpr std::size_t kPerBlock = 10;
  std::atomic<int> submitting{2};
  std::atomic<std::size_t> refused{0};

  auto submitter = [&](std::string sender) {
    for (uint32_t nonce = 0; nonce < kPerSender; ++nonce) {
      if (!pool.submit(TransactionSource::External, xt(sender, nonce, 1 + nonce % 5))) ++refused;
    }
    --submitting;
  };

  // The authoring + import thread: builds blocks from a prefix of ready(), applies
  // them to the fake chain, and reports them to the pool.
  std::map<std::string, std::vector<uint32_t>> included_nonces;
  std::vector<H256> included_hashes;
  uint32_t number = 0;
  auto author = [&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto status = pool.status();
      if (submitting == 0 && status.ready == 0 && status.future == 0) return;
      std::vector<Bytes> body;
      auto it = pool.ready();
      for (auto tx = it.next(); tx && body.size() < kPerBlock; tx = it.next()) {
        std::string text(tx->data.begin(), tx->data.end());
        auto colon = text.find(':');
        included_nonces[text.substr(0, colon)].push_back(std::stoul(text.substr(colon + 1)));
        body.push_back(tx->data);
      }
      ++number;
      chain.set_block(number);
      auto hashes = chain.include(body);
      H256 block;
      block.bytes[0] = static_cast<uint8_t>(number);
      block.bytes[1] = static_cast<uint8_t>(number >> 8);
      pool.on_block_imported(number, block, hashes, chain.validator());
      pool.on_block_finalized(block, hashes);
      included_hashes.insert(included_hashes.end(), hashes.begin(), hashes.end());
      std::this_thread::yield();
    }
  };

  std::thread one(submitter, "one");
  std::thread two(submitter, "two");
  std::thread authoring(author);
  one.join();
  two.join();
  authoring.join();

  THEN("every transaction was admitted and included exactly once, each sender's in nonce order") {
    CHECK(refused == 0);
    CHECK(pool.status().ready == 0);
    CHECK(pool.status().future == 0);
    CHECK(pool.status().bytes == 0);
    for (const auto& sender : {"one", "two"}) {
      const auto& nonces = included_nonces[sender];
      REQUIRE(nonces.size() == kPerSender);
      for (uint32_t i = 0; i < kPerSender; ++i) CHECK(nonces[i] == i);
    }
  }
  THEN("the pool-wide watcher saw each of them reach a block") {
    for (const auto& hash : included_hashes) {
      auto kinds = log.kinds_for(hash);
      REQUIRE_FALSE(kinds.empty());
      CHECK(kinds.back() == TxStatusKind::InBlock);
    }
  }
}
