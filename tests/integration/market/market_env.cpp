#include "tests/integration/market/market_env.hpp"

#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/ss58.hpp"

#include <sstream>
#include <stdexcept>

namespace bazaar::test::market {

namespace tq = modules::task_queue;

namespace {

template <class T>
T value_or_throw(rpc::ClientResult<T> r, const std::string& what) {
  if (!r) throw std::runtime_error(what + ": " + r.error());
  return std::move(r).value();
}

}  // namespace

DevNode::DevNode(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--dev", "--tmp", "--rpc-port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  m_process = std::make_unique<Process>(binary("bazaar-node"), args, m_dir / "node.log");
  if (auto url = m_process->wait_for_log(std::regex(R"(RPC listening on (ws://[^\s]+))"), std::chrono::seconds(30)))
    m_url = *url;
}

rpc::ChainClient& DevNode::chain() {
  if (!m_chain) {
    if (!started()) throw std::runtime_error("the node did not start; its log:\n" + log());
    m_chain.emplace(value_or_throw(rpc::ChainClient::connect(m_url), "connect to " + m_url));
  }
  return *m_chain;
}

std::unique_ptr<Process> start_worker(const std::string& rpc_url, const std::string& suri,
                                      const std::filesystem::path& db, const std::filesystem::path& log,
                                      const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--rpc", rpc_url, "--provider-key", suri, "--db", db.string(), "-l", "worker=debug"};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<Process>(binary("bazaar-worker"), args, log);
}

CommandResult WalletCli::operator()(std::vector<std::string> args, std::chrono::milliseconds deadline) const {
  args.insert(args.begin(), {"--rpc", m_url});
  return run_command(binary("bazaar"), args, m_scratch, deadline);
}

std::string tail(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

std::optional<tq::TaskId> posted_task_id(const CommandResult& post) {
  for (const auto& j : json_lines(post.out))
    if (j.contains("task") && j["task"].is_number_unsigned()) return j["task"].get<tq::TaskId>();
  return std::nullopt;
}

runtime::u128 json_u128(const nlohmann::json& j) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_string()) {
    if (auto v = runtime::u128_from_string(j.get<std::string>())) return *v;
  }
  throw std::runtime_error("not an unsigned amount: " + j.dump());
}

runtime::AccountId32 account_of(const std::string& suri) {
  auto key = runtime::crypto::keypair_from_suri(suri);
  if (!key) throw std::runtime_error("bad SURI " + suri);
  return key.value().account_id();
}

std::string address_of(const std::string& suri) { return runtime::crypto::ss58_encode(account_of(suri)); }

BlockRef best_block(rpc::ChainClient& chain) {
  auto hash = value_or_throw(chain.best_hash(), "chain_getBlockHash");
  auto header = value_or_throw(chain.header(hash), "chain_getHeader");
  return {hash, header.number.value};
}

runtime::Balance free_balance(rpc::ChainClient& chain, const runtime::AccountId32& who,
                              const std::optional<runtime::H256>& at) {
  return value_or_throw(chain.read_at<modules::system::Account>(at, who), "System.Account").data.free;
}

std::optional<tq::Task> read_task(rpc::ChainClient& chain, tq::TaskId id) {
  return value_or_throw(chain.read<tq::Tasks>(id), "TaskQueue.Tasks");
}

std::optional<tq::Provider> read_provider(rpc::ChainClient& chain, const runtime::AccountId32& who) {
  return value_or_throw(chain.read<tq::Providers>(who), "TaskQueue.Providers");
}

tq::Params market_params(rpc::ChainClient& chain) {
  return value_or_throw(chain.read<tq::ParamsItem>(), "TaskQueue.Params");
}

std::vector<nlohmann::json> events_in(rpc::ChainClient& chain, runtime::BlockNumber first, runtime::BlockNumber last) {
  std::vector<nlohmann::json> out;
  for (runtime::BlockNumber n = first; n <= last; ++n) {
    auto hash = value_or_throw(chain.block_hash(n), "chain_getBlockHash(" + std::to_string(n) + ")");
    for (const auto& record : value_or_throw(chain.events(hash), "System.Events")) {
      auto j = modules::composition::event_to_json(record.event);
      j["block"] = n;
      out.push_back(std::move(j));
    }
  }
  return out;
}

std::vector<nlohmann::json> select_events(const std::vector<nlohmann::json>& events, const std::string& module,
                                          const std::string& event, const std::string& key,
                                          const nlohmann::json& value) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events) {
    if (e.value("module", "") != module || e.value("event", "") != event) continue;
    if (!key.empty() && (!e["fields"].contains(key) || e["fields"][key] != value)) continue;
    out.push_back(e);
  }
  return out;
}

runtime::Balance fees_paid(const std::vector<nlohmann::json>& events, const std::string& address, bool others) {
  runtime::Balance total = 0;
  for (const auto& e : select_events(events, "TransactionPayment", "TransactionFeePaid")) {
    bool is_who = e["fields"]["who"] == address;
    if (is_who != others) total += json_u128(e["fields"]["actualFee"]);
  }
  return total;
}

std::optional<tq::Task> wait_for_task(rpc::ChainClient& chain, tq::TaskId id, tq::TaskStatus status,
                                      std::chrono::milliseconds deadline) {
  std::optional<tq::Task> last;
  eventually(
      [&] {
        last = read_task(chain, id);
        return last && last->status == status;
      },
      deadline);
  return last;
}

bool wait_for_block(rpc::ChainClient& chain, runtime::BlockNumber number, std::chrono::milliseconds deadline) {
  return eventually([&] { return best_block(chain).number >= number; }, deadline);
}

}  // namespace bazaar::test::market
