// fuzz_regression: every fuzz target over its committed seed corpus
// (tests/fuzz/corpus/<target>/) and a fixed-seed stream of mutants, as a
// plain Catch2 test (no libFuzzer needed). Iteration counts keep the whole
// binary under a minute in Release on two cores; BAZAAR_FUZZ_SCALE=10 runs ten
// times more, BAZAAR_FUZZ_SEED=<n> another mutation stream.

#include "tests/fuzz/driver.hpp"
#include "tests/fuzz/targets.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

using namespace bazaar::fuzz;

struct TargetSpec {
  const char* name;
  TargetFn fn;
  std::size_t iterations;
  std::size_t max_input_size;
  std::vector<std::string> dictionary;
};

const std::vector<std::string> kJsonTokens = {
    "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1", "1e400", "-1e400", "1.5",
    "18446744073709551616", "340282366920938463463374607431768211456", "\"\"", "\"0x\"", "\\u0000", "\\ud800",
    "\"name\"", "\"genesis\"", "\"runtime\"", "\"properties\"", "\"ss58Format\"", "\"tokenDecimals\"",
    "\"credits\"", "\"balances\"", "\"aura\"", "\"authorities\"", "\"sudo\"", "\"key\"", "\"raw\"", "46", "16384"};
const std::vector<std::string> kSs58Tokens = {"1", "5", "z", "0x", "111", "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiq"};
const std::vector<std::string> kSuriTokens = {
    "/", "//", "///", "0x", "//Alice", "//0", "//18446744073709551616", "abandon ", "zoo ", "about",
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk", " ", "\t",
    "0xcb6df9de1efca7a3998a8ead4e02159d5fa99c3e0d4fd6432667390bb4726854"};

const std::vector<TargetSpec>& targets() {
  static const std::vector<TargetSpec> kTargets = {
      {"scale_compact", fuzz_scale_compact, 200000, 64, {}},
      {"scale_bytes", fuzz_scale_bytes, 200000, 512, {}},
      {"scale_string", fuzz_scale_string, 200000, 512, {}},
      {"scale_struct", fuzz_scale_struct, 200000, 1024, {}},
      {"extrinsic", fuzz_extrinsic, 80000, 2048, {}},
      {"runtime_call", fuzz_runtime_call, 200000, 2048, {}},
      {"header", fuzz_header, 80000, 1024, {}},
      {"block", fuzz_block, 80000, 4096, {}},
      {"digest_item", fuzz_digest_item, 200000, 512, {}},
      {"events", fuzz_events, 150000, 2048, {}},
      {"trie_node", fuzz_trie_node, 200000, 1024, {}},
      {"trie_proof", fuzz_trie_proof, 60000, 4096, {}},
      {"wasm_program", fuzz_wasm_program, 3000, 512 * 1024, {}},
      {"chain_spec", fuzz_chain_spec, 30000, 8192, kJsonTokens},
      {"ss58", fuzz_ss58, 60000, 128, kSs58Tokens},
      // keypair_from_suri runs PBKDF2 (2048 rounds of HMAC-SHA512) for every valid phrase: ~2 ms each.
      {"suri", fuzz_suri, 1500, 512, kSuriTokens},
  };
  return kTargets;
}

/// The seeds of a target: its committed corpus, plus the example tasks when built.
std::vector<Seed> seeds_of(const std::string& name) {
  auto seeds = load_corpus(std::string(BAZAAR_SOURCE_DIR) + "/tests/fuzz/corpus/" + name);
  if (name == "wasm_program") {
    auto tasks = load_files(std::string(BAZAAR_BINARY_DIR) + "/tasks", ".wasm", "ok-task-");
    seeds.insert(seeds.end(), tasks.begin(), tasks.end());
  }
  return seeds;
}

uint64_t seed_for(const std::string& name) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: a fixed, distinct stream per target
  for (char c : name) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return mutation_seed(0x42617a6161720000ull) ^ h;
}

void run_spec(const TargetSpec& spec) {
  install_crash_reporter();
  GIVEN("the seed corpus of " << spec.name) {
    auto seeds = seeds_of(spec.name);
    REQUIRE_FALSE(seeds.empty());
    WHEN("the target runs over the seeds and " << scaled_iterations(spec.iterations) << " mutants") {
      RunOptions options;
      options.iterations = scaled_iterations(spec.iterations);
      options.max_input_size = spec.max_input_size;
      options.seed = seed_for(spec.name);
      options.dictionary = spec.dictionary;
      RunStats stats = run_target(spec.name, spec.fn, seeds, options);
      std::printf("fuzz %-14s %4zu seeds, %7zu mutants (%6zu accepted), %6.2f s, slowest input %.3f s\n", spec.name,
                  stats.seeds, stats.mutants, stats.mutants_accepted, stats.seconds, stats.slowest_input_seconds);

      THEN("no check failed, seeds are judged as named, nothing hung, mutants reach the success path") {
        CAPTURE(stats.misjudged_seeds, stats.slow_inputs);
        CHECK(stats.misjudged_seeds.empty());
        CHECK(stats.slow_inputs.empty());
        CHECK(stats.mutants_accepted > 0);
      }
    }
  }
}

}  // namespace

#define BAZAAR_FUZZ_SCENARIO(index, title)                          \
  SCENARIO("fuzz target " title " survives its corpus and mutants") { \
    REQUIRE(targets()[index].name == std::string(title));          \
    run_spec(targets()[index]);                                     \
  }

BAZAAR_FUZZ_SCENARIO(0, "scale_compact")
BAZAAR_FUZZ_SCENARIO(1, "scale_bytes")
BAZAAR_FUZZ_SCENARIO(2, "scale_string")
BAZAAR_FUZZ_SCENARIO(3, "scale_struct")
BAZAAR_FUZZ_SCENARIO(4, "extrinsic")
BAZAAR_FUZZ_SCENARIO(5, "runtime_call")
BAZAAR_FUZZ_SCENARIO(6, "header")
BAZAAR_FUZZ_SCENARIO(7, "block")
BAZAAR_FUZZ_SCENARIO(8, "digest_item")
BAZAAR_FUZZ_SCENARIO(9, "events")
BAZAAR_FUZZ_SCENARIO(10, "trie_node")
BAZAAR_FUZZ_SCENARIO(11, "trie_proof")
BAZAAR_FUZZ_SCENARIO(12, "wasm_program")
BAZAAR_FUZZ_SCENARIO(13, "chain_spec")
BAZAAR_FUZZ_SCENARIO(14, "ss58")
BAZAAR_FUZZ_SCENARIO(15, "suri")

TEST_CASE("every fuzz target has a scenario") { CHECK(targets().size() == 16); }
