#include "tools/bench/local_net.hpp"

#include "tests/integration/node_process.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <regex>

namespace bazaar::tools::bench {

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

std::string LocalNode::address() const {
  return "/ip4/127.0.0.1/tcp/" + std::to_string(p2p_port) + "/p2p/" + peer_id;
}

std::vector<std::string> LocalNode::args(const std::vector<std::string>& bootnodes) const {
  std::vector<std::string> out{"--chain",       chain,
                               "--base-path",   base_path.string(),
                               "--node-key-file", key_file.string(),
                               "--listen-addr", "/ip4/127.0.0.1/tcp/" + std::to_string(p2p_port),
                               "--rpc-port",    "0",
                               "--no-prometheus",
                               "--name",        account.empty() ? "full" : account};
  if (!account.empty()) out.push_back("--" + account);
  for (const auto& bootnode : bootnodes) {
    out.push_back("--bootnodes");
    out.push_back(bootnode);
  }
  return out;
}

NetResult<LocalNode> prepare_node(std::string chain, std::string account, const std::filesystem::path& dir,
                                  std::size_t index) {
  LocalNode node;
  node.chain = std::move(chain);
  node.account = std::move(account);
  node.base_path = dir / ("node" + std::to_string(index));
  node.key_file = dir / ("node" + std::to_string(index) + ".key");
  node.p2p_port = free_port();
  test::NodeProcess keygen({"key", "generate-node-key", "--file", node.key_file.string()});
  const auto status = keygen.wait_exit(std::chrono::seconds(20));
  if (status != 0) {
    return "`bazaar-node key generate-node-key` failed (" +
           (status ? "exit " + std::to_string(*status) : std::string("timeout")) + "): " + keygen.output();
  }
  static const std::regex kPeerId(R"((\w{40,}))");
  std::smatch match;
  std::string out;
  // The output may still be in the pipe when the process has exited.
  if (!test::eventually([&] { out = keygen.output(); return std::regex_search(out, match, kPeerId); },
                        std::chrono::seconds(10))) {
    return "`bazaar-node key generate-node-key` printed no peer id: " + out;
  }
  node.peer_id = match[1].str();
  return node;
}

}  // namespace bazaar::tools::bench
