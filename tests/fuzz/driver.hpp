#pragma once
// The driver of fuzz_regression: runs one fuzz target over its seed corpus
// and then over a bounded, deterministic stream of mutants (mutator.hpp).
//
// Corpus layout: tests/fuzz/corpus/<target>/<file>. A file ending in ".hex"
// holds hex text (whitespace, an optional "0x" and lines starting with '#'
// are ignored); any other file is taken as raw bytes. A file whose name starts
// with "ok-" must be accepted by the target's decoder (the target calls
// note_accepted()), one starting with "bad-" must be rejected, others may go
// either way.
//
// While an input runs it is the "current input": if the process dies on a
// signal (a failed FUZZ_CHECK aborts; a crash is SIGSEGV, SIGBUS, SIGFPE or
// SIGILL), a handler prints the target's name and the input in hex to stderr,
// so the report names what to reproduce with.

#include "runtime/codec/bytes.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bazaar::fuzz {

using runtime::Bytes;

using TargetFn = void (*)(const uint8_t* data, std::size_t size);

struct Seed {
  std::string name;  ///< the file name, e.g. "ok-transfer.hex"
  Bytes bytes;
};

/// The seeds in `dir` (sorted by file name); empty when the folder is missing.
/// Throws std::runtime_error on an unreadable file or bad hex (a broken checkout).
std::vector<Seed> load_corpus(const std::filesystem::path& dir);

/// The raw bytes of every file in `dir` whose name ends in `extension`, as
/// seeds named "<prefix><file name>" (used for the built example tasks).
std::vector<Seed> load_files(const std::filesystem::path& dir, const std::string& extension,
                             const std::string& prefix);

struct RunOptions {
  std::size_t iterations = 1000;    ///< mutants to run after the seeds
  std::size_t max_input_size = 4096;  ///< bytes; mutants are cut to this size
  uint64_t seed = 0;                ///< the mutation stream's seed
  std::vector<std::string> dictionary;  ///< tokens for the mutator (text formats)
  double max_seconds_per_input = 10.0;  ///< an input slower than this counts as a hang
};

struct RunStats {
  std::size_t seeds = 0;
  std::size_t mutants = 0;
  std::size_t mutants_accepted = 0;
  /// "ok-" seeds that were rejected and "bad-" seeds that were accepted.
  std::vector<std::string> misjudged_seeds;
  /// Inputs (hex) that ran longer than max_seconds_per_input.
  std::vector<std::string> slow_inputs;
  double seconds = 0;
  double slowest_input_seconds = 0;
};

/// Runs `fn` over every seed, then over options.iterations mutants. Each
/// mutant derives from a seed or (one time in three) from the previous
/// mutant, so mutations accumulate; one mutant in twenty is random bytes.
RunStats run_target(const char* name, TargetFn fn, const std::vector<Seed>& seeds, const RunOptions& options);

/// Installs the signal handlers that print the current input (idempotent).
void install_crash_reporter();

/// BAZAAR_FUZZ_SCALE (a positive number, default 1) times `iterations`:
/// lets a developer run the regression longer without recompiling.
std::size_t scaled_iterations(std::size_t iterations);
/// BAZAAR_FUZZ_SEED if set (decimal), else `fallback`.
uint64_t mutation_seed(uint64_t fallback);

}  // namespace bazaar::fuzz
