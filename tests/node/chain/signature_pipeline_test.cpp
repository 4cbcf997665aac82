// SignaturePipeline: worker threads verify queued signature checks (and derive
// the checks of blocks ahead); passed() reports only checks verified to pass,
// verifying on the caller what no worker has started.

#include "node/chain/signature_pipeline.hpp"

#include "runtime/crypto/hash.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

using namespace bazaar;
using node::chain::SignatureCheck;
using node::chain::SignaturePipeline;

namespace {

/// `count` valid checks: key i signs "message i".
std::vector<SignatureCheck> valid_checks(std::size_t count, std::size_t first = 0) {
  std::vector<SignatureCheck> out;
  for (std::size_t i = first; i < first + count; ++i) {
    runtime::H256 secret;
    secret.bytes[31] = static_cast<uint8_t>(i + 1);
    secret.bytes[0] = 0x42;
    const auto key = runtime::crypto::Keypair::from_secret(secret.span()).value();
    const std::string message = "message " + std::to_string(i);
    const auto digest = runtime::crypto::blake2b_256(
        runtime::ByteSpan(reinterpret_cast<const uint8_t*>(message.data()), message.size()));
    out.push_back(SignatureCheck{digest, key.sign_prehashed(digest), key.account_id()});
  }
  return out;
}

/// Polls `condition` for up to 10 s.
template <class F>
bool eventually(F condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

runtime::H256 key_of(uint8_t n) {
  runtime::H256 h;
  h.bytes[0] = n;
  return h;
}

}  // namespace

SCENARIO("queued signature checks are verified once, by a worker or by the thread that asks") {
  for (std::size_t workers : {0, 1, 3}) {
    GIVEN("a pipeline with " + std::to_string(workers) + " workers and 40 valid checks submitted") {
      SignaturePipeline pipeline(workers);
      const auto checks = valid_checks(40);
      pipeline.submit(checks);
      WHEN("every check is asked about in order") {
        bool all_passed = true;
        for (const auto& check : checks) all_passed = pipeline.passed(check) && all_passed;
        THEN("each passed and each was verified exactly once") {
          CHECK(all_passed);
          CHECK(pipeline.verified_by_workers() + pipeline.verified_by_callers() == 40);
          if (workers == 0) CHECK(pipeline.verified_by_callers() == 40);
        }
        AND_WHEN("they are forgotten") {
          pipeline.forget(key_of(1), checks);
          THEN("nothing is held and asking again is not vouched for") {
            CHECK(pipeline.held() == 0);
            CHECK_FALSE(pipeline.passed(checks.front()));
          }
        }
      }
    }
  }
}

SCENARIO("the pipeline never vouches for a bad or unknown signature") {
  GIVEN("a pipeline with a worker, a tampered check submitted and another never submitted") {
    SignaturePipeline pipeline(1);
    auto checks = valid_checks(3);
    checks[1].signature.bytes[7] ^= 0x01;
    pipeline.submit(checks);
    const auto unknown = valid_checks(1, 100).front();
    THEN("only the valid submitted checks pass") {
      CHECK(pipeline.passed(checks[0]));
      CHECK_FALSE(pipeline.passed(checks[1]));
      CHECK(pipeline.passed(checks[2]));
      CHECK_FALSE(pipeline.passed(unknown));
      CHECK(pipeline.verified_by_workers() + pipeline.verified_by_callers() == 3);
    }
  }
}

SCENARIO("a caller that finds a worker on its check verifies the next queued ones meanwhile") {
  GIVEN("a pipeline with one worker and 300 checks submitted, every 7th tampered") {
    SignaturePipeline pipeline(1);
    auto checks = valid_checks(300);
    for (std::size_t i = 3; i < checks.size(); i += 7) checks[i].signature.bytes[9] ^= 0x01;
    pipeline.submit(checks);
    WHEN("every check is asked about in order, as execution does") {
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < checks.size(); ++i) wrong += pipeline.passed(checks[i]) != (i % 7 != 3);
      THEN("each answer is right, each check was verified once, and the caller took a share of the work") {
        CHECK(wrong == 0);
        CHECK(pipeline.verified_by_workers() + pipeline.verified_by_callers() == 300);
        // Waiting instead (the caller idle while the worker is on its check,
        // the worker claiming the next one first) leaves the caller ~0 of them.
        CHECK(pipeline.verified_by_callers() >= 10);
      }
    }
  }
}

SCENARIO("checks of blocks ahead are derived and verified by the workers") {
  GIVEN("a pipeline with a worker") {
    SignaturePipeline pipeline(1);
    const auto first = valid_checks(10);
    const auto second = valid_checks(10, 10);
    WHEN("two blocks are submitted ahead") {
      pipeline.submit_ahead(key_of(1), [first] { return first; });
      pipeline.submit_ahead(key_of(2), [second] { return second; });
      THEN("the worker derives and verifies all their checks") {
        REQUIRE(eventually([&] { return pipeline.verified_by_workers() == 20; }));
        CHECK(pipeline.ahead_checks(key_of(1)) == 10u);
        CHECK(pipeline.ahead_checks(key_of(2)) == 10u);
        for (const auto& check : second) CHECK(pipeline.passed(check));
        CHECK(pipeline.verified_by_callers() == 0);
        AND_WHEN("the first block is forgotten") {
          pipeline.forget(key_of(1), {});
          THEN("its checks go, the second block's stay") {
            CHECK(pipeline.held() == 10);
            CHECK_FALSE(pipeline.ahead_checks(key_of(1)).has_value());
            CHECK_FALSE(pipeline.passed(first.front()));
          }
        }
        AND_WHEN("the pipeline is cleared") {
          pipeline.clear();
          THEN("nothing is held") {
            CHECK(pipeline.held() == 0);
            CHECK_FALSE(pipeline.ahead_checks(key_of(2)).has_value());
          }
        }
      }
    }
    WHEN("the same block is submitted ahead twice") {
      std::atomic<int> derived{0};
      for (int i = 0; i < 2; ++i) pipeline.submit_ahead(key_of(3), [&derived, first] { ++derived; return first; });
      THEN("it is derived once") {
        REQUIRE(eventually([&] { return pipeline.ahead_checks(key_of(3)).has_value(); }));
        CHECK(derived == 1);
      }
    }
  }
  GIVEN("a pipeline without workers") {
    SignaturePipeline pipeline(0);
    WHEN("a block is submitted ahead") {
      bool derived = false;
      pipeline.submit_ahead(key_of(1), [&derived] { derived = true; return std::vector<SignatureCheck>{}; });
      THEN("nothing is queued: there is no worker to run it") {
        CHECK_FALSE(derived);
        CHECK_FALSE(pipeline.ahead_checks(key_of(1)).has_value());
      }
    }
  }
}

SCENARIO("the pipeline holds at most its bound of checks") {
  GIVEN("a pipeline bounded to 4 checks") {
    SignaturePipeline pipeline(0, 4);
    const auto checks = valid_checks(6);
    WHEN("6 checks are submitted") {
      pipeline.submit(checks);
      THEN("4 are held; the others are left to the caller") {
        CHECK(pipeline.held() == 4);
        CHECK(pipeline.passed(checks[3]));
        CHECK_FALSE(pipeline.passed(checks[5]));
      }
    }
  }
}
