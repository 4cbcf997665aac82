// bazaar: the wallet CLI (DESIGN.md: wallets submit signed extrinsics and read
// state over JSON-RPC).

#include "tools/wallet/args.hpp"
#include "tools/wallet/channel_commands.hpp"
#include "tools/wallet/generic_commands.hpp"

#include <iostream>

using namespace bazaar::tools::wallet;

namespace {
constexpr const char* kUsage = R"(usage: bazaar [--rpc URL] [--signer SURI] [--json] COMMAND ...

commands:
  key generate [--words N]           a new key (BIP39 phrase, ECDSA)
  key inspect SURI                   the key of //Alice, a phrase or a 0x seed
  balance [ADDRESS]                  free, reserved and held balance
  transfer DEST AMOUNT               send CC (keeps the sender alive; --allow-death)
  program upload FILE                store a wasm32-wasi program on chain
  provider register --stake CC --price CC [--capability C] [--endpoint E]
  provider update | unregister | info [ADDRESS]
  task post --program FILE|HASH --input FILE --bounty CC [--fuel N] [--deadline BLOCKS]
            [--wait [--accept] [--output FILE]]
  task status ID [--output FILE] | task accept ID | task cancel ID
  task run --channel ID --program FILE|HASH --input FILE [--input-lines FILE]   over a payment channel
  channel open PROVIDER --deposit CC [--challenge-period N] | fund ID --deposit CC | top-up ID --amount CC
  channel list | close ID [--timeout S] | settle ID | watch      (--store DIR: the channel store)
  tx MODULE CALL [ARG...] [--encode-only]   any call, built from the node's metadata
  query MODULE ITEM [KEY...] [--at HASH]   any storage item, decoded as JSON

global options:
  --rpc URL      node WebSocket endpoint (default ws://127.0.0.1:9944)
  --signer SURI  key that signs transactions (e.g. //Alice)
  --json         machine-readable output
)";
}  // namespace

int main(int argc, char** argv) {
  GlobalOptions global;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= args.size()) {
        std::cerr << "bazaar: " << name << " needs a value\n";
        std::exit(2);
      }
      return args[++i];
    };
    if (!rest.empty()) {
      rest.push_back(a);
    } else if (a == "--rpc") {
      global.rpc_url = value("--rpc");
    } else if (a == "--signer") {
      global.signer = value("--signer");
    } else if (a == "--json") {
      global.json = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      rest.push_back(a);
    }
  }
  if (rest.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  Wallet wallet(global);
  std::string command = rest[0];
  std::vector<std::string> sub(rest.begin() + 1, rest.end());
  try {
    if (command == "key") return run_key(wallet, sub);
    if (command == "balance") return run_balance(wallet, sub);
    if (command == "transfer") return run_transfer(wallet, sub);
    if (command == "program") return run_program(wallet, sub);
    if (command == "provider") return run_provider(wallet, sub);
    if (command == "task" && !sub.empty() && sub[0] == "run") return run_channel_task(wallet, sub);
    if (command == "task") return run_task(wallet, sub);
    if (command == "channel") return run_channel(wallet, sub);
    if (command == "tx") return run_tx(wallet, sub);
    if (command == "query") return run_query(wallet, sub);
    std::cerr << "bazaar: unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const CommandError& e) {
    std::cerr << "bazaar: " << e.message << "\n";
    return 1;
  }
}
