// bazaar-bench-finality: finality latency of three validators on loopback
// (issue 4: "median and 95th percentile blocks between authoring and
// finality; target median <= 2 blocks"). README.md in this folder.
//
// It starts Alice, Bob and Charlie of the local chain (one-second slots) as
// real bazaar-node processes, watches each node's new and finalized heads over
// WebSocket (finality_watch.hpp), waits until finality runs on all three,
// and then measures the next --blocks blocks: lag(N) = the node's best block
// number at the moment N (or a descendant) was finalized there, minus N.
// Exit status: 0 when measured (PASS or FAIL), 1 on an error, 2 on bad usage.

#include "tests/integration/node_process.hpp"
#include "tools/bench/finality_watch.hpp"
#include "tools/bench/local_net.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

using namespace bazaar;
using namespace bazaar::tools::bench;
namespace po = boost::program_options;
namespace outcome = boost::outcome_v2;
using namespace std::chrono_literals;

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted = true; }

constexpr uint32_t kTargetMedian = 2;
const std::vector<std::string> kValidators{"alice", "bob", "charlie"};

struct Options {
  uint32_t blocks = 60;
  bool verbose = false;
  std::string log_dir;  ///< where to write each node's full output at the end (empty: nowhere)
};

/// The running network: processes, watches and their temporary directory.
struct Network {
  test::ScopedDir dir;
  std::vector<LocalNode> nodes;
  std::vector<std::unique_ptr<test::NodeProcess>> processes;  // destroyed (stopped) before `dir`
  std::vector<std::unique_ptr<HeadWatch>> watches;

  /// Writes each node's whole output to dir/<account>.log.
  void save_logs(const std::filesystem::path& to) const {
    std::filesystem::create_directories(to);
    for (std::size_t i = 0; i < processes.size(); ++i)
      std::ofstream(to / (nodes[i].account + ".log")) << processes[i]->output();
  }

  std::string logs(std::size_t lines = 30) const {
    std::string out;
    for (std::size_t i = 0; i < processes.size(); ++i) {
      const std::string text = processes[i]->output();
      std::size_t start = text.size();
      for (std::size_t n = 0; n <= lines && start > 0; ++n) start = text.rfind('\n', start - 1);
      out += fmt::format("---- {} (last lines)\n{}\n", nodes[i].account,
                         text.substr(start == std::string::npos ? 0 : start + 1));
    }
    return out;
  }
};

/// An error if a node exited or its watch lost the connection.
NetResult<void> check_alive(Network& net) {
  for (std::size_t i = 0; i < net.processes.size(); ++i) {
    if (!net.processes[i]->running()) return fmt::format("{}'s node exited", net.nodes[i].account);
    if (i < net.watches.size())
      if (auto e = net.watches[i]->error(); !e.empty()) return fmt::format("{}'s node: {}", net.nodes[i].account, e);
  }
  return outcome::success();
}

/// Polls `done` every 50 ms until it holds; error on a deadline, an interrupt or a dead node.
template <class F>
NetResult<void> wait_for(Network& net, F done, std::chrono::seconds deadline, const std::string& what) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (g_interrupted) return std::string("interrupted");
    if (auto alive = check_alive(net); !alive) return alive.error();
    if (std::chrono::steady_clock::now() > until) return fmt::format("{} did not happen within {} s", what, deadline.count());
    std::this_thread::sleep_for(50ms);
  }
  return outcome::success();
}

NetResult<void> start_network(Network& net) {
  for (std::size_t i = 0; i < kValidators.size(); ++i) {
    auto node = prepare_node("local", kValidators[i], net.dir.path(), i);
    if (!node) return node.error();
    net.nodes.push_back(std::move(node.value()));
  }
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    std::vector<std::string> bootnodes;
    for (std::size_t j = 0; j < net.nodes.size(); ++j)
      if (j != i) bootnodes.push_back(net.nodes[j].address());
    net.processes.push_back(std::make_unique<test::NodeProcess>(net.nodes[i].args(bootnodes)));
  }
  for (std::size_t i = 0; i < net.nodes.size(); ++i) {
    auto port = net.processes[i]->wait_for_port(60s);
    if (!port) return fmt::format("{}'s node did not open its RPC port", net.nodes[i].account);
    auto watch = HeadWatch::connect(*port);
    if (!watch) return watch.error();
    net.watches.push_back(std::move(watch.value()));
  }
  return outcome::success();
}

struct Summary {
  std::size_t count = 0;
  uint64_t median = 0, p95 = 0, max = 0;
  std::optional<uint64_t> median_ms, p95_ms;
};

Summary summarize(const std::vector<LagTracker::Lag>& lags) {
  Summary s;
  std::vector<uint64_t> blocks, ms;
  for (const auto& lag : lags) {
    blocks.push_back(lag.blocks);
    if (lag.ms) ms.push_back(*lag.ms);
  }
  s.count = blocks.size();
  s.median = percentile(blocks, 50);
  s.p95 = percentile(blocks, 95);
  s.max = blocks.empty() ? 0 : *std::max_element(blocks.begin(), blocks.end());
  if (!ms.empty()) {
    s.median_ms = percentile(ms, 50);
    s.p95_ms = percentile(ms, 95);
  }
  return s;
}

std::string format_ms(const std::optional<uint64_t>& ms) { return ms ? fmt::format("{} ms", *ms) : "-"; }

NetResult<bool> run(const Options& options, Network& net) {
  fmt::print("starting {} validators (local chain, one-second slots) with node {}\n", kValidators.size(),
             test::NodeProcess::binary());
  if (auto started = start_network(net); !started) return started.error();

  // Warm-up: every node finalized a block (connected and voting).
  if (auto warm = wait_for(
          net,
          [&] {
            for (const auto& w : net.watches)
              if (w->finalized().value_or(0) < 1) return false;
            return true;
          },
          90s, "finality on all three nodes");
      !warm)
    return warm.error();
  uint32_t from = 0;
  for (const auto& w : net.watches) from = std::max(from, w->best().value_or(0));
  from += 1;
  const uint32_t to = from + options.blocks - 1;
  fmt::print("finality runs on all nodes; measuring blocks #{}..#{}\n", from, to);
  const auto deadline = std::chrono::seconds(2 * options.blocks + 60);
  if (auto measured = wait_for(
          net,
          [&] {
            for (const auto& w : net.watches)
              if (w->finalized().value_or(0) < to) return false;
            return true;
          },
          deadline, fmt::format("finality of #{} on all three nodes", to));
      !measured)
    return measured.error();

  std::vector<LagTracker::Lag> all;
  fmt::print("\n{:<10} {:>7} {:>7} {:>5} {:>5} {:>12} {:>12}\n", "node", "blocks", "median", "p95", "max",
             "median time", "p95 time");
  for (std::size_t i = 0; i < net.watches.size(); ++i) {
    auto lags = net.watches[i]->lags(from, to);
    const auto s = summarize(lags);
    fmt::print("{:<10} {:>7} {:>7} {:>5} {:>5} {:>12} {:>12}\n", net.nodes[i].account, s.count, s.median, s.p95, s.max,
               format_ms(s.median_ms), format_ms(s.p95_ms));
    all.insert(all.end(), lags.begin(), lags.end());
  }
  const auto s = summarize(all);
  fmt::print("{:<10} {:>7} {:>7} {:>5} {:>5} {:>12} {:>12}\n", "overall", s.count, s.median, s.p95, s.max,
             format_ms(s.median_ms), format_ms(s.p95_ms));
  fmt::print("(lag in blocks: best block number when N or a descendant was finalized, minus N; time: from N's\n"
             " arrival as the node's best head to its finalization)\n\n");
  const bool pass = s.median <= kTargetMedian;
  fmt::print("finality lag median {} block(s), p95 {}, target median <= {}: {}\n", s.median, s.p95, kTargetMedian,
             pass ? "PASS" : "FAIL");
  return pass;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  po::options_description desc("bazaar-bench-finality: finality latency of three validators on loopback");
  desc.add_options()("help,h", "this help")(
      "blocks", po::value<uint32_t>(&options.blocks)->default_value(60), "blocks to measure after the warm-up")(
      "smoke", "a short run (8 blocks) that checks the benchmark works")(
      "verbose", po::bool_switch(&options.verbose), "print the nodes' last log lines at the end")(
      "log-dir", po::value<std::string>(&options.log_dir), "write each node's whole output to DIR/<name>.log");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "bazaar-bench-finality: " << e.what() << "\n" << desc;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc;
    return 0;
  }
  if (vm.count("smoke")) options.blocks = 8;
  if (options.blocks == 0) {
    std::cerr << "bazaar-bench-finality: --blocks must be at least 1\n";
    return 2;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGHUP, on_signal);

  int status = 0;
  {
    Network net;  // stops the nodes and removes their directories on every path out of this block
    try {
      auto result = run(options, net);
      if (!result) {
        std::cerr << "bazaar-bench-finality: error: " << result.error() << "\n"
                  << (g_interrupted ? std::string() : net.logs());
        status = 1;
      } else if (options.verbose) {
        std::cout << net.logs();
      }
    } catch (const std::exception& e) {
      std::cerr << "bazaar-bench-finality: error: " << e.what() << "\n" << net.logs();
      status = 1;
    }
    if (!options.log_dir.empty()) net.save_logs(options.log_dir);
  }
  return status;
}
