// bazaar channel open | fund | top-up | list | close | settle | watch, and
// bazaar task run --channel (see channel_commands.hpp).
#include "tools/wallet/channel_commands.hpp"

#include "modules/composition/runtime.hpp"
#include "node/offchain/channels/chain_view.hpp"
#include "node/offchain/channels/requester.hpp"
#include "node/offchain/channels/watcher.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/units.hpp"
#include "tools/wallet/args.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace bazaar::tools::wallet {

namespace ch = node::offchain::channels;
namespace pc = modules::payment_channel;
namespace tq = modules::task_queue;
using modules::composition::make_call;
using runtime::format_cc;
using runtime::crypto::ss58_encode;

namespace {

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted = true; }

std::string default_store() {
  if (const char* env = std::getenv("BAZAAR_CHANNEL_STORE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return (std::filesystem::path(home && *home ? home : ".") / ".bazaar" / "channels").string();
}

void add_store_option(po::options_description& desc, std::string& store) {
  desc.add_options()("store", po::value(&store)->default_value(default_store()),
                     "the requester's channel store (LevelDB directory)");
}

/// Opens the store; `bazaar channel watch` holds it for a moment at each block, so retry for a while.
std::unique_ptr<ch::ChannelStore> open_store(const std::string& dir) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    auto store = ch::ChannelStore::open(dir);
    if (store) return std::move(store).value();
    if (std::chrono::steady_clock::now() > until)
      throw CommandError{"cannot open the channel store " + dir + ": " + store.error().message()};
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

pc::ChannelId parse_id(const std::string& text) {
  auto id = runtime::fixed_from_hex<pc::ChannelId>(text);
  if (!id) throw CommandError{"not a channel id (0x + 64 hex digits): " + text};
  return *id;
}

template <class T>
T value_or_throw(rpc::ClientResult<T> r) {
  if (!r) throw CommandError{r.error()};
  return std::move(r).value();
}

/// The live channel on chain. Throws CommandError when it does not exist.
pc::Channel live_channel(Wallet& w, const pc::ChannelId& id) {
  auto c = value_or_throw(w.chain().read<pc::Channels>(id));
  if (!c) throw CommandError{"channel " + runtime::to_hex(id) + " is not open on chain (never opened, or closed)"};
  return *c;
}

/// Calls f for each PaymentChannel event of `report`.
template <class F>
void for_each_channel_event(const rpc::ExtrinsicReport& report, F&& f) {
  for (const auto& e : report.events) {
    std::visit(
        [&](const auto& me) {
          using M = typename std::decay_t<decltype(me)>::Module;
          if constexpr (std::is_same_v<M, pc::Module>) std::visit(f, me.event);
        },
        e.event.value);
  }
}

/// "block #N (about 2026-11-21 22:40:05 UTC, in ~12 s)": when the chain reaches `block`, from
/// the best block's timestamp and the slot duration.
std::string when_block(Wallet& w, runtime::BlockNumber block) {
  auto& chain = w.chain();
  auto head = value_or_throw(chain.header());
  auto now_ms = value_or_throw(chain.read<modules::timestamp::Now>());
  auto slot_ms = value_or_throw(chain.read<modules::aura::SlotDuration>());
  std::string out = "block #" + std::to_string(block);
  if (block <= head.number.value) return out + " (already reached)";
  uint64_t ahead_ms = static_cast<uint64_t>(block - head.number.value) * slot_ms;
  std::time_t t = static_cast<std::time_t>((now_ms + ahead_ms) / 1000);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return out + " (about " + text + ", in ~" + std::to_string((ahead_ms + 999) / 1000) + " s)";
}

void mark_status(ch::ChannelStore& store, const pc::ChannelId& id, ch::LocalStatus status) {
  auto stored = store.load(id);
  if (!stored) return;
  stored->meta.status = status;
  if (auto r = store.commit({ch::ChannelUpdate{id, stored->meta, std::nullopt, 0, {}}}); !r)
    throw CommandError{"cannot write the channel store: " + r.error().message()};
}

nlohmann::json payout_json(const pc::ChannelId& id, uint64_t version, runtime::Balance a, runtime::Balance b,
                           runtime::BlockNumber block, const char* how) {
  return {{"channel", runtime::to_hex(id)}, {"closed", how},          {"version", version},
          {"payoutA", runtime::u128_to_string(a)}, {"payoutB", runtime::u128_to_string(b)}, {"block", block}};
}

int channel_open(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar channel open PROVIDER --deposit CC [options]");
  std::string provider_text, deposit, endpoint, store_dir;
  runtime::BlockNumber period = 20;
  desc.add_options()("provider", po::value(&provider_text)->required(), "the provider's address")
      ("deposit", po::value(&deposit)->required(), "your deposit in CC")
      ("challenge-period", po::value(&period)->default_value(period), "blocks a unilateral close can be challenged")
      ("endpoint", po::value(&endpoint), "the provider's direct endpoint (default: its on-chain record's)");
  add_store_option(desc, store_dir);
  po::positional_options_description pos;
  pos.add("provider", 1);
  parse_args(args, desc, pos);
  auto provider = w.account(provider_text);
  if (endpoint.empty()) {
    auto record = value_or_throw(w.chain().read<tq::Providers>(provider));
    if (record) endpoint.assign(record->endpoint.items.begin(), record->endpoint.items.end());
    if (endpoint.empty())
      throw CommandError{"the provider has no endpoint on chain; give --endpoint ws://HOST:PORT"};
  }
  auto store = open_store(store_dir);
  auto genesis = value_or_throw(w.chain().genesis_hash());
  pc::OpenChannel call;
  call.counterparty = runtime::MultiAddressId{provider};
  call.deposit.value = parse_amount(deposit, "--deposit");
  call.challenge_period_blocks = period;
  auto report = w.submit(make_call<pc::Module>(call), "open channel");
  std::optional<pc::ChannelId> id;
  for_each_channel_event(report, [&](const auto& ev) {
    if constexpr (std::is_same_v<std::decay_t<decltype(ev)>, pc::ChannelOpened>) id = ev.channel_id;
  });
  if (!id) throw CommandError{"open_channel succeeded but no ChannelOpened event was found"};
  ch::ChannelMeta meta{*id, genesis, w.signer().account_id(), provider, ch::Role::Requester, endpoint,
                       ch::LocalStatus::Open};
  if (auto r = store->commit({ch::ChannelUpdate{*id, meta, std::nullopt, 0, {}}}); !r)
    throw CommandError{"cannot write the channel store: " + r.error().message()};
  w.emit({{"channel", runtime::to_hex(*id)}, {"provider", ss58_encode(provider)}, {"endpoint", endpoint},
          {"deposit", runtime::u128_to_string(call.deposit.value)}, {"challengePeriod", period},
          {"block", report.block_number}},
         {"channel " + runtime::to_hex(*id) + " opened with " + ss58_encode(provider),
          "  deposit " + format_cc(call.deposit.value) + ", challenge period " + std::to_string(period) +
              " blocks, provider endpoint " + endpoint});
  return 0;
}

int channel_deposit(Wallet& w, const std::vector<std::string>& args, bool fund) {
  po::options_description desc(fund ? "bazaar channel fund ID --deposit CC" : "bazaar channel top-up ID --amount CC");
  std::string id_text, amount;
  desc.add_options()("id", po::value(&id_text)->required(), "the channel id")
      (fund ? "deposit" : "amount", po::value(&amount)->required(), "amount in CC");
  po::positional_options_description pos;
  pos.add("id", 1);
  parse_args(args, desc, pos);
  auto id = parse_id(id_text);
  auto value = parse_amount(amount, fund ? "--deposit" : "--amount");
  rpc::ExtrinsicReport report;
  if (fund) {
    pc::FundChannel call;
    call.channel_id = id;
    call.deposit.value = value;
    report = w.submit(make_call<pc::Module>(call), "fund channel");
  } else {
    pc::TopUp call;
    call.channel_id = id;
    call.amount.value = value;
    report = w.submit(make_call<pc::Module>(call), "top up channel");
  }
  auto c = live_channel(w, id);
  w.emit({{"channel", runtime::to_hex(id)}, {"depositA", runtime::u128_to_string(c.deposit_a)},
          {"depositB", runtime::u128_to_string(c.deposit_b)}, {"block", report.block_number}},
         {"channel " + runtime::to_hex(id) + ": deposits now " + format_cc(c.deposit_a) + " (A) + " +
          format_cc(c.deposit_b) + " (B)"});
  return 0;
}

int channel_list(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar channel list");
  std::string store_dir;
  add_store_option(desc, store_dir);
  parse_args(args, desc);
  auto store = open_store(store_dir);
  nlohmann::json all = nlohmann::json::array();
  std::vector<std::string> lines;
  for (const auto& meta : store->list()) {
    auto stored = store->load(meta.channel_id);
    auto on_chain = w.chain().read<pc::Channels>(meta.channel_id);
    std::string chain_status = !on_chain ? "unknown (" + on_chain.error() + ")"
                               : !on_chain.value() ? "not on chain"
                               : std::holds_alternative<pc::channel_status::Open>(on_chain.value()->status)
                                   ? "open"
                                   : "closing until block #" +
                                         std::to_string(std::get<pc::channel_status::Closing>(on_chain.value()->status).until);
    nlohmann::json j{{"channel", runtime::to_hex(meta.channel_id)}, {"partyA", ss58_encode(meta.party_a)},
                     {"partyB", ss58_encode(meta.party_b)}, {"role", boost::describe::enum_to_string(meta.role, "?")},
                     {"endpoint", meta.endpoint}, {"local", boost::describe::enum_to_string(meta.status, "?")},
                     {"chain", chain_status}, {"tasks", stored ? stored->leaves.size() : 0}};
    std::string line = runtime::to_hex(meta.channel_id) + "  " + j["local"].get<std::string>() + " here, " +
                       chain_status + " on chain";
    if (stored && stored->latest) {
      const auto& s = stored->latest->state;
      j["latest"] = ch::state_to_json(s);
      line += "; version " + std::to_string(s.version) + ", A " + format_cc(s.balance_a) + ", B " +
              format_cc(s.balance_b) + ", " + std::to_string(stored->leaves.size()) + " tasks";
    } else {
      line += "; no off-chain update yet";
    }
    all.push_back(j);
    lines.push_back(line);
  }
  if (lines.empty()) lines.push_back("no channels in " + store_dir);
  w.emit(nlohmann::json{{"channels", all}}, lines);
  return 0;
}

int channel_close(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar channel close ID [options]");
  std::string id_text, store_dir;
  unsigned timeout = 30;
  desc.add_options()("id", po::value(&id_text)->required(), "the channel id")
      ("timeout", po::value(&timeout)->default_value(timeout), "seconds to wait for the provider's close signature")
      ("unilateral", "skip the cooperative close")
      ("force", "close unilaterally even when the provider may hold a newer state (risks the deposit)");
  add_store_option(desc, store_dir);
  po::positional_options_description pos;
  pos.add("id", 1);
  auto vm = parse_args(args, desc, pos);
  auto id = parse_id(id_text);
  const auto& key = w.signer();
  auto store = open_store(store_dir);
  auto stored = store->load(id);
  if (!stored) throw CommandError{"channel " + id_text + " is not in the store " + store_dir};
  auto c = live_channel(w, id);
  if (const auto* closing = std::get_if<pc::channel_status::Closing>(&c.status)) {
    throw CommandError{"the channel is already closing (by " + ss58_encode(closing->closer) + ", version " +
                       std::to_string(closing->state.version) + "); settle from " + when_block(w, closing->until)};
  }
  std::vector<pc::DepositRecord> deposits = c.deposits.items;
  if (!vm.count("unilateral")) {
    ch::RequesterOptions options;
    options.call_timeout = std::chrono::seconds(timeout);
    ch::RequesterChannel channel{stored->meta, ch::opening_state(id, c.deposit_a, c.deposit_b), 0};
    auto requester = ch::ChannelRequester::open(*store, key, channel, options);
    auto final_state = requester ? [&] {
      requester.value()->set_deposits(deposits);
      return requester.value()->close_cooperatively();
    }()
                                 : rpc::ClientResult<ch::FinalState>(requester.error());
    if (final_state) {
      const auto& f = final_state.value();
      auto report = w.submit(make_call<pc::Module>(pc::CooperativeClose{f.state, f.sig_a, f.sig_b}),
                             "close channel cooperatively");
      mark_status(*store, id, ch::LocalStatus::Closed);
      nlohmann::json out;
      for_each_channel_event(report, [&](const auto& ev) {
        if constexpr (std::is_same_v<std::decay_t<decltype(ev)>, pc::ChannelClosedCooperatively>)
          out = payout_json(id, ev.version, ev.payout_a, ev.payout_b, report.block_number, "cooperatively");
      });
      out["tasksRoot"] = runtime::to_hex(f.state.tasks_root);
      w.emit(out, {"channel closed cooperatively at version " + std::to_string(f.state.version) + " in block #" +
                   std::to_string(report.block_number) + ": A gets " +
                   format_cc(runtime::u128_from_string(out.value("payoutA", "0")).value_or(0)) + ", B gets " +
                   format_cc(runtime::u128_from_string(out.value("payoutB", "0")).value_or(0))});
      return 0;
    }
    if (!w.options().json)
      std::cout << "cooperative close failed: " << final_state.error() << "\nclosing unilaterally\n";
    stored = store->load(id);  // the attempt may have synced a newer state
  }
  if (stored->proposal && (!stored->latest || stored->proposal->state.version > stored->latest->state.version) &&
      !vm.count("force")) {
    throw CommandError{
        "our last proposal (version " + std::to_string(stored->proposal->state.version) +
        ") is newer than our last co-signed state (version " +
        std::to_string(stored->latest ? stored->latest->state.version : 0) +
        "): the provider may hold it co-signed and would win a challenge, taking the whole deposit. Retry when "
        "the provider answers (it then hands over that state), or pass --force to close on the older state."};
  }
  pc::CloseUnilateral call;
  if (stored->latest) {
    call = pc::CloseUnilateral{stored->latest->state, stored->latest->sig_a, stored->latest->sig_b};
  } else {
    call.state = ch::opening_state(id, c.deposit_a, c.deposit_b);  // the refund state: no signatures needed
  }
  auto report = w.submit(make_call<pc::Module>(call), "close channel unilaterally");
  mark_status(*store, id, ch::LocalStatus::Closing);
  runtime::BlockNumber until = 0;
  for_each_channel_event(report, [&](const auto& ev) {
    if constexpr (std::is_same_v<std::decay_t<decltype(ev)>, pc::ChannelClosing>) until = ev.until;
  });
  auto free_at = when_block(w, until);
  w.emit({{"channel", runtime::to_hex(id)}, {"closing", call.state.version}, {"until", until},
          {"block", report.block_number}, {"freeAt", free_at}},
         {"channel closing with version " + std::to_string(call.state.version) + " in block #" +
              std::to_string(report.block_number),
          "funds are free from " + free_at + ": then run `bazaar channel settle " + runtime::to_hex(id) + "`"});
  return 0;
}

int channel_settle(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar channel settle ID");
  std::string id_text, store_dir;
  desc.add_options()("id", po::value(&id_text)->required(), "the channel id");
  add_store_option(desc, store_dir);
  po::positional_options_description pos;
  pos.add("id", 1);
  parse_args(args, desc, pos);
  auto id = parse_id(id_text);
  auto report = w.submit(make_call<pc::Module>(pc::Settle{id}), "settle channel");
  nlohmann::json out{{"channel", runtime::to_hex(id)}};
  std::string line = "channel settled";
  for_each_channel_event(report, [&](const auto& ev) {
    if constexpr (std::is_same_v<std::decay_t<decltype(ev)>, pc::ChannelSettled>) {
      out = payout_json(id, ev.version, ev.payout_a, ev.payout_b, report.block_number, "settled");
      line = "channel settled at version " + std::to_string(ev.version) + ": A gets " + format_cc(ev.payout_a) +
             ", B gets " + format_cc(ev.payout_b);
    }
  });
  if (std::filesystem::exists(store_dir)) {
    auto store = open_store(store_dir);
    mark_status(*store, id, ch::LocalStatus::Closed);
  }
  w.emit(out, {line});
  return 0;
}

int channel_watch(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar channel watch [--once]");
  std::string store_dir;
  desc.add_options()("once", "check once and exit");
  add_store_option(desc, store_dir);
  auto vm = parse_args(args, desc);
  const auto& key = w.signer();
  ch::WatcherOptions options;
  options.rpc_url = w.options().rpc_url;
  auto say = [&](const ch::WatchEvent& e) {
    static constexpr const char* kKinds[] = {"challenged", "challenge-failed", "closing", "closed"};
    const char* kind = kKinds[static_cast<int>(e.kind)];
    w.emit({{"channel", runtime::to_hex(e.channel_id)}, {"event", kind}, {"detail", e.detail}},
           {"channel " + runtime::to_hex(e.channel_id) + ": " + e.detail});
    std::cout.flush();
  };
  // Open the store only while checking, so that `bazaar task run` can use it between blocks.
  auto check = [&] {
    auto store = ch::ChannelStore::open(store_dir);
    if (!store) return;  // in use by another command: the next block checks again
    ch::ChannelWatcher watcher(*store.value(), key, options, say);
    if (auto r = watcher.check(w.chain()); !r) std::cerr << "bazaar: watch: " << r.error() << std::endl;
  };
  check();
  if (vm.count("once")) return 0;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  auto heads = w.chain().rpc().subscribe("chain_subscribeNewHeads", nlohmann::json::array(),
                                         "chain_unsubscribeNewHeads");
  if (!heads) throw CommandError{"cannot follow new heads: " + heads.error().message()};
  if (!w.options().json)
    std::cout << "watching the channels of " << ss58_encode(key.account_id()) << " in " << store_dir
              << " at every block; Ctrl-C stops" << std::endl;
  while (!g_interrupted) {
    auto head = heads.value().next(std::chrono::milliseconds(500));
    if (!head) {
      if (head.error() == rpc::RpcClientError::Timeout) continue;
      throw CommandError{"lost the head subscription: " + head.error().message()};
    }
    check();
  }
  return 0;
}

}  // namespace

int run_channel(Wallet& w, const std::vector<std::string>& args) {
  static constexpr const char* kUsage =
      "usage: bazaar channel open PROVIDER --deposit CC [--challenge-period N] [--endpoint URL]\n"
      "       bazaar channel fund ID --deposit CC | top-up ID --amount CC\n"
      "       bazaar channel list | close ID [--timeout S] [--unilateral] [--force] | settle ID | watch [--once]\n"
      "       (all take --store DIR: the channel store, default $BAZAAR_CHANNEL_STORE or ~/.bazaar/channels)";
  if (args.empty()) throw CommandError{kUsage};
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const auto& sub = args[0];
  if (sub == "open") return channel_open(w, rest);
  if (sub == "fund") return channel_deposit(w, rest, true);
  if (sub == "top-up") return channel_deposit(w, rest, false);
  if (sub == "list") return channel_list(w, rest);
  if (sub == "close") return channel_close(w, rest);
  if (sub == "settle") return channel_settle(w, rest);
  if (sub == "watch") return channel_watch(w, rest);
  throw CommandError{"unknown channel command '" + sub + "'\n" + kUsage};
}

int run_channel_task(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar task run --channel ID --program FILE|HASH --input FILE [options]");
  std::string id_text, program, lines_file, output, store_dir;
  std::vector<std::string> inputs;
  uint64_t fuel = 1'000'000'000;
  std::size_t batch = 128;
  desc.add_options()("channel", po::value(&id_text)->required(), "the channel id")
      ("program", po::value(&program)->required(), "a wasm32-wasi file (sent to the provider) or a 0x program hash on chain")
      ("input", po::value(&inputs)->composing(), "a file with one task's stdin (repeatable: one task each)")
      ("input-lines", po::value(&lines_file), "a file whose every line is one task's stdin")
      ("fuel", po::value(&fuel)->default_value(fuel), "instruction limit per task")
      ("batch", po::value(&batch)->default_value(batch), "tasks per request to the provider (pipelined)")
      ("output", po::value(&output), "write the output here (one task only)");
  add_store_option(desc, store_dir);
  parse_args(std::vector<std::string>(args.begin() + 1, args.end()), desc);
  auto id = parse_id(id_text);

  ch::DirectTask base;
  base.fuel = fuel;
  if (std::filesystem::exists(program)) {
    base.code = read_file(program);
    base.program = runtime::crypto::blake2b_256(*base.code);
  } else if (auto hash = runtime::fixed_from_hex<runtime::H256>(program)) {
    base.program = *hash;
  } else {
    throw CommandError{"--program: not a file nor a 0x program hash: " + program};
  }
  std::vector<ch::DirectTask> tasks;
  for (const auto& path : inputs) {
    tasks.push_back(base);
    tasks.back().input = read_file(path);
  }
  if (!lines_file.empty()) {
    std::ifstream in(lines_file);
    if (!in) throw CommandError{"cannot read " + lines_file};
    for (std::string line; std::getline(in, line);) {
      tasks.push_back(base);
      tasks.back().input.assign(line.begin(), line.end());
    }
  }
  if (tasks.empty()) throw CommandError{"no task: give --input FILE or --input-lines FILE"};
  if (!output.empty() && tasks.size() != 1) throw CommandError{"--output takes the output of exactly one task"};

  const auto& key = w.signer();
  auto store = open_store(store_dir);
  auto stored = store->load(id);
  if (!stored) throw CommandError{"channel " + id_text + " is not in the store " + store_dir + " (bazaar channel open)"};
  auto c = live_channel(w, id);
  const auto& provider = stored->meta.party_a == key.account_id() ? stored->meta.party_b : stored->meta.party_a;
  auto record = value_or_throw(w.chain().read<tq::Providers>(provider));
  if (!record) throw CommandError{ss58_encode(provider) + " is not a registered provider"};

  ch::RequesterOptions options;
  options.batch_size = batch;
  ch::RequesterChannel channel{stored->meta, ch::opening_state(id, c.deposit_a, c.deposit_b), record->price_per_task};
  auto requester = ch::ChannelRequester::open(*store, key, channel, options);
  if (!requester) throw CommandError{requester.error()};
  requester.value()->set_deposits(c.deposits.items);

  std::size_t failed = 0, done = 0;
  runtime::Balance paid = 0;
  auto on_result = [&](const ch::TaskOutcome& o) {
    ++done;
    failed += o.ok ? 0 : 1;
    paid += o.ok ? record->price_per_task : 0;
    if (o.ok && !output.empty()) {
      std::ofstream f(output, std::ios::binary);
      f.write(reinterpret_cast<const char*>(o.output.data()), static_cast<std::streamsize>(o.output.size()));
    }
    if (w.options().json) {
      std::cout << nlohmann::json{{"taskId", runtime::to_hex(o.task_id)}, {"version", o.version}, {"ok", o.ok},
                                  {"resultHash", runtime::to_hex(o.result_hash)}, {"fuelUsed", o.fuel_used},
                                  {"output", runtime::to_hex(o.output)}, {"error", o.error}}
                << "\n";
    } else if (o.ok) {
      std::string text(o.output.begin(), o.output.end());
      bool printable = text.size() <= 200 && std::all_of(text.begin(), text.end(), [](unsigned char ch) {
                         return ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7f);
                       });
      std::cout << "task " << runtime::to_hex(o.task_id) << " (version " << o.version << "): Ok, " << o.fuel_used
                << " instructions, " << o.output.size() << " bytes, result " << runtime::to_hex(o.result_hash)
                << (printable && output.empty() ? "\n  output: " + text : std::string())
                << (text.empty() || text.back() != '\n' || !printable || !output.empty() ? "\n" : "");
    } else {
      std::cout << "task " << runtime::to_hex(o.task_id) << ": failed, not paid: " << o.error << "\n";
    }
  };
  auto run = requester.value()->run(tasks, on_result);
  const auto state = requester.value()->current_state();
  w.emit({{"channel", runtime::to_hex(id)}, {"state", ch::state_to_json(state)}, {"tasks", done}, {"failed", failed},
          {"paid", runtime::u128_to_string(paid)}, {"leaves", requester.value()->leaves().size()}},
         {std::to_string(done - failed) + " tasks paid (" + format_cc(paid) + "), " + std::to_string(failed) +
              " failed; channel at version " + std::to_string(state.version) + ": A " + format_cc(state.balance_a) +
              ", B " + format_cc(state.balance_b)});
  if (!run) throw CommandError{"the run stopped: " + run.error()};
  return failed == 0 ? 0 : 1;
}

}  // namespace bazaar::tools::wallet
