#pragma once
// The block-import benchmark's measurements: the timed import of the
// workload's blocks into a fresh on-disk chain, the single-core
// recover-and-hash baseline, and the process's peak memory.

#include "tools/bench/workload.hpp"

#include <filesystem>

namespace bazaar::tools::bench {

struct ImportFigures {
  std::size_t blocks = 0;
  double seconds = 0;      ///< wall-clock time of the import_block calls only
  double cpu_seconds = 0;  ///< CPU time (user + system, all threads) during those calls
};

/// Opens a fresh LevelDB chain in `dir` (empty or absent) with the workload's
/// genesis and imports every block through Chain::import_block, timing only
/// the imports; `signature_threads` is BlockImportOptions::signature_threads.
/// Error: a message if the database cannot be opened, a block is rejected or
/// the best block is not the last one afterwards.
BenchResult<ImportFigures> import_workload(const Workload& workload, const std::filesystem::path& dir,
                                           std::size_t signature_threads = 0);

/// What one thread does per transfer when it checks a signature the plain way:
/// blake2b-256 of the signing payload, secp256k1 recovery and blake2b-256 of
/// the recovered key compared with the signer. Returns the seconds taken;
/// error if any check fails (the workload is broken).
BenchResult<double> recover_and_hash(const std::vector<SignedPayload>& payloads);

/// Peak resident set size of this process so far (getrusage ru_maxrss), bytes.
std::size_t peak_rss_bytes();

/// CPU time (user + system) of this process so far, all threads, seconds.
double process_cpu_seconds();

}  // namespace bazaar::tools::bench
