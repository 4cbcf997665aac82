#include "rpc/chain_client/chain_client.hpp"

#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/extrinsic.hpp"

namespace bazaar::rpc {

using modules::composition::EventRecord;
using runtime::Bytes;
using runtime::H256;
namespace system = modules::system;

namespace {

ClientResult<H256> parse_hash(const nlohmann::json& j, std::string_view what) {
  if (j.is_string()) {
    if (auto h = runtime::fixed_from_hex<H256>(j.get<std::string>())) return *h;
  }
  return "node returned an invalid " + std::string(what) + ": " + j.dump();
}

ClientResult<uint64_t> parse_hex_number(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s.rfind("0x", 0) == 0 && s.size() > 2 && s.size() <= 18) {
      uint64_t v = 0;
      for (char c : s.substr(2)) {
        int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                : (c >= 'a' && c <= 'f')                     ? c - 'a' + 10
                : (c >= 'A' && c <= 'F')                     ? c - 'A' + 10
                                                             : -1;
        if (d < 0) return "invalid hex number " + s;
        v = v * 16 + static_cast<uint64_t>(d);
      }
      return v;
    }
  }
  return "invalid block number " + j.dump();
}

}  // namespace

ClientResult<runtime::Header> header_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return "invalid header JSON: " + j.dump();
  runtime::Header h;
  BAZAAR_TRY(h.parent_hash, parse_hash(j.value("parentHash", nlohmann::json()), "parentHash"));
  BAZAAR_TRY(auto number, parse_hex_number(j.value("number", nlohmann::json())));
  h.number.value = static_cast<runtime::BlockNumber>(number);
  BAZAAR_TRY(h.state_root, parse_hash(j.value("stateRoot", nlohmann::json()), "stateRoot"));
  BAZAAR_TRY(h.extrinsics_root, parse_hash(j.value("extrinsicsRoot", nlohmann::json()), "extrinsicsRoot"));
  const auto& logs = j.value("digest", nlohmann::json::object()).value("logs", nlohmann::json::array());
  for (const auto& log : logs) {
    auto bytes = log.is_string() ? runtime::from_hex(log.get<std::string>()) : std::nullopt;
    if (!bytes) return "invalid digest log " + log.dump();
    auto item = runtime::codec::decode<runtime::DigestItem>(*bytes);
    if (!item) return "undecodable digest log " + log.dump();
    h.digest.logs.push_back(std::move(item).value());
  }
  return h;
}

ClientResult<ChainClient> ChainClient::connect(const std::string& url, RpcClientOptions options) {
  auto rpc = RpcClient::connect(url, options);
  if (!rpc) return "cannot connect to " + url + ": " + rpc.error().message();
  return ChainClient(std::move(rpc).value());
}

ClientResult<nlohmann::json> ChainClient::call(const std::string& method, const nlohmann::json& params) {
  RpcCallError err;
  auto r = m_rpc.call(method, params, &err);
  // json converts from a string, so name success and failure explicitly.
  if (r) return outcome::success(std::move(r).value());
  if (r.error() == RpcClientError::CallFailed) return outcome::failure(method + ": " + err.to_string());
  return outcome::failure(method + ": " + r.error().message());
}

ClientResult<H256> ChainClient::genesis_hash() {
  if (!m_genesis) {
    BAZAAR_TRY(auto h, block_hash(0));
    m_genesis = h;
  }
  return *m_genesis;
}

ClientResult<H256> ChainClient::block_hash(runtime::BlockNumber number) {
  BAZAAR_TRY(auto j, call("chain_getBlockHash", {number}));
  if (j.is_null()) return "no block " + std::to_string(number);
  return parse_hash(j, "block hash");
}

ClientResult<H256> ChainClient::best_hash() {
  BAZAAR_TRY(auto j, call("chain_getBlockHash", nlohmann::json::array()));
  return parse_hash(j, "block hash");
}

ClientResult<H256> ChainClient::finalized_hash() {
  BAZAAR_TRY(auto j, call("chain_getFinalizedHead", nlohmann::json::array()));
  return parse_hash(j, "block hash");
}

ClientResult<runtime::Header> ChainClient::header(const std::optional<H256>& hash) {
  nlohmann::json params = nlohmann::json::array();
  if (hash) params.push_back(runtime::to_hex(*hash));
  BAZAAR_TRY(auto j, call("chain_getHeader", params));
  return header_from_json(j);
}

ClientResult<std::vector<Bytes>> ChainClient::block_extrinsics(const H256& hash) {
  BAZAAR_TRY(auto j, call("chain_getBlock", {runtime::to_hex(hash)}));
  std::vector<Bytes> out;
  if (!j.is_object() || !j.contains("block")) return "no block " + runtime::to_hex(hash);
  for (const auto& x : j["block"].value("extrinsics", nlohmann::json::array())) {
    auto bytes = x.is_string() ? runtime::from_hex(x.get<std::string>()) : std::nullopt;
    if (!bytes) return "invalid extrinsic in block: " + x.dump();
    out.push_back(std::move(*bytes));
  }
  return out;
}

ClientResult<runtime::Nonce> ChainClient::next_nonce(const runtime::AccountId32& who) {
  BAZAAR_TRY(auto j, call("system_accountNextIndex", {runtime::crypto::ss58_encode(who)}));
  if (!j.is_number_unsigned()) return "invalid nonce " + j.dump();
  return j.get<runtime::Nonce>();
}

ClientResult<std::optional<Bytes>> ChainClient::storage(const Bytes& key, const std::optional<H256>& at) {
  nlohmann::json params = {runtime::to_hex(key)};
  if (at) params.push_back(runtime::to_hex(*at));
  BAZAAR_TRY(auto j, call("state_getStorage", params));
  if (j.is_null()) return std::optional<Bytes>{};
  auto bytes = j.is_string() ? runtime::from_hex(j.get<std::string>()) : std::nullopt;
  if (!bytes) return "invalid storage value " + j.dump();
  return std::optional<Bytes>{std::move(*bytes)};
}

ClientResult<std::vector<Bytes>> ChainClient::storage_keys(const Bytes& prefix, const std::optional<H256>& at) {
  std::vector<Bytes> out;
  constexpr unsigned kPage = 1000;
  for (;;) {
    nlohmann::json params = {runtime::to_hex(prefix), kPage,
                             out.empty() ? nlohmann::json(nullptr) : nlohmann::json(runtime::to_hex(out.back()))};
    if (at) params.push_back(runtime::to_hex(*at));
    BAZAAR_TRY(auto j, call("state_getKeysPaged", params));
    if (!j.is_array()) return "invalid key list " + j.dump();
    for (const auto& k : j) {
      auto bytes = k.is_string() ? runtime::from_hex(k.get<std::string>()) : std::nullopt;
      if (!bytes) return "invalid key " + k.dump();
      out.push_back(std::move(*bytes));
    }
    if (j.size() < kPage) return out;
  }
}

ClientResult<std::vector<EventRecord>> ChainClient::events(const H256& at) {
  BAZAAR_TRY(auto raw, storage(system::Events::key(), at));
  if (!raw) return std::vector<EventRecord>{};
  auto decoded = modules::composition::decode_events(*raw);
  if (!decoded) return "cannot decode System.Events: " + decoded.error().message();
  return std::move(decoded).value();
}

ClientResult<Bytes> ChainClient::sign(const runtime::crypto::Keypair& signer,
                                      const modules::composition::RuntimeCall& call_value, const SubmitOptions& options) {
  BAZAAR_TRY(auto version, call("state_getRuntimeVersion", nlohmann::json::array()));
  BAZAAR_TRY(auto genesis, genesis_hash());
  runtime::Nonce nonce = 0;
  if (options.nonce) {
    nonce = *options.nonce;
  } else {
    BAZAAR_TRY(nonce, next_nonce(signer.account_id()));
  }
  runtime::SignedExtra extra;
  extra.nonce.value = nonce;
  extra.tip.value = options.tip;
  H256 era_block = genesis;
  if (options.mortal_period > 0) {
    BAZAAR_TRY(auto best, header());
    extra.era = runtime::Era::mortal(options.mortal_period, best.number.value);
    BAZAAR_TRY(era_block, block_hash(static_cast<runtime::BlockNumber>(extra.era.birth(best.number.value))));
  } else {
    extra.era = runtime::Era::immortal();
  }
  runtime::AdditionalSigned additional{version.value("specVersion", 0u), version.value("transactionVersion", 0u),
                                       genesis, era_block};
  auto xt = runtime::sign_extrinsic(signer, runtime::codec::encode(call_value), extra, additional);
  return runtime::encode_extrinsic(xt);
}

ClientResult<ExtrinsicReport> ChainClient::submit(const runtime::crypto::Keypair& signer,
                                                  const modules::composition::RuntimeCall& call_value,
                                                  const SubmitOptions& options) {
  BAZAAR_TRY(auto encoded, sign(signer, call_value, options));
  RpcCallError err;
  auto sub = m_rpc.subscribe("author_submitAndWatchExtrinsic", {runtime::to_hex(encoded)}, "author_unwatchExtrinsic", &err);
  if (!sub) {
    if (sub.error() == RpcClientError::CallFailed) return err.to_string();
    return "author_submitAndWatchExtrinsic: " + sub.error().message();
  }
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::optional<ExtrinsicReport> report;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::string("timed out waiting for the extrinsic to be included");
    auto status = sub.value().next(left);
    if (!status) return "watching the extrinsic: " + status.error().message();
    const auto& s = status.value();
    if (s.is_object() && s.contains("inBlock")) {
      BAZAAR_TRY(auto block, parse_hash(s["inBlock"], "block hash"));
      BAZAAR_TRY(auto r, report_for(encoded, block));
      if (!options.wait_finalized) return r;
      report = std::move(r);
    } else if (s.is_object() && s.contains("finalized")) {
      BAZAAR_TRY(auto block, parse_hash(s["finalized"], "block hash"));
      if (!report || report->block_hash != block) {
        BAZAAR_TRY(auto r, report_for(encoded, block));
        report = std::move(r);
      }
      report->finalized = true;
      return *report;
    } else if (s.is_object() && (s.contains("dropped") || s.contains("invalid") || s.contains("usurped"))) {
      return "the transaction was " + s.begin().key() + " by the pool";
    } else if (s == "dropped" || s == "invalid" || s == "usurped") {
      return "the transaction was " + s.get<std::string>() + " by the pool";
    }
  }
}

ClientResult<ExtrinsicReport> ChainClient::report_for(const Bytes& encoded, const H256& block_hash) {
  ExtrinsicReport r;
  r.hash = runtime::extrinsic_hash(encoded);
  r.block_hash = block_hash;
  BAZAAR_TRY(auto head, header(block_hash));
  r.block_number = head.number.value;
  BAZAAR_TRY(auto extrinsics, block_extrinsics(block_hash));
  auto it = std::find(extrinsics.begin(), extrinsics.end(), encoded);
  if (it == extrinsics.end()) return "the extrinsic is not in block " + runtime::to_hex(block_hash);
  r.index = static_cast<uint32_t>(it - extrinsics.begin());
  BAZAAR_TRY(auto all, events(block_hash));
  for (auto& e : all) {
    const auto* applied = std::get_if<runtime::framework::phase::ApplyExtrinsic>(&e.phase);
    if (!applied || applied->index != r.index) continue;
    std::visit(
        [&](const auto& me) {
          using M = typename std::decay_t<decltype(me)>::Module;
          if constexpr (std::is_same_v<M, system::Module>) {
            if (std::holds_alternative<system::ExtrinsicSuccess>(me.event)) r.success = true;
            if (const auto* f = std::get_if<system::ExtrinsicFailed>(&me.event))
              r.error = modules::composition::describe_error(f->dispatch_error);
          } else if constexpr (std::is_same_v<M, modules::transaction_payment::Module>) {
            if (const auto* p = std::get_if<modules::transaction_payment::TransactionFeePaid>(&me.event))
              r.fee = p->actual_fee;
          }
        },
        e.event.value);
    r.events.push_back(std::move(e));
  }
  return r;
}

}  // namespace bazaar::rpc
