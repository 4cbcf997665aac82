// bazaar-worker: the standalone provider worker. It runs the same library as
// `bazaar-node --provider`, against any node's JSON-RPC endpoint.

#include "node/log/log.hpp"
#include "node/offchain/worker.hpp"
#include "runtime/primitives/units.hpp"

#include <boost/program_options.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace po = boost::program_options;
using namespace bazaar;

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

}  // namespace

int main(int argc, char** argv) {
  node::offchain::WorkerOptions options;
  std::string price = "0", stake = "0";
  std::vector<std::string> levels;
  po::options_description desc("bazaar-worker: run tasks for the Bazaar compute market as a provider");
  desc.add_options()("help,h", "show this help")
      ("rpc", po::value(&options.rpc_url)->default_value(options.rpc_url), "the node's WebSocket RPC endpoint")
      ("provider-key", po::value(&options.provider_suri)->required(), "the provider's key (//Bob, a phrase, a 0x seed)")
      ("db", po::value<std::string>()->default_value("bazaar-worker-db"), "the worker's LevelDB directory")
      ("price", po::value(&price)->default_value(price), "price per task in CC")
      ("stake", po::value(&stake)->default_value(stake), "stake in CC when registering (0 = the chain's minimum)")
      ("endpoint", po::value(&options.endpoint), "advertised off-chain endpoint")
      ("direct-port", po::value(&options.direct_port)->default_value(0),
       "serve payment-channel tasks (direct_submitTask) on this port and watch the channels; 0 = off")
      ("direct-listen", po::value(&options.direct_listen)->default_value(options.direct_listen),
       "address the direct endpoint binds")
      ("direct-host", po::value(&options.direct_host)->default_value(options.direct_host),
       "host advertised in the endpoint ws://HOST:PORT")
      ("max-fuel", po::value(&options.max_fuel)->default_value(0), "largest fuel limit accepted (0 = chain's max)")
      ("max-memory-pages", po::value(&options.max_memory_pages)->default_value(options.max_memory_pages),
       "64 KiB pages a run may use")
      ("wall-clock-limit", po::value<unsigned>()->default_value(300), "seconds a run may take before it is abandoned")
      ("log,l", po::value(&levels)->composing(), "log levels, e.g. -l worker=debug");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "bazaar-worker: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  for (const auto& l : levels) {
    if (auto r = node::log::apply_levels(l); !r) {
      std::cerr << "bazaar-worker: bad log level '" << l << "': " << r.error().message() << "\n";
      return 2;
    }
  }
  auto p = runtime::parse_cc(price);
  auto s = runtime::parse_cc(stake);
  if (!p || !s) {
    std::cerr << "bazaar-worker: --price and --stake take amounts in CC, e.g. 0.5\n";
    return 2;
  }
  options.price_per_task = *p;
  options.stake = *s;
  options.db_path = vm["db"].as<std::string>();
  options.wall_clock_limit = std::chrono::seconds(vm["wall-clock-limit"].as<unsigned>());

  auto worker = node::offchain::Worker::open(options);
  if (!worker) {
    std::cerr << "bazaar-worker: " << worker.error() << "\n";
    return 1;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  worker.value()->run(g_stop);
  return 0;
}
