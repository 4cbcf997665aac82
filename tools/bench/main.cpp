// bazaar-bench-import: the block-import benchmark (tools/bench/README.md).
//
//   bazaar-bench-import [--transfers N] [--accounts M] [--per-block K] [--db DIR]
//                       [--signature-threads T]
//
// Builds N signed transfers among M accounts into blocks of K, imports them
// into a fresh on-disk chain and prints transfers/s, the single-core ECDSA
// recover-and-hash rate measured in the same run, their ratio against the
// target (PASS/FAIL) and the peak memory. Exits non-zero only on errors.

#include "tools/bench/measure.hpp"
#include "tools/bench/workload.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

namespace bench = bazaar::tools::bench;
namespace po = boost::program_options;

/// Target of the issue: import rate >= half the single-core recover rate.
constexpr double kTargetRatio = 0.5;

/// A fresh directory under the system temp dir, removed with its contents.
class ScratchDir {
 public:
  static std::optional<ScratchDir> create(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) return std::nullopt;
    return ScratchDir(pattern);
  }
  ScratchDir(ScratchDir&& o) noexcept : m_path(std::exchange(o.m_path, {})) {}
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
  }
  const std::filesystem::path& path() const { return m_path; }

 private:
  explicit ScratchDir(std::filesystem::path p) : m_path(std::move(p)) {}
  std::filesystem::path m_path;
};

struct Args {
  bench::WorkloadOptions workload;
  std::optional<std::filesystem::path> db;
  std::size_t signature_threads = 0;
};

/// Parses the command line; nullopt after printing help or an error (with `exit_code` set).
std::optional<Args> parse_args(int argc, char** argv, int& exit_code) {
  Args args;
  std::string db;
  po::options_description desc("bazaar-bench-import options");
  desc.add_options()("help,h", "this help")(
      "transfers", po::value(&args.workload.transfers)->default_value(args.workload.transfers),
      "number of signed transfers N")("accounts",
                                      po::value(&args.workload.accounts)->default_value(args.workload.accounts),
                                      "number of endowed bench accounts M (>= 2)")(
      "per-block", po::value(&args.workload.per_block)->default_value(args.workload.per_block),
      "transfers per block K (within the block's weight and length limits)")(
      "db", po::value(&db), "directory of the import database (empty or absent; kept); default: a temp dir, removed")(
      "signature-threads", po::value(&args.signature_threads)->default_value(args.signature_threads),
      "threads that pre-verify a block's signatures on import (0 = hardware, at least 2; 1 = none)");
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      exit_code = EXIT_SUCCESS;
      return std::nullopt;
    }
  } catch (const po::error& e) {
    std::cerr << "bazaar-bench-import: " << e.what() << "\n" << desc << "\n";
    exit_code = EXIT_FAILURE;
    return std::nullopt;
  }
  if (!db.empty()) args.db = db;
  return args;
}

int fail(const std::string& message) {
  std::cerr << "bazaar-bench-import: error: " << message << "\n";
  return EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = EXIT_SUCCESS;
  auto args = parse_args(argc, argv, exit_code);
  if (!args) return exit_code;
  const auto& options = args->workload;
  fmt::print("bazaar-bench-import: {} transfers among {} accounts, {} per block, {} hardware threads\n",
             options.transfers, options.accounts, options.per_block, std::thread::hardware_concurrency());

  auto authoring_dir = ScratchDir::create("bazaar-bench-author-");
  if (!authoring_dir) return fail("cannot create a temporary directory");
  auto workload = bench::build_workload(options, authoring_dir->path());
  if (!workload) return fail(workload.error());
  fmt::print("setup: keys, genesis and signing {:.2f} s; building {} blocks {:.2f} s\n", workload.value().sign_seconds,
             workload.value().blocks.size(), workload.value().build_seconds);

  auto import_scratch = args->db ? std::nullopt : ScratchDir::create("bazaar-bench-import-");
  if (!args->db && !import_scratch) return fail("cannot create a temporary directory");
  const std::filesystem::path import_dir = args->db ? *args->db : import_scratch->path() / "db";
  auto imported = bench::import_workload(workload.value(), import_dir, args->signature_threads);
  if (!imported) return fail(imported.error());
  const double n = static_cast<double>(workload.value().transfers);
  const double import_rate = imported.value().seconds > 0 ? n / imported.value().seconds : 0;
  fmt::print("import: {} blocks, {} transfers in {:.3f} s = {:.0f} transfers/s (CPU {:.3f} s on all threads)\n",
             imported.value().blocks, workload.value().transfers, imported.value().seconds, import_rate,
             imported.value().cpu_seconds);

  auto recovered = bench::recover_and_hash(workload.value().payloads);
  if (!recovered) return fail(recovered.error());
  const double recover_rate = recovered.value() > 0 ? n / recovered.value() : 0;
  fmt::print("baseline: single-core recover-and-hash of {} signatures in {:.3f} s = {:.0f} /s\n",
             workload.value().payloads.size(), recovered.value(), recover_rate);

  const double ratio = recover_rate > 0 ? import_rate / recover_rate : 0;
  fmt::print("ratio import/recover: {:.3f} (target >= {:.1f}): {}\n", ratio, kTargetRatio,
             ratio >= kTargetRatio ? "PASS" : "FAIL");
  fmt::print("peak RSS: {:.1f} MiB\n", static_cast<double>(bench::peak_rss_bytes()) / (1024.0 * 1024.0));
  return EXIT_SUCCESS;
}
