#include "node/cli/commands.hpp"

#include "genesis/chain_spec.hpp"
#include "node/network/node_key.hpp"
#include "node/network/peer_id.hpp"

#include <algorithm>

namespace bazaar::node::cli {

namespace {

int generate_node_key(const CliCommand& command, std::ostream& out, std::ostream& err) {
  auto key = runtime::crypto::Keypair::generate();
  const auto peer = network::PeerId::from_public(key.public_key()).to_string();
  if (!command.key_file) {
    out << runtime::to_hex(runtime::ByteSpan(key.secret().data(), key.secret().size())).substr(2) << "\n";
    err << peer << "\n";
    return 0;
  }
  std::error_code ec;
  if (std::filesystem::exists(*command.key_file, ec)) {
    err << "bazaar-node key generate-node-key: " << command.key_file->string()
        << " exists; not overwriting a node key\n";
    return 1;
  }
  if (auto written = network::write_node_key(*command.key_file, key); !written) {
    err << "bazaar-node key generate-node-key: cannot write " << command.key_file->string() << ": "
        << written.error().message() << "\n";
    return 1;
  }
  out << peer << "\n";
  return 0;
}

int build_spec(const CliCommand& command, std::ostream& out, std::ostream& err) {
  std::string detail;
  auto spec = genesis::resolve_chain_spec(command.options.chain, &detail);
  if (!spec) {
    err << "bazaar-node build-spec: " << spec.error().message() << (detail.empty() ? "" : ": " + detail) << "\n";
    return 1;
  }
  for (const auto& addr : command.options.networking.network.bootnodes) {
    auto text = addr.to_string();
    if (std::find(spec.value().boot_nodes.begin(), spec.value().boot_nodes.end(), text) == spec.value().boot_nodes.end())
      spec.value().boot_nodes.push_back(std::move(text));
  }
  out << genesis::chain_spec_json(spec.value(), command.raw) << "\n";
  return 0;
}

}  // namespace

int run_subcommand(const CliCommand& command, std::ostream& out, std::ostream& err) {
  switch (command.kind) {
    case CliCommand::Kind::GenerateNodeKey: return generate_node_key(command, out, err);
    case CliCommand::Kind::BuildSpec: return build_spec(command, out, err);
    default: err << "bazaar-node: not a subcommand\n"; return 2;
  }
}

}  // namespace bazaar::node::cli
