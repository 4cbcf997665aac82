// Runs the example tasks of tools/tasks (built to <build>/tasks/*.wasm).
#ifdef BAZAAR_HAVE_TASKS

#include "runtime/wasm/executor.hpp"
#include "runtime/wasm/program.hpp"
#include "tests/runtime/wasm/wat.hpp"

#include <catch2/catch.hpp>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <map>

using namespace bazaar::runtime;
using namespace bazaar::runtime::wasm;
using bazaar::test::read_file;

namespace {

Bytes task(const std::string& name) { return read_file(BAZAAR_BINARY_DIR "/tasks/" + name + ".wasm"); }

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

ExecutionOutcome run(const Bytes& code, const Bytes& input, const ExecutionLimits& limits = {}) {
  auto outcome = execute(code, input, limits);
  REQUIRE(outcome);
  return std::move(outcome.value());
}

/// wordfreq's specification, computed natively.
std::string expected_wordfreq(const Bytes& input) {
  std::map<std::string, uint64_t> counts;
  std::string word;
  for (std::size_t i = 0; i <= input.size(); ++i) {
    const int c = i < input.size() ? input[i] : ' ';
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      word += static_cast<char>(c | 0x20);
    } else if (!word.empty()) {
      ++counts[word];
      word.clear();
    }
  }
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < sorted.size() && i < 20; ++i)
    out += std::to_string(sorted[i].second) + " " + sorted[i].first + "\n";
  return out;
}

}  // namespace

SCENARIO("every example task is an acceptable program") {
  for (const char* name : {"primes", "wordfreq", "resize"}) {
    ProgramRejection rejection;
    auto info = validate_program(task(name), {}, &rejection);
    INFO(name << ": " << rejection.detail);
    REQUIRE(info);
    CHECK(std::find(info.value().imports.begin(), info.value().imports.end(), "fd_write") !=
          info.value().imports.end());
  }
}

SCENARIO("primes counts the primes below N") {
  Bytes code = task("primes");
  WHEN("N is one million") {
    auto out = run(code, to_bytes("1000000\n"));
    THEN("there are 78498") {
      CHECK(out.status == ExitStatus::Ok);
      CHECK(text(out.output) == "78498\n");
    }
  }
  WHEN("N is small") {
    THEN("the edge cases hold") {
      CHECK(text(run(code, to_bytes("2")).output) == "0\n");
      CHECK(text(run(code, to_bytes("3")).output) == "1\n");
      CHECK(text(run(code, to_bytes(" 100 ")).output) == "25\n");
    }
  }
  WHEN("the input is not a number") {
    auto out = run(code, to_bytes("many"));
    THEN("it exits with code 1 and says why on stderr") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK(out.exit_code == 1);
      CHECK_THAT(text(out.stderr_output), Catch::Contains("expected a decimal number"));
    }
  }
  WHEN("the sieve needs more memory than the limit allows") {
    ExecutionLimits limits;
    limits.max_memory_pages = 16;  // 1 MiB; the sieve for 4e9 needs 250 MB
    auto out = run(code, to_bytes("4000000000"), limits);
    THEN("malloc fails inside the guest and the program exits cleanly") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK(out.exit_code == 1);
      CHECK_THAT(text(out.stderr_output), Catch::Contains("out of memory"));
    }
  }
}

SCENARIO("wordfreq lists the 20 most frequent words of the GPL") {
  Bytes code = task("wordfreq");
  Bytes gpl = read_file("/usr/share/common-licenses/GPL-3");
  auto out = run(code, gpl);
  REQUIRE(out.status == ExitStatus::Ok);
  THEN("the output matches the specification computed natively") {
    CHECK(text(out.output) == expected_wordfreq(gpl));
    CHECK(text(out.output).substr(0, text(out.output).find('\n')) == "345 the");
    CHECK(std::count(out.output.begin(), out.output.end(), '\n') == 20);
  }
  THEN("a second run gives the same bytes and fuel") {
    auto again = run(code, gpl);
    CHECK(again.output == out.output);
    CHECK(again.fuel_used == out.fuel_used);
  }
}

SCENARIO("resize scales an image so that its longer side is 128 px") {
  Bytes code = task("resize");
  Bytes logo = read_file("/usr/share/pixmaps/debian-logo.png");
  WHEN("the 48x48 Debian logo is resized") {
    auto out = run(code, logo);
    REQUIRE(out.status == ExitStatus::Ok);
    THEN("the output is a PNG that decodes natively as 128x128 RGBA") {
      int w = 0, h = 0, channels = 0;
      stbi_uc* pixels = stbi_load_from_memory(out.output.data(), static_cast<int>(out.output.size()), &w, &h,
                                              &channels, 0);
      REQUIRE(pixels != nullptr);
      CHECK(w == 128);
      CHECK(h == 128);
      CHECK(channels == 4);
      stbi_image_free(pixels);
    }
    THEN("the same run twice gives identical bytes and fuel") {
      auto again = run(code, logo);
      CHECK(again.status == ExitStatus::Ok);
      CHECK(again.output == out.output);
      CHECK(again.fuel_used == out.fuel_used);
    }
  }
  WHEN("the input is not an image") {
    auto out = run(code, to_bytes("GIF89a? no, just text"));
    THEN("it exits with code 1 and a message on stderr") {
      CHECK(out.status == ExitStatus::Trapped);
      CHECK(out.exit_code == 1);
      CHECK_THAT(text(out.stderr_output), Catch::Contains("resize:"));
      CHECK(out.output.empty());
    }
  }
}

#endif  // BAZAAR_HAVE_TASKS
