// bazaar task post | status | accept | cancel
#include "modules/composition/runtime.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/framework/json.hpp"
#include "runtime/primitives/units.hpp"
#include "tools/wallet/args.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace bazaar::tools::wallet {

namespace tq = modules::task_queue;
using modules::composition::make_call;
using runtime::format_cc;

namespace {

/// Calls f for each TaskQueue event in `events`.
template <class F>
void for_each_task_event(const std::vector<modules::composition::EventRecord>& events, F&& f) {
  for (const auto& e : events) {
    std::visit(
        [&](const auto& me) {
          using M = typename std::decay_t<decltype(me)>::Module;
          if constexpr (std::is_same_v<M, tq::Module>) std::visit(f, me.event);
        },
        e.event.value);
  }
}

runtime::H256 program_hash(Wallet& w, const std::string& program) {
  if (std::filesystem::exists(program)) {
    auto code = read_file(program);
    auto hash = runtime::crypto::blake2b_256(code);
    auto existing = w.chain().read<tq::Programs>(hash);
    if (!existing) throw CommandError{existing.error()};
    if (!existing.value()) {
      w.submit(make_call<tq::Module>(tq::UploadProgram{code}), "upload " + program);
    } else if (!w.options().json) {
      std::cout << "program " << runtime::to_hex(hash) << " is already on chain\n";
    }
    return hash;
  }
  auto hash = runtime::fixed_from_hex<runtime::H256>(program);
  if (!hash) throw CommandError{"--program: not a file nor a 0x program hash: " + program};
  return *hash;
}

void write_output(Wallet& w, tq::TaskId id, const std::string& path) {
  auto out = w.chain().read<tq::TaskOutputs>(id);
  if (!out) throw CommandError{out.error()};
  if (!out.value()) throw CommandError{"task " + std::to_string(id) + " has no output on chain"};
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(out.value()->data()), static_cast<std::streamsize>(out.value()->size()));
  if (!f) throw CommandError{"cannot write " + path};
  if (!w.options().json) std::cout << "output (" << out.value()->size() << " bytes) written to " << path << "\n";
}

/// Follows a task through its life cycle, printing each transition with its
/// block, until it completes (or is cancelled / expires / times out).
void follow(Wallet& w, tq::TaskId id, bool accept, const std::string& output, std::chrono::seconds timeout) {
  auto& chain = w.chain();
  auto heads = chain.rpc().subscribe("chain_subscribeNewHeads", nlohmann::json::array(), "chain_unsubscribeNewHeads");
  if (!heads) throw CommandError{"cannot follow new heads: " + heads.error().message()};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool accepted = false;
  auto say = [&](const std::string& line) {
    if (!w.options().json) std::cout << "  " << line << "\n";
  };
  while (std::chrono::steady_clock::now() < deadline) {
    auto head = heads.value().next(std::chrono::milliseconds(2000));
    if (!head) {
      if (head.error() == rpc::RpcClientError::Timeout) continue;
      throw CommandError{"lost the head subscription: " + head.error().message()};
    }
    auto header = rpc::header_from_json(head.value());
    if (!header) throw CommandError{header.error()};
    auto hash = runtime::header_hash(header.value());
    auto events = chain.events(hash);
    if (!events) throw CommandError{events.error()};
    for_each_task_event(events.value(), [&](const auto& ev) {
      using E = std::decay_t<decltype(ev)>;
      if constexpr (requires { ev.task_id; }) {
        if (ev.task_id != id) return;
        if constexpr (std::is_same_v<E, tq::TaskClaimed>)
          say("block #" + std::to_string(ev.block) + "  claimed by " + runtime::crypto::ss58_encode(ev.provider));
        else if constexpr (std::is_same_v<E, tq::ResultSubmitted>)
          say("block #" + std::to_string(ev.block) + "  result submitted: " +
              boost::describe::enum_to_string(ev.status, "?") + ", " + std::to_string(ev.fuel_used) +
              " instructions, output hash " + runtime::to_hex(ev.output_hash));
        else if constexpr (std::is_same_v<E, tq::TaskCompleted>)
          say("block #" + std::to_string(ev.block) + "  completed" + (ev.auto_accepted ? " (auto-accepted)" : "") +
              ": provider paid " + format_cc(ev.payout) + ", protocol fee " + format_cc(ev.protocol_fee));
        else
          say("block #" + std::to_string(ev.block) + "  " + std::string(E::kName));
      }
    });
    auto task = chain.read_at<tq::Tasks>(hash, id);
    if (!task) throw CommandError{task.error()};
    if (!task.value()) throw CommandError{"task " + std::to_string(id) + " not found"};
    const auto& t = *task.value();
    if (t.status == tq::TaskStatus::Submitted && accept && !accepted) {
      auto out = chain.read_at<tq::TaskOutputs>(hash, id);
      if (!out) throw CommandError{out.error()};
      if (!out.value() || !t.result || runtime::crypto::blake2b_256(*out.value()) != t.result->output_hash)
        throw CommandError{"the submitted output does not match its hash; not accepting"};
      w.submit(make_call<tq::Module>(tq::AcceptResult{id}), "accept");
      accepted = true;
    }
    if (t.status == tq::TaskStatus::Completed) {
      if (!output.empty()) write_output(w, id, output);
      if (t.result && t.result->status != tq::ResultStatus::Ok)
        throw CommandError{"task " + std::to_string(id) + " ended " +
                           boost::describe::enum_to_string(t.result->status, "?")};
      return;
    }
    if (t.status == tq::TaskStatus::Cancelled || t.status == tq::TaskStatus::Expired)
      throw CommandError{"task " + std::to_string(id) + " " + boost::describe::enum_to_string(t.status, "?")};
  }
  throw CommandError{"timed out waiting for task " + std::to_string(id)};
}

tq::TaskId parse_id(const std::string& text) {
  try {
    std::size_t used = 0;
    auto v = std::stoull(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw CommandError{"not a task id: " + text};
}

}  // namespace

int run_task(Wallet& w, const std::vector<std::string>& args) {
  if (args.empty()) throw CommandError{"usage: bazaar task post|status|accept|cancel"};
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& cmd = args[0];
  if (cmd == "post") {
    po::options_description desc(
        "bazaar task post --program FILE|HASH --input FILE --bounty CC [--fuel N] [--deadline BLOCKS] [--wait]");
    desc.add_options()("program", po::value<std::string>()->required(), "a .wasm file (uploaded if new) or its hash")(
        "input", po::value<std::string>()->required(), "the task's input file (stdin of the program)")(
        "bounty", po::value<std::string>()->required(), "bounty in CC, held until completion")(
        "fuel", po::value<uint64_t>()->default_value(5'000'000'000), "instruction limit")(
        "deadline", po::value<uint32_t>()->default_value(100), "blocks until an unclaimed task is refunded")(
        "wait", po::bool_switch(), "follow the task until it completes")(
        "accept", po::bool_switch(), "with --wait: accept the result once it is submitted and checked")(
        "output", po::value<std::string>()->default_value(""), "with --wait: write the output here")(
        "timeout", po::value<unsigned>()->default_value(600), "with --wait: seconds to wait");
    auto vm = parse_args(rest, desc);
    auto program = program_hash(w, vm["program"].as<std::string>());
    tq::PostTask call{program, read_file(vm["input"].as<std::string>()), {vm["fuel"].as<uint64_t>()},
                      {parse_amount(vm["bounty"].as<std::string>(), "--bounty")}, vm["deadline"].as<uint32_t>()};
    auto report = w.submit(make_call<tq::Module>(call), "post task");
    std::optional<tq::TaskId> id;
    for_each_task_event(report.events, [&](const auto& ev) {
      if constexpr (std::is_same_v<std::decay_t<decltype(ev)>, tq::TaskPosted>) id = ev.task_id;
    });
    if (!id) throw CommandError{"the block has no TaskPosted event for this extrinsic"};
    w.emit({{"task", *id}, {"block", report.block_number}},
           {"task #" + std::to_string(*id) + " posted in block #" + std::to_string(report.block_number) + " (bounty " +
            format_cc(call.bounty.value) + ")"});
    if (vm["wait"].as<bool>())
      follow(w, *id, vm["accept"].as<bool>(), vm["output"].as<std::string>(),
             std::chrono::seconds(vm["timeout"].as<unsigned>()));
    return 0;
  }
  po::options_description desc("bazaar task " + cmd + " ID");
  desc.add_options()("id", po::value<std::string>()->required(), "task id");
  if (cmd == "status") desc.add_options()("output", po::value<std::string>(), "write the task's output here");
  po::positional_options_description pos;
  pos.add("id", 1);
  auto vm = parse_args(rest, desc, pos);
  tq::TaskId id = parse_id(vm["id"].as<std::string>());
  if (cmd == "status") {
    auto task = w.chain().read<tq::Tasks>(id);
    if (!task) throw CommandError{task.error()};
    if (!task.value()) throw CommandError{"no task " + std::to_string(id)};
    const auto& t = *task.value();
    std::vector<std::string> lines{
        "task #" + std::to_string(id) + ": " + boost::describe::enum_to_string(t.status, "?"),
        "  requester  " + runtime::crypto::ss58_encode(t.requester), "  program    " + runtime::to_hex(t.program),
        "  bounty     " + format_cc(t.bounty), "  fuel limit " + std::to_string(t.fuel_limit),
        "  posted at  #" + std::to_string(t.posted_at) + ", deadline #" + std::to_string(t.deadline)};
    if (t.provider)
      lines.push_back("  provider   " + runtime::crypto::ss58_encode(*t.provider) + " (claimed at #" +
                      std::to_string(t.claimed_at) + ")");
    if (t.result)
      lines.push_back("  result     " + std::string(boost::describe::enum_to_string(t.result->status, "?")) + ", " +
                      std::to_string(t.result->output_size) + " bytes, " + std::to_string(t.result->fuel_used) +
                      " instructions, submitted at #" + std::to_string(t.result->submitted_at));
    w.emit(runtime::framework::json::to_json(t), lines);
    if (vm.count("output")) write_output(w, id, vm["output"].as<std::string>());
    return 0;
  }
  if (cmd == "accept") {
    w.submit(make_call<tq::Module>(tq::AcceptResult{id}), "accept");
    return 0;
  }
  if (cmd == "cancel") {
    w.submit(make_call<tq::Module>(tq::CancelTask{id}), "cancel");
    return 0;
  }
  throw CommandError{"unknown task command '" + cmd + "' (post, status, accept, cancel)"};
}

}  // namespace bazaar::tools::wallet
