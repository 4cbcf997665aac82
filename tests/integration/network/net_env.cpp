#include "tests/integration/network/net_env.hpp"

#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <catch2/catch.hpp>

#include <sstream>

namespace bazaar::test {

using nlohmann::json;

NetEnv::NetEnv(std::string chain, std::vector<std::string> accounts) : m_chain(std::move(chain)) {
  for (const auto& account : accounts) add(account);
}

NetEnv::~NetEnv() {
  for (auto& n : m_nodes)
    if (n.process) n.process->kill();
}

std::size_t NetEnv::add(const std::string& account) {
  const std::size_t index = m_nodes.size();
  auto prepared = tools::bench::prepare_node(m_chain, account, m_dir.path(), index);
  INFO((prepared ? std::string() : prepared.error()));
  REQUIRE(prepared);
  NetNode n;
  static_cast<tools::bench::LocalNode&>(n) = std::move(prepared.value());
  m_nodes.push_back(std::move(n));
  return index;
}

std::string NetEnv::address(std::size_t i) const { return m_nodes.at(i).address(); }

void NetEnv::start(std::size_t i, std::vector<std::string> extra_args) {
  auto& n = m_nodes.at(i);
  bool has_bootnodes = false;
  for (const auto& a : extra_args) has_bootnodes = has_bootnodes || a == "--bootnodes" || a == "--reserved-only";
  std::vector<std::string> bootnodes;
  if (!has_bootnodes) {
    for (std::size_t j = 0; j < m_nodes.size(); ++j)
      if (j != i) bootnodes.push_back(address(j));
  }
  auto args = n.args(bootnodes);
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  if (n.process) n.process->kill();
  n.process = std::make_unique<NodeProcess>(args);
  auto port = n.process->wait_for_port(std::chrono::seconds(60));
  INFO(n.process->output());
  REQUIRE(port);
  n.rpc_port = *port;
}

void NetEnv::start_all() {
  for (std::size_t i = 0; i < m_nodes.size(); ++i) start(i);
}

void NetEnv::kill(std::size_t i) {
  if (m_nodes.at(i).process) m_nodes.at(i).process->kill();
}

void NetEnv::wipe(std::size_t i) {
  REQUIRE_FALSE(running(i));
  std::filesystem::remove_all(m_nodes.at(i).base_path / "chains");
}

bool NetEnv::running(std::size_t i) const {
  return m_nodes.at(i).process && m_nodes.at(i).process->running();
}

json NetEnv::rpc(std::size_t i, const std::string& method, const json& params) {
  if (!running(i)) return nullptr;
  try {
    auto reply = http_rpc(m_nodes.at(i).rpc_port, method, params);
    if (reply.contains("result")) return reply["result"];
    UNSCOPED_INFO("node " << i << " " << method << ": " << reply.dump());
  } catch (const std::exception& e) {
    UNSCOPED_INFO("node " << i << " " << method << ": " << e.what());
  }
  return nullptr;
}

namespace {

std::optional<uint32_t> header_number(const json& header) {
  if (!header.is_object() || !header.contains("number")) return std::nullopt;
  return static_cast<uint32_t>(std::stoul(header["number"].get<std::string>(), nullptr, 16));
}

}  // namespace

std::optional<uint32_t> NetEnv::best(std::size_t i) { return header_number(rpc(i, "chain_getHeader")); }

std::optional<uint32_t> NetEnv::finalized(std::size_t i) {
  auto hash = rpc(i, "chain_getFinalizedHead");
  if (!hash.is_string()) return std::nullopt;
  return header_number(rpc(i, "chain_getHeader", json::array({hash})));
}

std::optional<std::string> NetEnv::block_hash(std::size_t i, uint32_t number) {
  auto hash = rpc(i, "chain_getBlockHash", json::array({number}));
  if (!hash.is_string()) return std::nullopt;
  return hash.get<std::string>();
}

std::optional<uint64_t> NetEnv::slot_of(std::size_t i, const std::string& hash) {
  auto header = rpc(i, "chain_getHeader", json::array({hash}));
  if (!header.is_object()) return std::nullopt;
  // DigestItem::PreRuntime = 6 ++ "aura" ++ compact(8) = 0x20 ++ slot (u64 LE).
  for (const auto& log : header["digest"]["logs"]) {
    auto bytes = runtime::from_hex(log.get<std::string>());
    if (!bytes || bytes->size() != 14 || (*bytes)[0] != 6 || (*bytes)[5] != 0x20) continue;
    if (std::string(bytes->begin() + 1, bytes->begin() + 5) != "aura") continue;
    uint64_t slot = 0;
    for (int b = 7; b >= 0; --b) slot = (slot << 8) | (*bytes)[6 + b];
    return slot;
  }
  return std::nullopt;
}

std::vector<std::string> NetEnv::extrinsics(std::size_t i, const std::string& hash) {
  std::vector<std::string> out;
  auto block = rpc(i, "chain_getBlock", json::array({hash}));
  if (!block.is_object()) return out;
  for (const auto& xt : block["block"]["extrinsics"]) out.push_back(xt.get<std::string>());
  return out;
}

std::optional<std::string> NetEnv::find_inclusion(std::size_t i, uint32_t from, const std::string& xt_hex) {
  const auto best_number = best(i).value_or(0);
  for (uint32_t n = from; n <= best_number; ++n) {
    auto hash = block_hash(i, n);
    if (!hash) continue;
    for (const auto& xt : extrinsics(i, *hash))
      if (xt == xt_hex) return hash;
  }
  return std::nullopt;
}

runtime::Bytes NetEnv::alice_transfer(std::size_t i, runtime::Balance value) {
  auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
  auto bob = runtime::crypto::keypair_from_suri("//Bob").value();
  auto version = rpc(i, "state_getRuntimeVersion");
  auto genesis_hex = block_hash(i, 0);
  REQUIRE(version.is_object());
  REQUIRE(genesis_hex);
  auto genesis = runtime::fixed_from_hex<runtime::H256>(*genesis_hex).value();
  auto nonce = rpc(i, "system_accountNextIndex", json::array({runtime::crypto::ss58_encode(alice.account_id(), 42)}));
  REQUIRE(nonce.is_number());
  auto dest = bob.account_id();
  runtime::Bytes call{4, 3, 0};  // Credits.transfer_keep_alive(MultiAddress::Id(dest), Compact(value))
  call.insert(call.end(), dest.begin(), dest.end());
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, value);
  auto v = e.take();
  call.insert(call.end(), v.begin(), v.end());
  runtime::AdditionalSigned additional{version["specVersion"].get<uint32_t>(),
                                       version["transactionVersion"].get<uint32_t>(), genesis, genesis};
  auto xt = runtime::sign_extrinsic(alice, call, {runtime::Era::immortal(), {nonce.get<uint32_t>()}, {0}}, additional);
  return runtime::encode_extrinsic(xt);
}

std::string NetEnv::tail_logs(std::size_t lines) const {
  std::ostringstream out;
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    if (!m_nodes[i].process) continue;
    auto text = m_nodes[i].process->output();
    std::vector<std::string> all;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) all.push_back(line);
    out << "---- node " << i << " (" << (m_nodes[i].account.empty() ? "full" : m_nodes[i].account) << ")\n";
    for (std::size_t k = all.size() > lines ? all.size() - lines : 0; k < all.size(); ++k) out << all[k] << "\n";
  }
  return out.str();
}

}  // namespace bazaar::test
