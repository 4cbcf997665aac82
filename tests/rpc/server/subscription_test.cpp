#include "rpc/server/subscription.hpp"

#include "tests/rpc/support/toy_registry.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace bazaar::rpc;
using nlohmann::json;

SCENARIO("a subscription sink holds notifications back until the reply is written") {
  GIVEN("a pending sink on a connection") {
    auto host = std::make_shared<test::RecordingHost>();
    auto sink = SubscriptionAccess::create(host, "x_note");
    int closed = 0;
    sink.on_close([&] { ++closed; });
    CHECK(sink.id().size() == 16);
    CHECK(host->subscription_count() == 1);

    WHEN("notifications are sent before activation") {
      CHECK(sink.send(1));
      CHECK(sink.send(2));
      THEN("nothing is written until activation, then all in order") {
        CHECK(host->written().empty());
        SubscriptionAccess::activate(sink);
        auto out = host->written();
        REQUIRE(out.size() == 2);
        CHECK(out[0]["params"]["result"] == 1);
        CHECK(out[1]["params"]["result"] == 2);
        CHECK(out[1]["params"]["subscription"] == sink.id());
        CHECK(out[1]["method"] == "x_note");
      }
    }
    WHEN("the handler closes the sink before activation") {
      sink.send(1);
      sink.close();
      THEN("it counts as closed at once, and the held-back notification still goes out") {
        CHECK(sink.closed());
        CHECK_FALSE(sink.send(2));
        CHECK(closed == 0);
        SubscriptionAccess::activate(sink);
        CHECK(host->written().size() == 1);
        CHECK(closed == 1);
        CHECK(host->subscription_count() == 0);
      }
    }
    WHEN("the subscribe call fails") {
      sink.send(1);
      SubscriptionAccess::abort(sink);
      THEN("held-back notifications are dropped") {
        CHECK(host->written().empty());
        CHECK(closed == 1);
        SubscriptionAccess::activate(sink);
        CHECK(host->written().empty());
      }
    }
    WHEN("too many notifications are held back") {
      bool all = true;
      for (std::size_t i = 0; i <= SubscriptionAccess::kMaxHeldBack; ++i) all = sink.send(i) && all;
      THEN("the subscription ends after what was held back is written") {
        CHECK_FALSE(all);
        CHECK(sink.closed());
        CHECK(closed == 0);  // never inside send()
        SubscriptionAccess::activate(sink);
        CHECK(host->written().size() == SubscriptionAccess::kMaxHeldBack);
        CHECK(closed == 1);
      }
    }
    WHEN("the connection stops accepting messages") {
      SubscriptionAccess::activate(sink);
      host->accepting = false;
      THEN("send fails, and the connection's close ends the subscription") {
        CHECK_FALSE(sink.send(1));
        CHECK(closed == 0);  // never inside send()
        host->close_all_subscriptions();
        CHECK(sink.closed());
        CHECK(closed == 1);
        CHECK(host->subscription_count() == 0);
      }
    }
    WHEN("the connection is gone") {
      SubscriptionAccess::activate(sink);
      host.reset();
      THEN("its subscriptions were closed and send returns false") {
        CHECK(closed == 1);
        CHECK(sink.closed());
        CHECK_FALSE(sink.send(1));
      }
    }
    WHEN("on_close is registered after the end") {
      SubscriptionAccess::activate(sink);
      sink.close();
      bool ran = false;
      sink.on_close([&] { ran = true; });
      THEN("it runs at once, and close is idempotent") {
        CHECK(ran);
        sink.close();
        CHECK(closed == 1);
      }
    }
  }
}

SCENARIO("sinks are thread-safe") {
  GIVEN("an active sink shared by four threads") {
    auto host = std::make_shared<test::RecordingHost>();
    auto sink = SubscriptionAccess::create(host, "x_note");
    SubscriptionAccess::activate(sink);
    WHEN("each thread sends 500 notifications and one closes midway") {
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t)
        threads.emplace_back([sink, t] {
          for (int i = 0; i < 500; ++i) {
            sink.send(json{{"t", t}, {"i", i}});
            if (t == 0 && i == 250) sink.close();
          }
        });
      for (auto& th : threads) th.join();
      THEN("per thread, notifications arrive in order and none after the close") {
        auto out = host->written();
        std::vector<int> last(4, -1);
        for (const auto& n : out) {
          int t = n["params"]["result"]["t"], i = n["params"]["result"]["i"];
          CHECK(i > last[t]);
          last[t] = i;
        }
        CHECK(last[0] == 250);
        CHECK(out.size() < 2000);
        CHECK(sink.closed());
      }
    }
  }
}
