// bazaar-bench-channel: co-signed, durably persisted payment-channel updates
// per second between a requester and a provider on loopback (issue 5), with
// trivial tasks (the echo program) so that it measures the channel, not the
// compute; and, in the same run, the single-core sign+verify rate of channel
// states, the crypto bound of one update on one core. See README.md.
#include "node/offchain/channels/direct_service.hpp"
#include "node/offchain/channels/requester.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "tools/bench/echo_program.hpp"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include <sys/resource.h>
#include <time.h>

using namespace bazaar;
using namespace bazaar::node::offchain::channels;
namespace po = boost::program_options;
using Clock = std::chrono::steady_clock;

namespace {

class LocalChain final : public ChainView {
 public:
  OnChainChannel record;
  pc::ChannelId id;
  runtime::Bytes code;
  runtime::H256 code_hash;
  std::optional<OnChainChannel> channel(const pc::ChannelId& c) override {
    if (c == id) return record;
    return std::nullopt;
  }
  std::optional<runtime::Bytes> program(const runtime::H256& h) override {
    if (h == code_hash) return code;
    return std::nullopt;
  }
};

/// User + system CPU time of this process (every thread), seconds.
double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

/// sign_state + verify_state on one thread: the crypto of one side of one update.
/// Returns (per second of wall time, per second of this thread's CPU time).
std::pair<double, double> sign_verify_rate(const runtime::crypto::Keypair& key, const runtime::H256& genesis,
                                           const pc::ChannelId& id, std::size_t n) {
  pc::ChannelState s{id, 0, 1'000'000, 0, runtime::H256{}};
  double cpu_start = thread_cpu_seconds();
  auto start = Clock::now();
  std::size_t ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    s.version = i + 1;
    auto sig = pc::sign_state(key, genesis, s);
    ok += pc::verify_state(sig, genesis, s, key.account_id()) ? 1 : 0;
  }
  if (ok != n) throw std::runtime_error("a signature did not verify");
  return {static_cast<double>(n) / seconds_since(start), static_cast<double>(n) / (thread_cpu_seconds() - cpu_start)};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t updates = 20'000, batch = 256, in_flight = 2, crypto_n = 5'000;
  std::string db;
  po::options_description desc("bazaar-bench-channel: payment-channel updates per second on loopback");
  desc.add_options()("help,h", "show this help")
      ("updates", po::value(&updates)->default_value(updates), "co-signed updates (one task each)")
      ("batch", po::value(&batch)->default_value(batch), "proposals per direct_submitTasks call")
      ("in-flight", po::value(&in_flight)->default_value(in_flight), "batches signed ahead of the answers")
      ("crypto", po::value(&crypto_n)->default_value(crypto_n), "sign+verify iterations for the baseline")
      ("db", po::value(&db), "directory for both stores (default: a temporary one, removed)")
      ("smoke", "a short run for CI: 500 updates, 500 sign+verify");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "bazaar-bench-channel: " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (vm.count("smoke")) updates = 500, crypto_n = 500;

  std::random_device rd;
  std::filesystem::path dir = db.empty() ? std::filesystem::temp_directory_path() /
                                               ("bazaar-bench-channel-" + std::to_string(rd()) + std::to_string(rd()))
                                         : std::filesystem::path(db);
  struct Cleanup {
    std::filesystem::path dir;
    bool remove;
    ~Cleanup() {
      if (remove) std::filesystem::remove_all(dir);
    }
  } cleanup{dir, db.empty()};

  auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
  auto bob = runtime::crypto::keypair_from_suri("//Bob").value();
  auto genesis = runtime::crypto::blake2b_256(runtime::Bytes{'b', 'e', 'n', 'c', 'h'});
  LocalChain chain;
  chain.id = pc::channel_id(alice.account_id(), bob.account_id(), 0);
  const runtime::Balance price = 1'000'000, deposit = price * (updates + 1);
  chain.record = OnChainChannel{alice.account_id(), bob.account_id(), deposit, deposit, true, {}};
  chain.code = tools::bench::echo_program();
  chain.code_hash = runtime::crypto::blake2b_256(chain.code);

  auto provider_store = ChannelStore::open(dir / "provider");
  auto requester_store = ChannelStore::open(dir / "requester");
  if (!provider_store || !requester_store) {
    std::cerr << "bazaar-bench-channel: cannot open the stores in " << dir << "\n";
    return 1;
  }
  DirectServiceOptions service_options;
  service_options.price = price;
  DirectService service(service_options, bob, genesis, *provider_store.value(), chain);
  auto server = DirectServer::start(service, "127.0.0.1", 0);
  if (!server) {
    std::cerr << "bazaar-bench-channel: cannot start the direct endpoint: " << server.error().message() << "\n";
    return 1;
  }
  ChannelMeta meta{chain.id, genesis, alice.account_id(), bob.account_id(), Role::Requester,
                   "ws://127.0.0.1:" + std::to_string(server.value()->port()), LocalStatus::Open};
  RequesterOptions options;
  options.batch_size = batch;
  options.max_batches_in_flight = in_flight;
  auto requester = ChannelRequester::open(*requester_store.value(), alice,
                                          RequesterChannel{meta, opening_state(chain.id, deposit, deposit), price},
                                          options);
  if (!requester) {
    std::cerr << "bazaar-bench-channel: " << requester.error() << "\n";
    return 1;
  }
  std::vector<DirectTask> tasks;
  tasks.reserve(updates);
  for (std::size_t i = 0; i < updates; ++i) {
    auto text = std::to_string(i);
    tasks.push_back(DirectTask{chain.code_hash, runtime::Bytes(text.begin(), text.end()), 100'000, std::nullopt});
  }

  std::cout << fmt::format("channel updates: {} tasks, batches of {}, {} in flight, stores in {}\n", updates, batch,
                           in_flight, dir.string());
  double cpu_before = process_cpu_seconds();
  auto start = Clock::now();
  auto out = requester.value()->run(tasks);
  double elapsed = seconds_since(start);
  double cpu = process_cpu_seconds() - cpu_before;
  if (!out) {
    std::cerr << "bazaar-bench-channel: the run stopped: " << out.error() << "\n";
    return 1;
  }
  for (const auto& o : out.value())
    if (!o.ok) {
      std::cerr << "bazaar-bench-channel: a task failed: " << o.error << "\n";
      return 1;
    }
  auto theirs = provider_store.value()->load(chain.id);
  if (!theirs || !theirs->latest || theirs->latest->state != requester.value()->latest()->state ||
      theirs->latest->state.version != updates) {
    std::cerr << "bazaar-bench-channel: the two stores disagree on the latest state\n";
    return 1;
  }
  double rate = static_cast<double>(updates) / elapsed;
  auto syncs_p = provider_store.value()->syncs(), syncs_r = requester_store.value()->syncs();
  std::cout << fmt::format("  {:.0f} updates/s ({} updates in {:.2f} s)\n", rate, updates, elapsed);
  std::cout << fmt::format("  fsyncs: provider {} ({:.1f} updates each), requester {} ({:.1f} updates each)\n",
                           syncs_p, static_cast<double>(updates) / std::max<uint64_t>(syncs_p, 1), syncs_r,
                           static_cast<double>(updates) / std::max<uint64_t>(syncs_r, 1));
  std::cout << fmt::format("  CPU (both sides, all threads): {:.1f} µs per update ({:.2f} cores busy)\n",
                           cpu * 1e6 / static_cast<double>(updates), cpu / elapsed);
  auto st = service.stats();
  auto per = [&](std::chrono::nanoseconds d) {
    return static_cast<double>(d.count()) / 1000.0 / static_cast<double>(std::max<uint64_t>(st.updates, 1));
  };
  std::cout << fmt::format(
      "  provider CPU per update: checks+signature {:.1f} µs, program run {:.1f} µs, log+sign {:.1f} µs, "
      "commit {:.1f} µs\n",
      per(st.check), per(st.execute), per(st.sign), per(st.persist));
  auto [crypto, crypto_cpu] = sign_verify_rate(alice, genesis, chain.id, crypto_n);
  std::cout << fmt::format(
      "  single-core sign+verify: {:.0f}/s ({:.0f}/s of CPU time, {:.1f} µs each; an update is signed by both "
      "sides, and each side verifies the other's last state of a batch)\n",
      crypto, crypto_cpu, 1e6 / crypto_cpu);
  std::cout << fmt::format("  at this CPU cost, {} free cores would carry {:.0f} updates/s\n",
                           std::thread::hardware_concurrency(),
                           std::thread::hardware_concurrency() * 1e6 / (cpu * 1e6 / static_cast<double>(updates)));
  std::cout << fmt::format("  target 5000 updates/s: {}\n", rate >= 5000 ? "PASS" : "FAIL");
  return 0;
}
