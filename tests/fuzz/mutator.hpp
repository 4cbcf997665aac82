#pragma once
// The deterministic mutation engine of fuzz_regression: a poor man's
// libFuzzer without coverage feedback. From a fixed seed it derives the same
// sequence of mutants on every machine (it uses its own bounded draws, not
// std::uniform_int_distribution, whose output differs between libraries).
//
// Mutations (1 to 4 stacked per mutant): bit flips, interesting byte values,
// small increments, truncation, range deletion, random insertion, chunk
// duplication (grows nesting such as sudo-in-sudo), overwriting or inserting
// an inflated SCALE compact length (up to u128::MAX), splicing with another
// seed, and inserting / overwriting a dictionary token (text formats).

#include "runtime/codec/bytes.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bazaar::fuzz {

using runtime::Bytes;
using runtime::ByteSpan;

class Mutator {
 public:
  /// `dictionary`: tokens worth inserting for this target (may be empty).
  Mutator(uint64_t seed, std::vector<std::string> dictionary = {});

  /// A mutated copy of `input`, at most `max_size` bytes; `other` is a second
  /// seed for splicing (may be empty).
  Bytes mutate(ByteSpan input, ByteSpan other, std::size_t max_size);

  /// A uniformly drawn number in [0, n) (n > 0).
  uint64_t below(uint64_t n);
  /// `n` random bytes.
  Bytes random_bytes(std::size_t n);

 private:
  void mutate_once(Bytes& data, ByteSpan other);
  void insert_compact(Bytes& data, bool overwrite);
  void apply_token(Bytes& data);

  std::mt19937_64 m_rng;
  std::vector<std::string> m_dictionary;
};

}  // namespace bazaar::fuzz
