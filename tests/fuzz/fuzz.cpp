#include "tests/fuzz/fuzz.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace bazaar::fuzz {
namespace {
std::atomic<std::size_t> g_accepted{0};
}  // namespace

void fail(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "\nFUZZ_CHECK failed: %s\n  at %s:%d\n", condition, file, line);
  std::fflush(stderr);
  std::abort();
}

void note_accepted() { g_accepted.fetch_add(1, std::memory_order_relaxed); }

std::size_t accepted_count() { return g_accepted.load(std::memory_order_relaxed); }

uint8_t FuzzInput::take_byte() {
  if (m_rest.empty()) return 0;
  uint8_t b = m_rest.front();
  m_rest = m_rest.subspan(1);
  return b;
}

std::span<const uint8_t> FuzzInput::take_bytes(std::size_t n) {
  n = std::min(n, m_rest.size());
  auto out = m_rest.first(n);
  m_rest = m_rest.subspan(n);
  return out;
}

std::span<const uint8_t> FuzzInput::take_rest() {
  auto out = m_rest;
  m_rest = {};
  return out;
}

}  // namespace bazaar::fuzz
