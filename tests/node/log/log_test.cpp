#include "node/log/log.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <regex>
#include <sstream>

using namespace bazaar::node::log;

namespace {

/// Sends all log lines to a string for the lifetime of the object.
struct CaptureSink {
  std::ostringstream out;
  CaptureSink() { set_sinks({std::make_shared<spdlog::sinks::ostream_sink_mt>(out)}); }
  ~CaptureSink() { set_sinks({}); }
};

}  // namespace

SCENARIO("level names parse case-insensitively") {
  CHECK(parse_level("trace") == Level::trace);
  CHECK(parse_level("DEBUG") == Level::debug);
  CHECK(parse_level("Info") == Level::info);
  CHECK(parse_level("warn") == Level::warn);
  CHECK(parse_level("warning") == Level::warn);
  CHECK(parse_level("error") == Level::err);
  CHECK(parse_level("critical") == Level::critical);
  CHECK(parse_level("off") == Level::off);
  CHECK_FALSE(parse_level("verbose"));
  CHECK_FALSE(parse_level(""));
}

SCENARIO("level specs parse into a default level and per-target levels") {
  GIVEN("a spec with a default and two targets, with blanks") {
    auto spec = parse_level_spec(" warn , txpool=debug,runtime::credits = trace");
    THEN("all parts are read in order") {
      REQUIRE(spec);
      CHECK(spec.value().default_level == Level::warn);
      REQUIRE(spec.value().targets.size() == 2);
      CHECK(spec.value().targets[0] == std::pair<std::string, Level>{"txpool", Level::debug});
      CHECK(spec.value().targets[1] == std::pair<std::string, Level>{"runtime::credits", Level::trace});
    }
  }
  GIVEN("a spec with only targets") {
    auto spec = parse_level_spec("txpool=debug,rpc=trace");
    THEN("there is no default level") {
      REQUIRE(spec);
      CHECK_FALSE(spec.value().default_level);
      CHECK(spec.value().targets.size() == 2);
    }
  }
}

SCENARIO("bad level specs are rejected with an error naming the bad part") {
  struct Case {
    const char* spec;
    LogError error;
    const char* mentions;
  };
  const Case cases[] = {
      {"", LogError::EmptySpec, "empty"},
      {"   ", LogError::EmptySpec, "empty"},
      {"info,,net=debug", LogError::EmptyItem, "info,,net=debug"},
      {"info,", LogError::EmptyItem, "info,"},
      {"=debug", LogError::EmptyTarget, "=debug"},
      {"tx pool=debug", LogError::InvalidTarget, "'tx pool'"},
      {"txpool=debgu", LogError::UnknownLevel, "'debgu' in 'txpool=debgu'"},
      {"net=debug,verbose", LogError::UnknownLevel, "'verbose'"},
      {"txpool=", LogError::UnknownLevel, "'txpool='"},
  };
  for (const auto& c : cases) {
    WHEN(std::string("parsing '") + c.spec + "'") {
      std::string detail;
      auto spec = parse_level_spec(c.spec, &detail);
      THEN("the error and its message name the problem") {
        REQUIRE_FALSE(spec);
        CHECK(spec.error() == make_error_code(c.error));
        CHECK(detail.find(c.mentions) != std::string::npos);
        CHECK_FALSE(spec.error().message().empty());
      }
    }
  }
}

SCENARIO("applied levels reach existing and later loggers, sub-targets inherit") {
  reset_levels();
  auto early = logger("test.early");
  GIVEN("a spec setting a default and target levels") {
    REQUIRE(apply_levels("warn,test.early=debug,runtime=trace,runtime::credits=error"));
    THEN("an existing logger is updated") { CHECK(early->level() == Level::debug); }
    THEN("a logger created later starts at its configured level") {
      CHECK(logger("test.late")->level() == Level::warn);
      CHECK(logger("runtime::dispatch")->level() == Level::trace);
      CHECK(logger("runtime::credits")->level() == Level::err);
      CHECK(effective_level("runtimes") == Level::warn);
    }
    WHEN("a bad spec is applied") {
      std::string detail;
      auto r = apply_levels("error,test.early=loud", &detail);
      THEN("nothing changes") {
        REQUIRE_FALSE(r);
        CHECK(detail.find("loud") != std::string::npos);
        CHECK(early->level() == Level::debug);
        CHECK(effective_level("test.other") == Level::warn);
      }
    }
    WHEN("the default level changes") {
      set_default_level(Level::err);
      THEN("only targets without their own level follow") {
        CHECK(logger("test.late2")->level() == Level::err);
        CHECK(early->level() == Level::debug);
      }
    }
  }
  reset_levels();
  CHECK(early->level() == Level::info);
}

SCENARIO("log lines carry time, capitalised level, target and message") {
  reset_levels();
  CaptureSink capture;
  auto lg = logger("txpool");
  lg->info("imported {} transactions", 3);
  lg->debug("not shown at info");
  lg->warn("pool full");
  std::string text = capture.out.str();
  std::regex line(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} INFO txpool: imported 3 transactions\n)"
                  R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} WARN txpool: pool full\n)");
  CHECK(std::regex_match(text, line));
  CHECK(logger("txpool") == lg);
}
