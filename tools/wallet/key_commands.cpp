// bazaar key generate | inspect
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"
#include "tools/wallet/args.hpp"

#include <sstream>

namespace bazaar::tools::wallet {
namespace {

void print_key(Wallet& w, const runtime::crypto::Keypair& key, const std::string& suri, const std::string& phrase) {
  nlohmann::json j{{"secretUri", suri},
                   {"secretSeed", runtime::to_hex(runtime::ByteSpan(key.secret()))},
                   {"publicKey", runtime::to_hex(key.public_key())},
                   {"accountId", runtime::to_hex(key.account_id())},
                   {"ss58Address", runtime::crypto::ss58_encode(key.account_id())},
                   {"scheme", "ecdsa"}};
  std::vector<std::string> lines;
  if (!phrase.empty()) {
    j["secretPhrase"] = phrase;
    lines.push_back("Secret phrase:       " + phrase);
  }
  lines.push_back("Secret URI:          " + suri);
  lines.push_back("Secret seed:         " + j["secretSeed"].get<std::string>());
  lines.push_back("Public key (ecdsa):  " + j["publicKey"].get<std::string>());
  lines.push_back("Account ID:          " + j["accountId"].get<std::string>());
  lines.push_back("SS58 Address:        " + j["ss58Address"].get<std::string>());
  w.emit(j, lines);
}

}  // namespace

int run_key(Wallet& w, const std::vector<std::string>& args) {
  if (args.empty()) throw CommandError{"usage: bazaar key generate [--words 12|24] | bazaar key inspect SURI"};
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "generate") {
    po::options_description desc("bazaar key generate");
    desc.add_options()("words", po::value<unsigned>()->default_value(12), "12, 15, 18, 21 or 24 words");
    auto vm = parse_args(rest, desc);
    unsigned words = vm["words"].as<unsigned>();
    if (words < 12 || words > 24 || words % 3 != 0) throw CommandError{"--words must be 12, 15, 18, 21 or 24"};
    std::string phrase = runtime::crypto::generate_mnemonic(words);
    auto key = runtime::crypto::keypair_from_suri(phrase);
    if (!key) throw CommandError{"key derivation failed: " + key.error().message()};
    print_key(w, key.value(), phrase, phrase);
    return 0;
  }
  if (args[0] == "inspect") {
    po::options_description desc("bazaar key inspect SURI");
    desc.add_options()("suri", po::value<std::string>()->required(), "//Alice, a phrase[//hard][///password], 0x seed");
    po::positional_options_description pos;
    pos.add("suri", 1);
    auto vm = parse_args(rest, desc, pos);
    std::string suri = vm["suri"].as<std::string>();
    auto key = runtime::crypto::keypair_from_suri(suri);
    if (!key) throw CommandError{"invalid secret URI: " + key.error().message()};
    print_key(w, key.value(), suri, "");
    return 0;
  }
  throw CommandError{"unknown key command '" + args[0] + "' (generate, inspect)"};
}

}  // namespace bazaar::tools::wallet
