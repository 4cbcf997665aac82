#include "node/offchain/channels/protocol.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::node::offchain::channels {

using runtime::Balance;
using runtime::H256;

namespace {

std::optional<H256> hash_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return runtime::fixed_from_hex<H256>(it->get<std::string>());
}

std::optional<Balance> balance_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return std::nullopt;
  if (it->is_string()) return runtime::u128_from_string(it->get<std::string>());
  if (it->is_number_unsigned()) return Balance(it->get<uint64_t>());
  return std::nullopt;
}

std::optional<uint64_t> u64_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<uint64_t>();
}

std::optional<runtime::Bytes> bytes_field(const nlohmann::json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return runtime::from_hex(it->get<std::string>());
}

std::optional<EcdsaSignature> sig_from(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  return runtime::fixed_from_hex<EcdsaSignature>(j.get<std::string>());
}

}  // namespace

H256 direct_task_id(const pc::ChannelId& channel, uint64_t version, const DirectTask& task) {
  constexpr std::string_view kDomain = "bazaar/direct-task";
  runtime::Bytes pre(kDomain.begin(), kDomain.end());
  pre.insert(pre.end(), channel.span().begin(), channel.span().end());
  auto v = runtime::codec::encode(version);
  pre.insert(pre.end(), v.begin(), v.end());
  pre.insert(pre.end(), task.program.span().begin(), task.program.span().end());
  auto input_hash = runtime::crypto::blake2b_256(task.input);
  pre.insert(pre.end(), input_hash.span().begin(), input_hash.span().end());
  auto f = runtime::codec::encode(task.fuel);
  pre.insert(pre.end(), f.begin(), f.end());
  return runtime::crypto::blake2b_256(pre);
}

nlohmann::json state_to_json(const pc::ChannelState& s) {
  return {{"channelId", runtime::to_hex(s.channel_id)},
          {"version", s.version},
          {"balanceA", runtime::u128_to_string(s.balance_a)},
          {"balanceB", runtime::u128_to_string(s.balance_b)},
          {"tasksRoot", runtime::to_hex(s.tasks_root)}};
}

std::optional<pc::ChannelState> state_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  auto id = hash_field(j, "channelId");
  auto version = u64_field(j, "version");
  auto a = balance_field(j, "balanceA");
  auto b = balance_field(j, "balanceB");
  auto root = hash_field(j, "tasksRoot");
  if (!id || !version || !a || !b || !root) return std::nullopt;
  return pc::ChannelState{*id, *version, *a, *b, *root};
}

nlohmann::json task_to_json(const DirectTask& t) {
  nlohmann::json j = {{"program", runtime::to_hex(t.program)}, {"input", runtime::to_hex(t.input)}, {"fuel", t.fuel}};
  if (t.code) j["code"] = runtime::to_hex(*t.code);
  return j;
}

std::optional<DirectTask> task_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  auto program = hash_field(j, "program");
  auto input = bytes_field(j, "input");
  auto fuel = u64_field(j, "fuel");
  if (!program || !input || !fuel) return std::nullopt;
  DirectTask t{*program, std::move(*input), *fuel, std::nullopt};
  if (j.contains("code")) {
    auto code = bytes_field(j, "code");
    if (!code) return std::nullopt;
    t.code = std::move(*code);
  }
  return t;
}

nlohmann::json signed_state_to_json(const SignedState& s) {
  return {{"state", state_to_json(s.state)}, {"sigA", runtime::to_hex(s.sig_a)}, {"sigB", runtime::to_hex(s.sig_b)}};
}

std::optional<SignedState> signed_state_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("state") || !j.contains("sigA") || !j.contains("sigB")) return std::nullopt;
  auto state = state_from_json(j["state"]);
  auto a = sig_from(j["sigA"]);
  auto b = sig_from(j["sigB"]);
  if (!state || !a || !b) return std::nullopt;
  return SignedState{*state, *a, *b};
}

nlohmann::json entry_to_json(const pc::TaskEntry& e) {
  return {{"taskId", runtime::to_hex(e.task_id)},
          {"resultHash", runtime::to_hex(e.result_hash)},
          {"price", runtime::u128_to_string(e.price)}};
}

std::optional<pc::TaskEntry> entry_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  auto id = hash_field(j, "taskId");
  auto result = hash_field(j, "resultHash");
  auto price = balance_field(j, "price");
  if (!id || !result || !price) return std::nullopt;
  return pc::TaskEntry{*id, *result, *price};
}

nlohmann::json reply_to_json(const TaskReply& r) {
  return {{"output", runtime::to_hex(r.output)},
          {"resultHash", runtime::to_hex(r.result_hash)},
          {"fuelUsed", r.fuel_used},
          {"providerSig", runtime::to_hex(r.provider_sig)}};
}

nlohmann::json refusal_to_json(const Refusal& r) {
  return {{"error", static_cast<int>(r.error)}, {"name", to_string(r.error)}, {"reason", r.reason}};
}

std::optional<std::variant<TaskReply, Refusal>> reply_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  if (j.contains("error")) {
    const auto& e = j["error"];
    if (!e.is_number_integer()) return std::nullopt;
    auto code = e.get<int>();
    if (code < 1 || code > static_cast<int>(ChannelError::Unreachable)) return std::nullopt;
    return std::variant<TaskReply, Refusal>(Refusal{static_cast<ChannelError>(code), j.value("reason", "")});
  }
  auto output = bytes_field(j, "output");
  auto hash = hash_field(j, "resultHash");
  auto fuel = u64_field(j, "fuelUsed");
  auto sig = j.contains("providerSig") ? sig_from(j["providerSig"]) : std::nullopt;
  if (!output || !hash || !fuel || !sig) return std::nullopt;
  return std::variant<TaskReply, Refusal>(TaskReply{std::move(*output), *hash, *fuel, *sig});
}

pc::ChannelState opening_state(const pc::ChannelId& id, Balance deposit_a, Balance deposit_b) {
  return pc::ChannelState{id, 0, deposit_a, deposit_b, H256{}};
}

Result<Balance> check_payment(const pc::ChannelState& prev, const pc::ChannelState& next, const pc::ChannelId& id,
                              Balance total, bool payer_is_a, Balance price) {
  if (next.channel_id != id) return ChannelError::WrongChannelId;
  if (next.version != prev.version + 1) return ChannelError::VersionNotNext;
  if (next.balance_a > total || next.balance_b != total - next.balance_a) return ChannelError::BalanceMismatch;
  Balance payer_prev = payer_is_a ? prev.balance_a : prev.balance_b;
  Balance payer_next = payer_is_a ? next.balance_a : next.balance_b;
  if (payer_next > payer_prev) return ChannelError::WrongDirection;
  Balance paid = payer_prev - payer_next;
  if (paid < price) return ChannelError::Underpaid;
  return paid;
}

std::optional<pc::ChannelState> rebase_on_deposits(const pc::ChannelState& s,
                                                   const std::vector<pc::DepositRecord>& deposits) {
  if (deposits.empty()) return s;
  const Balance sum = s.balance_a + s.balance_b;
  if (sum < s.balance_a) return std::nullopt;  // overflow: sums to nothing
  Balance running = 0;
  std::size_t k = 0;
  for (; k < deposits.size() && running != sum; ++k) running += deposits[k].amount;
  if (running != sum) return std::nullopt;
  pc::ChannelState out = s;
  for (; k < deposits.size(); ++k) {
    if (deposits[k].party == pc::Party::A) out.balance_a += deposits[k].amount;
    else out.balance_b += deposits[k].amount;
  }
  return out;
}

Result<void> check_final(const pc::ChannelState& prev, const pc::ChannelState& final_state, const pc::ChannelId& id) {
  if (final_state.channel_id != id) return ChannelError::WrongChannelId;
  if (final_state.version != prev.version + 1) return ChannelError::VersionNotNext;
  if (final_state.balance_a != prev.balance_a || final_state.balance_b != prev.balance_b)
    return ChannelError::BalancesChanged;
  return outcome::success();
}

}  // namespace bazaar::node::offchain::channels
