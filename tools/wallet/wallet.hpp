#pragma once
// The `bazaar` wallet CLI: shared state of one invocation and the command
// groups. Commands build and sign extrinsics themselves (rpc/chain_client)
// and follow them with author_submitAndWatchExtrinsic, printing the events.

#include "rpc/chain_client/chain_client.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace bazaar::tools::wallet {

/// A command failed: the message is printed and the exit code is 1.
struct CommandError {
  std::string message;
};

struct GlobalOptions {
  std::string rpc_url = "ws://127.0.0.1:9944";
  std::string signer;  ///< SURI of the signing key
  bool json = false;
};

class Wallet {
 public:
  explicit Wallet(GlobalOptions options) : m_options(std::move(options)) {}

  const GlobalOptions& options() const { return m_options; }
  /// Connects on first use. Throws CommandError.
  rpc::ChainClient& chain();
  /// The --signer key. Throws CommandError when missing or invalid.
  const runtime::crypto::Keypair& signer();
  /// An SS58 address, 0x-hex account id, or a SURI (//Alice). Throws CommandError.
  runtime::AccountId32 account(const std::string& text);
  /// Signs, submits and follows `call`; prints the outcome and events. Throws
  /// CommandError when the node rejects it or the call fails.
  rpc::ExtrinsicReport submit(const modules::composition::RuntimeCall& call, const std::string& what);
  /// Prints a JSON value (--json) or the human lines.
  void emit(const nlohmann::json& value, const std::vector<std::string>& human);

 private:
  GlobalOptions m_options;
  std::optional<rpc::ChainClient> m_chain;
  std::optional<runtime::crypto::Keypair> m_signer;
};

/// Parses an amount in CC ("1.5"). Throws CommandError.
runtime::Balance parse_amount(const std::string& text, const std::string& what);
/// Reads a whole file. Throws CommandError.
runtime::Bytes read_file(const std::string& path);

int run_key(Wallet& w, const std::vector<std::string>& args);
int run_balance(Wallet& w, const std::vector<std::string>& args);
int run_transfer(Wallet& w, const std::vector<std::string>& args);
int run_program(Wallet& w, const std::vector<std::string>& args);
int run_provider(Wallet& w, const std::vector<std::string>& args);
int run_task(Wallet& w, const std::vector<std::string>& args);

}  // namespace bazaar::tools::wallet
