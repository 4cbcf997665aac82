#include "tests/fuzz/driver.hpp"

#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/mutator.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <unistd.h>

namespace bazaar::fuzz {
namespace {

// The input being run, read by the signal handler. Plain globals: the handler
// only reads them, and they are set before the target runs.
const char* volatile g_target = nullptr;
const uint8_t* volatile g_data = nullptr;
volatile std::size_t g_size = 0;

void write_all(const char* s, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}
void write_str(const char* s) { write_all(s, std::strlen(s)); }

// Async-signal-safe: write(2) only, from a stack buffer.
void report_current_input(int sig) {
  write_str("\nfuzz_regression: signal ");
  char num[4] = {static_cast<char>('0' + sig / 10 % 10), static_cast<char>('0' + sig % 10), '\n', 0};
  write_str(num);
  if (g_target == nullptr) return;
  write_str("target: ");
  write_str(g_target);
  write_str("\ninput (hex): ");
  static const char kHex[] = "0123456789abcdef";
  char buf[512];
  std::size_t used = 0;
  for (std::size_t i = 0; i < g_size; ++i) {
    buf[used++] = kHex[g_data[i] >> 4];
    buf[used++] = kHex[g_data[i] & 15];
    if (used == sizeof(buf)) {
      write_all(buf, used);
      used = 0;
    }
  }
  write_all(buf, used);
  write_str("\n");
}

void on_fatal_signal(int sig) {
  report_current_input(sig);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

Bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Bytes parse_hex_file(const std::filesystem::path& path) {
  Bytes raw = read_file(path);
  std::string digits;
  bool comment = false;
  bool line_start = true;
  for (uint8_t c : raw) {
    if (c == '\n') {
      comment = false;
      line_start = true;
      continue;
    }
    if (line_start && c == '#') comment = true;
    line_start = false;
    if (comment || std::isspace(c)) continue;
    digits.push_back(static_cast<char>(c));
  }
  auto bytes = runtime::from_hex(digits);
  if (!bytes) throw std::runtime_error("bad hex in " + path.string());
  return std::move(*bytes);
}

std::string hex_of(const Bytes& b) { return runtime::to_hex(b); }

}  // namespace

std::vector<Seed> load_corpus(const std::filesystem::path& dir) {
  std::vector<Seed> seeds;
  if (!std::filesystem::is_directory(dir)) return seeds;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    if (starts_with(name, ".")) continue;
    bool hex = entry.path().extension() == ".hex";
    seeds.push_back({name, hex ? parse_hex_file(entry.path()) : read_file(entry.path())});
  }
  std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return seeds;
}

std::vector<Seed> load_files(const std::filesystem::path& dir, const std::string& extension,
                             const std::string& prefix) {
  std::vector<Seed> seeds;
  if (!std::filesystem::is_directory(dir)) return seeds;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == extension)
      seeds.push_back({prefix + entry.path().filename().string(), read_file(entry.path())});
  std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return seeds;
}

void install_crash_reporter() {
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, on_fatal_signal);
}

std::size_t scaled_iterations(std::size_t iterations) {
  const char* env = std::getenv("BAZAAR_FUZZ_SCALE");
  if (env == nullptr) return iterations;
  double scale = std::strtod(env, nullptr);
  if (!(scale > 0)) return iterations;
  return static_cast<std::size_t>(static_cast<double>(iterations) * scale);
}

uint64_t mutation_seed(uint64_t fallback) {
  const char* env = std::getenv("BAZAAR_FUZZ_SEED");
  if (env == nullptr || *env == 0) return fallback;
  return std::strtoull(env, nullptr, 10);
}

RunStats run_target(const char* name, TargetFn fn, const std::vector<Seed>& seeds, const RunOptions& options) {
  using Clock = std::chrono::steady_clock;
  RunStats stats;
  auto started = Clock::now();
  auto run = [&](const Bytes& input) {
    g_target = name;
    g_data = input.data();
    g_size = input.size();
    std::size_t before = accepted_count();
    auto t0 = Clock::now();
    fn(input.data(), input.size());
    double took = std::chrono::duration<double>(Clock::now() - t0).count();
    g_target = nullptr;
    stats.slowest_input_seconds = std::max(stats.slowest_input_seconds, took);
    if (took > options.max_seconds_per_input) stats.slow_inputs.push_back(hex_of(input));
    return accepted_count() != before;
  };

  for (const auto& seed : seeds) {
    bool accepted = run(seed.bytes);
    ++stats.seeds;
    if ((starts_with(seed.name, "ok-") && !accepted) || (starts_with(seed.name, "bad-") && accepted))
      stats.misjudged_seeds.push_back(seed.name);
  }

  Mutator mutator(options.seed, options.dictionary);
  Bytes previous;
  for (std::size_t i = 0; i < options.iterations; ++i) {
    Bytes input;
    if (seeds.empty() || mutator.below(20) == 0) {
      input = mutator.random_bytes(mutator.below(std::min<std::size_t>(options.max_input_size, 256) + 1));
    } else {
      const Bytes& other = seeds[mutator.below(seeds.size())].bytes;
      bool continue_walk = !previous.empty() && mutator.below(3) == 0;
      const Bytes& base = continue_walk ? previous : seeds[mutator.below(seeds.size())].bytes;
      input = mutator.mutate(base, other, options.max_input_size);
    }
    stats.mutants_accepted += run(input);
    ++stats.mutants;
    previous = std::move(input);
  }
  stats.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return stats;
}

}  // namespace bazaar::fuzz
