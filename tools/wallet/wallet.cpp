#include "tools/wallet/wallet.hpp"

#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/units.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

namespace bazaar::tools::wallet {

rpc::ChainClient& Wallet::chain() {
  if (!m_chain) {
    auto c = rpc::ChainClient::connect(m_options.rpc_url);
    if (!c) throw CommandError{c.error()};
    m_chain.emplace(std::move(c).value());
  }
  return *m_chain;
}

const runtime::crypto::Keypair& Wallet::signer() {
  if (!m_signer) {
    if (m_options.signer.empty()) throw CommandError{"this command signs a transaction: give --signer SURI (e.g. //Alice)"};
    auto k = runtime::crypto::keypair_from_suri(m_options.signer);
    if (!k) throw CommandError{"invalid --signer: " + k.error().message()};
    m_signer.emplace(std::move(k).value());
  }
  return *m_signer;
}

runtime::AccountId32 Wallet::account(const std::string& text) {
  if (auto a = runtime::crypto::parse_account(text)) return a.value();
  if (text.rfind("//", 0) == 0 || text.find(' ') != std::string::npos) {
    if (auto k = runtime::crypto::keypair_from_suri(text)) return k.value().account_id();
  }
  throw CommandError{"not an address, account id or secret URI: " + text};
}

rpc::ExtrinsicReport Wallet::submit(const modules::composition::RuntimeCall& call, const std::string& what) {
  const auto& key = signer();
  if (!m_options.json)
    std::cout << what << ": submitting " << modules::composition::call_name(call) << " as "
              << runtime::crypto::ss58_encode(key.account_id()) << "\n";
  auto report = chain().submit(key, call);
  if (!report) throw CommandError{what + " was rejected: " + report.error()};
  const auto& r = report.value();
  if (m_options.json) {
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : r.events) events.push_back(modules::composition::event_to_json(e.event));
    std::cout << nlohmann::json{{"extrinsic", runtime::to_hex(r.hash)},
                                {"block", runtime::to_hex(r.block_hash)},
                                {"blockNumber", r.block_number},
                                {"success", r.success},
                                {"error", r.error},
                                {"fee", runtime::u128_to_string(r.fee)},
                                {"events", events}}
              << "\n";
  } else {
    std::cout << "  in block #" << r.block_number << " (" << runtime::to_hex(r.block_hash) << "), fee "
              << runtime::format_cc(r.fee) << "\n";
    for (const auto& e : r.events)
      std::cout << "    " << modules::composition::event_name(e.event) << " "
                << modules::composition::event_to_json(e.event)["fields"].dump() << "\n";
  }
  if (!r.success) throw CommandError{what + " failed: " + r.error};
  return r;
}

void Wallet::emit(const nlohmann::json& value, const std::vector<std::string>& human) {
  if (m_options.json) {
    std::cout << value.dump() << "\n";
  } else {
    for (const auto& line : human) std::cout << line << "\n";
  }
}

runtime::Balance parse_amount(const std::string& text, const std::string& what) {
  auto v = runtime::parse_cc(text);
  if (!v) throw CommandError{what + ": expected an amount in CC such as 1.5, got '" + text + "'"};
  return *v;
}

runtime::Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CommandError{"cannot read " + path};
  return runtime::Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace bazaar::tools::wallet
