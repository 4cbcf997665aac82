// bazaar tx MODULE CALL ARGS… | bazaar query MODULE ITEM [KEY…]
#include "tools/wallet/generic_commands.hpp"

#include <cctype>
#include <iostream>
#include <map>
#include <set>

#include "modules/composition/runtime.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/metadata/dynamic.hpp"
#include "runtime/primitives/units.hpp"

namespace bazaar::tools::wallet {

namespace md = runtime::metadata;
using nlohmann::json;

namespace {

constexpr const char* kTxUsage =
    "usage: bazaar tx MODULE CALL [ARG...] [--encode-only] [--suri SURI] [--tip UNITS] [--immortal]\n"
    "                 [--finalized] [--ss58] [--metadata FILE]\n"
    "  ARGs are JSON (numbers, \"strings\", {\"Variant\": ...}, [...]) or plain text:\n"
    "  accounts as SS58, 0x-hex or //Alice; amounts as base units or \"12.5 CC\"; bytes as 0x-hex or text.\n"
    "  --encode-only prints the call's hex (module index, call index, arguments) without signing.\n";
constexpr const char* kQueryUsage =
    "usage: bazaar query MODULE ITEM [KEY...] [--at HASH] [--ss58] [--metadata FILE]\n"
    "  prints the decoded value as JSON; a map with fewer KEYs than it has prints all its entries.\n";

/// Options and positional arguments of tx / query (positional values may start with '-').
struct Parsed {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;
  std::set<std::string> flags;
};

Parsed parse(const std::vector<std::string>& args, const std::set<std::string>& with_value,
             const std::set<std::string>& flags, const char* usage) {
  Parsed p;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (!options_done && a == "--") {
      options_done = true;
    } else if (!options_done && a == "--help") {
      std::cout << usage;
      std::exit(0);
    } else if (!options_done && with_value.count(a)) {
      if (i + 1 >= args.size()) throw CommandError{a + " needs a value\n" + usage};
      p.values[a] = args[++i];
    } else if (!options_done && flags.count(a)) {
      p.flags.insert(a);
    } else if (!options_done && a.rfind("--", 0) == 0) {
      throw CommandError{"unknown option " + a + "\n" + usage};
    } else {
      p.positional.push_back(a);
    }
  }
  return p;
}

/// The node's metadata (at a block, if given), or the one in --metadata FILE (hex or binary).
md::Registry load_registry(Wallet& w, const Parsed& p, const std::optional<runtime::H256>& at) {
  runtime::Bytes bytes;
  if (auto it = p.values.find("--metadata"); it != p.values.end()) {
    bytes = read_file(it->second);
    std::string text(bytes.begin(), bytes.end());
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    if (text.rfind("0x", 0) == 0) {
      auto decoded = runtime::from_hex(text);
      if (!decoded) throw CommandError{it->second + ": not valid hex"};
      bytes = std::move(*decoded);
    }
  } else {
    json params = json::array();
    if (at) params.push_back(runtime::to_hex(*at));
    rpc::RpcCallError err;
    auto r = w.chain().rpc().call("state_getMetadata", params, &err);
    if (!r) {
      throw CommandError{"state_getMetadata: " +
                         (r.error() == rpc::RpcClientError::CallFailed ? err.to_string() : r.error().message())};
    }
    auto decoded = r.value().is_string() ? runtime::from_hex(r.value().get<std::string>()) : std::nullopt;
    if (!decoded) throw CommandError{"state_getMetadata returned no metadata hex"};
    bytes = std::move(*decoded);
  }
  auto registry = md::Registry::from_bytes(bytes);
  if (!registry) throw CommandError{"cannot read the runtime metadata: " + registry.error().what()};
  return std::move(registry).value();
}

template <class T>
T check(md::DynamicResult<T> r) {
  if (!r) throw CommandError{r.error().what()};
  return std::move(r).value();
}

md::DecodeOptions decode_options(const md::Registry& r, const Parsed& p) {
  return md::DecodeOptions{p.flags.count("--ss58") > 0, r.ss58_prefix()};
}

/// The events of a report decoded through the metadata.
json decoded_events(const md::Registry& r, const rpc::ExtrinsicReport& report, const md::DecodeOptions& options) {
  json out = json::array();
  for (const auto& record : report.events) {
    runtime::Bytes bytes = runtime::codec::encode(record.event);
    runtime::codec::Decoder d(bytes);
    auto e = md::decode_event(r, d, options);
    out.push_back(e ? e.value() : json{{"undecodable", runtime::to_hex(bytes)}, {"error", e.error().what()}});
  }
  return out;
}

/// Base units ("1500") or CC ("1.5 CC", "1.5").
runtime::Balance parse_units(std::string text, const std::string& what) {
  bool cc = text.find('.') != std::string::npos;
  if (text.size() > 2 && text.ends_with("CC")) {
    text.resize(text.size() - 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    cc = true;
  }
  auto v = cc ? runtime::parse_cc(text) : runtime::u128_from_string(text);
  if (!v) throw CommandError{what + ": expected base units (1500) or CC (\"1.5 CC\"), got '" + text + "'"};
  return *v;
}

}  // namespace

json parse_cli_value(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return text;
  if (j.is_number_float()) {
    bool integral = !text.empty();
    for (std::size_t i = 0; i < text.size(); ++i)
      integral = integral && (std::isdigit(static_cast<unsigned char>(text[i])) || (i == 0 && text[i] == '-'));
    if (integral) return text;  // beyond 64 bits: keep every digit
  }
  return j;
}

int run_tx(Wallet& w, const std::vector<std::string>& args) {
  auto p = parse(args, {"--suri", "--signer", "--tip", "--metadata", "--nonce"},
                 {"--encode-only", "--immortal", "--finalized", "--ss58"}, kTxUsage);
  if (p.positional.size() < 2) {
    if (p.positional.size() == 1) {
      auto registry = load_registry(w, p, std::nullopt);
      auto pallet = check(registry.pallet(p.positional[0]));
      throw CommandError{"give a CALL: the calls of " + pallet->name + " are " + registry.call_names(*pallet)};
    }
    throw CommandError{kTxUsage};
  }
  auto registry = load_registry(w, p, std::nullopt);
  json call_args = json::array();
  for (std::size_t i = 2; i < p.positional.size(); ++i) call_args.push_back(parse_cli_value(p.positional[i]));
  runtime::Bytes call = check(md::encode_call(registry, p.positional[0], p.positional[1], call_args));
  auto options = decode_options(registry, p);
  json described = check(md::decode_call(registry, call, options));

  if (p.flags.count("--encode-only")) {
    if (w.options().json) {
      described["callHex"] = runtime::to_hex(call);
      std::cout << described.dump() << "\n";
    } else {
      std::cout << runtime::to_hex(call) << "\n";
    }
    return 0;
  }

  // Sign with the wallet's runtime types: the call must be one this wallet knows.
  auto static_call = runtime::codec::decode<modules::composition::RuntimeCall>(call);
  if (!static_call)
    throw CommandError{"the node's runtime has a call this wallet cannot sign (" + static_call.error().message() +
                       "); use --encode-only and sign elsewhere"};
  std::optional<runtime::crypto::Keypair> own_key;
  std::string suri = p.values.count("--suri")     ? p.values["--suri"]
                     : p.values.count("--signer") ? p.values["--signer"]
                                                  : "";
  if (!suri.empty()) {
    auto k = runtime::crypto::keypair_from_suri(suri);
    if (!k) throw CommandError{"invalid --suri: " + k.error().message()};
    own_key.emplace(std::move(k).value());
  }
  const auto& key = own_key ? *own_key : w.signer();

  rpc::SubmitOptions submit;
  if (p.values.count("--tip")) submit.tip = parse_units(p.values["--tip"], "--tip");
  if (p.flags.count("--immortal")) submit.mortal_period = 0;
  submit.wait_finalized = p.flags.count("--finalized") > 0;
  if (p.values.count("--nonce")) {
    auto n = parse_cli_value(p.values["--nonce"]);
    if (!n.is_number_unsigned() || n.get<uint64_t>() > UINT32_MAX) throw CommandError{"--nonce: expected a u32"};
    submit.nonce = n.get<runtime::Nonce>();
  }
  std::string name = described["module"].get<std::string>() + "." + described["call"].get<std::string>();
  if (!w.options().json)
    std::cout << "submitting " << name << " " << described["args"].dump() << " as "
              << runtime::crypto::ss58_encode(key.account_id(), registry.ss58_prefix()) << "\n";
  auto report = w.chain().submit(key, static_call.value(), submit);
  if (!report) throw CommandError{name + " was rejected: " + report.error()};
  const auto& r = report.value();
  json events = decoded_events(registry, r, options);
  if (w.options().json) {
    std::cout << json{{"extrinsic", runtime::to_hex(r.hash)},
                      {"block", runtime::to_hex(r.block_hash)},
                      {"blockNumber", r.block_number},
                      {"finalized", r.finalized},
                      {"success", r.success},
                      {"error", r.error},
                      {"fee", runtime::u128_to_string(r.fee)},
                      {"events", events}}
              << "\n";
  } else {
    std::cout << "  " << (r.finalized ? "finalized" : "in block") << " #" << r.block_number << " ("
              << runtime::to_hex(r.block_hash) << "), extrinsic " << runtime::to_hex(r.hash) << ", fee "
              << runtime::format_cc(r.fee) << "\n";
    for (const auto& e : events) {
      if (e.contains("module"))
        std::cout << "    " << e["module"].get<std::string>() << "." << e["event"].get<std::string>() << " "
                  << e["fields"].dump() << "\n";
      else
        std::cout << "    " << e.dump() << "\n";
    }
  }
  if (!r.success) throw CommandError{name + " failed: " + r.error};
  return 0;
}

int run_query(Wallet& w, const std::vector<std::string>& args) {
  auto p = parse(args, {"--at", "--metadata"}, {"--ss58"}, kQueryUsage);
  std::optional<runtime::H256> at;
  if (p.values.count("--at")) {
    at = runtime::fixed_from_hex<runtime::H256>(p.values["--at"]);
    if (!at) throw CommandError{"--at: expected a block hash (0x + 64 hex digits)"};
  }
  if (p.positional.size() < 2) {
    if (p.positional.size() == 1) {
      auto registry = load_registry(w, p, at);
      auto pallet = check(registry.pallet(p.positional[0]));
      throw CommandError{"give an ITEM: the storage items of " + pallet->name + " are " +
                         registry.storage_names(*pallet)};
    }
    throw CommandError{kQueryUsage};
  }
  auto registry = load_registry(w, p, at);
  const auto* pallet = check(registry.pallet(p.positional[0]));
  const auto* entry = check(registry.storage(*pallet, p.positional[1]));
  json keys = json::array();
  for (std::size_t i = 2; i < p.positional.size(); ++i) keys.push_back(parse_cli_value(p.positional[i]));
  auto options = decode_options(registry, p);
  auto print = [&](const json& value) { std::cout << (w.options().json ? value.dump() : value.dump(2)) << "\n"; };

  std::size_t count = md::storage_key_count(*entry);
  if (keys.size() > count)
    throw CommandError{pallet->name + "." + entry->name + " takes " + std::to_string(count) + " keys, got " +
                       std::to_string(keys.size())};
  // A single key of a map whose key type is itself an array: storage_key takes it as that key.
  json key_arg = count == 1 && keys.size() == 1 ? keys[0] : keys;
  runtime::Bytes key = check(md::storage_key(registry, pallet->name, entry->name, key_arg));
  if (keys.size() == count) {
    auto raw = w.chain().storage(key, at);
    if (!raw) throw CommandError{raw.error()};
    print(check(md::decode_storage_value(registry, pallet->name, entry->name, raw.value(), options)));
    return 0;
  }
  auto all = w.chain().storage_keys(key, at);
  if (!all) throw CommandError{all.error()};
  json entries = json::array();
  for (const auto& k : all.value()) {
    auto raw = w.chain().storage(k, at);
    if (!raw) throw CommandError{raw.error()};
    entries.push_back(
        json{{"keys", check(md::decode_storage_keys(registry, *entry, k, options))},
             {"value", check(md::decode_storage_value(registry, pallet->name, entry->name, raw.value(), options))}});
  }
  print(entries);
  return 0;
}

}  // namespace bazaar::tools::wallet
