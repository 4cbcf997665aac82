#include "node/service/head_hub.hpp"
#include "node/service/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

using namespace bazaar;
using node::service::HeadHub;

namespace {

/// Polls `done` until it holds or the deadline passes.
template <class F>
bool eventually(F done, std::chrono::milliseconds deadline = std::chrono::seconds(5)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

runtime::Header header(uint32_t n) {
  runtime::Header h;
  h.number.value = n;
  return h;
}

}  // namespace

SCENARIO("the head hub delivers each stream's events in order on its own thread") {
  GIVEN("a hub with a best-heads and a finalized-heads subscriber") {
    HeadHub hub;
    std::mutex m;
    std::vector<uint32_t> best, finalized;
    std::atomic<std::thread::id> thread_id{};
    auto s1 = hub.subscribe(HeadHub::Stream::Best, [&](const runtime::H256&, const runtime::Header& h) {
      std::lock_guard lock(m);
      thread_id = std::this_thread::get_id();
      best.push_back(h.number.value);
    });
    auto s2 = hub.subscribe(HeadHub::Stream::Finalized, [&](const runtime::H256&, const runtime::Header& h) {
      std::lock_guard lock(m);
      finalized.push_back(h.number.value);
    });
    WHEN("events of both streams are posted") {
      for (uint32_t i = 1; i <= 50; ++i) hub.post(HeadHub::Stream::Best, {}, header(i));
      hub.post(HeadHub::Stream::Finalized, {}, header(7));
      hub.post(HeadHub::Stream::All, {}, header(99));
      THEN("each subscriber sees its stream in posting order, off the posting thread") {
        REQUIRE(eventually([&] {
          std::lock_guard lock(m);
          return best.size() == 50 && finalized.size() == 1;
        }));
        std::lock_guard lock(m);
        for (uint32_t i = 0; i < 50; ++i) CHECK(best[i] == i + 1);
        CHECK(finalized == std::vector<uint32_t>{7});
        CHECK(thread_id.load() != std::this_thread::get_id());
      }
    }
    WHEN("a subscriber unsubscribes") {
      s1.reset();
      hub.post(HeadHub::Stream::Best, {}, header(1));
      hub.post(HeadHub::Stream::Finalized, {}, header(2));
      THEN("it gets nothing more while others still do") {
        REQUIRE(eventually([&] {
          std::lock_guard lock(m);
          return finalized.size() == 1;
        }));
        std::lock_guard lock(m);
        CHECK(best.empty());
      }
    }
    WHEN("a callback unsubscribes itself while running") {
      rpc::PortSubscription self;
      std::atomic<int> calls{0};
      self = hub.subscribe(HeadHub::Stream::All, [&](const runtime::H256&, const runtime::Header&) {
        ++calls;
        self.reset();
      });
      hub.post(HeadHub::Stream::All, {}, header(1));
      hub.post(HeadHub::Stream::All, {}, header(2));
      hub.post(HeadHub::Stream::Finalized, {}, header(3));
      THEN("it ran once and the hub goes on") {
        REQUIRE(eventually([&] {
          std::lock_guard lock(m);
          return finalized.size() == 1;
        }));
        CHECK(calls == 1);
      }
    }
  }
}

SCENARIO("a temporary directory disappears with its contents") {
  std::filesystem::path path;
  {
    auto dir = node::service::TempDir::create("bazaar-test-");
    REQUIRE(dir);
    path = dir.value().path();
    CHECK(std::filesystem::is_directory(path));
    std::filesystem::create_directories(path / "a" / "b");
    std::ofstream(path / "a" / "b" / "f") << "x";
    auto moved = std::move(dir).value();
    CHECK(moved.path() == path);
  }
  CHECK_FALSE(std::filesystem::exists(path));
}
