#include "tools/bench/measure.hpp"

#include "node/chain/chain.hpp"
#include "node/db/leveldb_store.hpp"
#include "node/trie/trie_db.hpp"

#include <fmt/format.h>

#include <chrono>
#include <sys/resource.h>

namespace bazaar::tools::bench {

BenchResult<ImportFigures> import_workload(const Workload& workload, const std::filesystem::path& dir,
                                           std::size_t signature_threads) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec))
    return fmt::format("the import database directory {} is not empty", dir.string());
  std::string detail;
  auto kv = node::db::LevelDbStore::open(dir, {}, &detail);
  if (!kv) return fmt::format("opening the import database in {}: {} {}", dir.string(), kv.error().message(), detail);
  node::trie::TrieDb trie(*kv.value());
  node::chain::ChainOptions options;
  options.import.now_ms = bench_clock_ms;
  options.import.signature_threads = signature_threads;
  auto chain = node::chain::Chain::open(*kv.value(), trie, workload.spec.genesis_storage, options, &detail);
  if (!chain) return "opening the import chain: " + (detail.empty() ? chain.error().message() : detail);

  const double cpu_start = process_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  for (const auto& block : workload.blocks) {
    auto imported = chain.value()->import_block(block);
    if (!imported)
      return fmt::format("importing block #{}: {}: {}", block.header.number.value,
                         node::chain::to_string(imported.error().reason), imported.error().message);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = process_cpu_seconds() - cpu_start;
  if (!workload.blocks.empty() && chain.value()->best().hash != runtime::header_hash(workload.blocks.back().header))
    return std::string("after the import the best block is not the last bench block");
  return ImportFigures{workload.blocks.size(), seconds, cpu_seconds};
}

BenchResult<double> recover_and_hash(const std::vector<SignedPayload>& payloads) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t failed = 0;
  for (const auto& p : payloads)
    if (!runtime::crypto::verify(p.signature, p.payload, p.signer)) ++failed;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed != 0) return fmt::format("{} of {} bench signatures do not verify", failed, payloads.size());
  return seconds;
}

std::size_t peak_rss_bytes() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

double process_cpu_seconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace bazaar::tools::bench
