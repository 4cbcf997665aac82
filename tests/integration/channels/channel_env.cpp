#include "tests/integration/channels/channel_env.hpp"

#include "rpc/client/rpc_client.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tools/bench/echo_program.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <fstream>
#include <stdexcept>

namespace bazaar::test::channels {

using namespace std::chrono_literals;
using market::eventually;

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

runtime::H256 write_echo_program(const std::filesystem::path& path) {
  auto code = tools::bench::echo_program();
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(code.data()), static_cast<std::streamsize>(code.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return runtime::crypto::blake2b_256(code);
}

std::vector<ChannelExtrinsic> channel_extrinsics(rpc::ChainClient& chain, runtime::BlockNumber first,
                                                 runtime::BlockNumber last) {
  std::vector<ChannelExtrinsic> out;
  for (auto n = first; n <= last; ++n) {
    auto hash = chain.block_hash(n);
    if (!hash) throw std::runtime_error("chain_getBlockHash: " + hash.error());
    auto xts = chain.block_extrinsics(hash.value());
    if (!xts) throw std::runtime_error("chain_getBlock: " + xts.error());
    for (const auto& bytes : xts.value()) {
      auto xt = runtime::decode_extrinsic(bytes);
      if (!xt) throw std::runtime_error("an undecodable extrinsic in block #" + std::to_string(n));
      const auto& call = xt.value().call;
      if (call.size() < 2 || call[0] != pc::Module::kIndex) continue;
      out.push_back(ChannelExtrinsic{n, call[1], runtime::Bytes(call.begin() + 2, call.end())});
    }
  }
  return out;
}

ChannelWorld::ChannelWorld(bool in_node_provider) {
  m_port = free_port();
  m_echo = m_dir / "echo.wasm";
  write_echo_program(m_echo);
  if (in_node_provider) {
    m_node = std::make_unique<DevNode>(std::vector<std::string>{"--provider", "--provider-key", "//Bob",
                                                                "--direct-port", std::to_string(m_port)});
  } else {
    m_node = std::make_unique<DevNode>();
  }
  m_wallet = std::make_unique<WalletCli>(m_node->rpc_url(), m_dir.path());
  if (!in_node_provider && m_node->started()) start_worker();
}

void ChannelWorld::start_worker() {
  m_worker.reset();
  ++m_worker_runs;
  m_worker = market::start_worker(
      m_node->rpc_url(), "//Bob", worker_db(), m_dir / ("worker-" + std::to_string(m_worker_runs) + ".log"),
      {"--price", kPrice, "--direct-port", std::to_string(m_port), "-l", "channels=debug"});
}

void ChannelWorld::kill_worker() {
  if (m_worker) m_worker->kill_hard();
}

bool ChannelWorld::provider_ready(std::chrono::milliseconds deadline) {
  auto& c = chain();
  const auto bob = market::account_of("//Bob");
  return eventually(
      [&] {
        if (!market::read_provider(c, bob)) return false;
        auto client = rpc::RpcClient::connect(endpoint());
        return client && client.value().call("direct_info").has_value();
      },
      deadline);
}

CommandResult ChannelWorld::alice(std::vector<std::string> args, std::chrono::milliseconds deadline) {
  std::vector<std::string> full{"--signer", "//Alice", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--store", store().string()});
  return (*m_wallet)(full, deadline);
}

CommandResult ChannelWorld::bob(std::vector<std::string> args, std::chrono::milliseconds deadline) {
  std::vector<std::string> full{"--signer", "//Bob", "--json"};
  full.insert(full.end(), args.begin(), args.end());
  return (*m_wallet)(full, deadline);
}

pc::ChannelId ChannelWorld::open_and_fund(const std::string& deposit_a, const std::string& deposit_b,
                                          uint32_t period) {
  auto open = alice({"channel", "open", market::address_of("//Bob"), "--deposit", deposit_a, "--challenge-period",
                     std::to_string(period)});
  auto line = line_with(open, "channel");
  if (open.exit_code != 0 || line.is_null())
    throw std::runtime_error("channel open failed:\n" + open.out + "\n" + open.err);
  auto id = runtime::fixed_from_hex<pc::ChannelId>(line["channel"].get<std::string>());
  if (!id) throw std::runtime_error("channel open printed a bad id: " + line.dump());
  auto fund = bob({"channel", "fund", runtime::to_hex(*id), "--deposit", deposit_b});
  if (fund.exit_code != 0) throw std::runtime_error("channel fund failed:\n" + fund.out + "\n" + fund.err);
  return *id;
}

CommandResult ChannelWorld::run_tasks(const pc::ChannelId& id, std::size_t n, std::size_t first) {
  auto inputs = m_dir / ("inputs-" + std::to_string(first) + "-" + std::to_string(n) + ".txt");
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += "task-" + std::to_string(first + i) + "\n";
  market::write_text(inputs, text);
  return alice({"task", "run", "--channel", runtime::to_hex(id), "--program", m_echo.string(), "--input-lines",
                inputs.string(), "--fuel", "100000"},
               300s);
}

node::offchain::channels::StoredChannel ChannelWorld::stored(const pc::ChannelId& id) {
  auto db = node::offchain::channels::ChannelStore::open(store());
  if (!db) throw std::runtime_error("cannot open Alice's channel store: " + db.error().message());
  auto s = db.value()->load(id);
  if (!s) throw std::runtime_error("Alice's store does not know channel " + runtime::to_hex(id));
  return *s;
}

nlohmann::json line_with(const CommandResult& r, const std::string& key) {
  for (const auto& j : market::json_lines(r.out))
    if (j.contains(key)) return j;
  return nullptr;
}

}  // namespace bazaar::test::channels
