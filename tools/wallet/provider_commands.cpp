// bazaar provider register | update | unregister | info, bazaar program upload
#include "modules/composition/runtime.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/framework/json.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/units.hpp"
#include "tools/wallet/args.hpp"

namespace bazaar::tools::wallet {

namespace tq = modules::task_queue;
using modules::composition::make_call;
using runtime::format_cc;

namespace {

tq::Capabilities to_capabilities(const std::vector<std::string>& caps) {
  if (caps.size() > tq::kMaxCapabilities)
    throw CommandError{"at most " + std::to_string(tq::kMaxCapabilities) + " capabilities"};
  tq::Capabilities out;
  for (const auto& c : caps) {
    if (c.size() > tq::kMaxCapabilityBytes)
      throw CommandError{"capability '" + c + "' is longer than " + std::to_string(tq::kMaxCapabilityBytes) + " bytes"};
    out.items.push_back(tq::Capability{{c.begin(), c.end()}});
  }
  return out;
}

tq::Endpoint to_endpoint(const std::string& e) {
  if (e.size() > tq::kMaxEndpointBytes)
    throw CommandError{"endpoint is longer than " + std::to_string(tq::kMaxEndpointBytes) + " bytes"};
  return tq::Endpoint{{e.begin(), e.end()}};
}

std::string text_of(const std::vector<uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

}  // namespace

int run_program(Wallet& w, const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "upload") throw CommandError{"usage: bazaar program upload FILE"};
  po::options_description desc("bazaar program upload FILE");
  desc.add_options()("file", po::value<std::string>()->required(), "a wasm32-wasi command module");
  po::positional_options_description pos;
  pos.add("file", 1);
  auto vm = parse_args({args.begin() + 1, args.end()}, desc, pos);
  auto code = read_file(vm["file"].as<std::string>());
  auto hash = runtime::crypto::blake2b_256(code);
  auto existing = w.chain().read<tq::Programs>(hash);
  if (!existing) throw CommandError{existing.error()};
  if (existing.value()) {
    w.emit({{"program", runtime::to_hex(hash)}, {"uploaded", false}},
           {"Program " + runtime::to_hex(hash) + " is already on chain (" + std::to_string(existing.value()->size) +
            " bytes)"});
    return 0;
  }
  w.submit(make_call<tq::Module>(tq::UploadProgram{code}), "upload");
  w.emit({{"program", runtime::to_hex(hash)}, {"uploaded", true}},
         {"Program " + runtime::to_hex(hash) + " uploaded (" + std::to_string(code.size()) + " bytes)"});
  return 0;
}

int run_provider(Wallet& w, const std::vector<std::string>& args) {
  if (args.empty()) throw CommandError{"usage: bazaar provider register|update|unregister|info"};
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& cmd = args[0];
  if (cmd == "register") {
    po::options_description desc("bazaar provider register --stake CC --price CC");
    desc.add_options()("stake", po::value<std::string>()->required(), "stake held while providing, in CC")(
        "price", po::value<std::string>()->required(), "price per task in CC")(
        "capability", po::value<std::vector<std::string>>()->default_value({"wasm32-wasi"}, "wasm32-wasi"),
        "capability tag (repeatable)")("endpoint", po::value<std::string>()->default_value(""), "off-chain endpoint");
    auto vm = parse_args(rest, desc);
    tq::RegisterProvider call{{parse_amount(vm["stake"].as<std::string>(), "--stake")},
                              {parse_amount(vm["price"].as<std::string>(), "--price")},
                              to_capabilities(vm["capability"].as<std::vector<std::string>>()),
                              to_endpoint(vm["endpoint"].as<std::string>())};
    w.submit(make_call<tq::Module>(call), "register");
    return 0;
  }
  if (cmd == "update") {
    po::options_description desc("bazaar provider update [--price CC] [--capability C]... [--endpoint E] [--stake-top-up CC]");
    desc.add_options()("price", po::value<std::string>(), "new price per task in CC")(
        "capability", po::value<std::vector<std::string>>(), "capability tags (replace the current ones)")(
        "endpoint", po::value<std::string>(), "new endpoint")("stake-top-up", po::value<std::string>(),
                                                              "add this much to the stake, in CC");
    auto vm = parse_args(rest, desc);
    auto current = w.chain().read<tq::Providers>(w.signer().account_id());
    if (!current) throw CommandError{current.error()};
    if (!current.value()) throw CommandError{"the signer is not a registered provider"};
    const auto& p = *current.value();
    tq::UpdateProvider call{{p.price_per_task}, p.capabilities, p.endpoint, std::nullopt};
    if (vm.count("price")) call.price_per_task.value = parse_amount(vm["price"].as<std::string>(), "--price");
    if (vm.count("capability")) call.capabilities = to_capabilities(vm["capability"].as<std::vector<std::string>>());
    if (vm.count("endpoint")) call.endpoint = to_endpoint(vm["endpoint"].as<std::string>());
    if (vm.count("stake-top-up"))
      call.stake_top_up = runtime::Compact<runtime::Balance>{parse_amount(vm["stake-top-up"].as<std::string>(), "--stake-top-up")};
    w.submit(make_call<tq::Module>(call), "update");
    return 0;
  }
  if (cmd == "unregister") {
    parse_args(rest, po::options_description("bazaar provider unregister"));
    w.submit(make_call<tq::Module>(tq::UnregisterProvider{}), "unregister");
    return 0;
  }
  if (cmd == "info") {
    po::options_description desc("bazaar provider info [ADDRESS]");
    desc.add_options()("address", po::value<std::string>(), "provider (default: --signer)");
    po::positional_options_description pos;
    pos.add("address", 1);
    auto vm = parse_args(rest, desc, pos);
    auto who = vm.count("address") ? w.account(vm["address"].as<std::string>()) : w.signer().account_id();
    auto p = w.chain().read<tq::Providers>(who);
    if (!p) throw CommandError{p.error()};
    if (!p.value()) throw CommandError{runtime::crypto::ss58_encode(who) + " is not a registered provider"};
    const auto& v = *p.value();
    std::vector<std::string> caps;
    for (const auto& c : v.capabilities.items) caps.push_back(text_of(c.items));
    std::string caps_text;
    for (const auto& c : caps) caps_text += (caps_text.empty() ? "" : ", ") + c;
    w.emit(nlohmann::json{{"provider", runtime::crypto::ss58_encode(who)},
                          {"record", runtime::framework::json::to_json(v)},
                          {"capabilities", caps},
                          {"endpoint", text_of(v.endpoint.items)}},
           {"Provider " + runtime::crypto::ss58_encode(who),
            "  status      " + std::string(boost::describe::enum_to_string(v.status, "?")) +
                (v.status == tq::ProviderStatus::Unbonding ? " until block #" + std::to_string(v.unbonding_until) : ""),
            "  stake       " + format_cc(v.stake), "  price/task  " + format_cc(v.price_per_task),
            "  capability  " + caps_text, "  endpoint    " + text_of(v.endpoint.items),
            "  completed " + std::to_string(v.stats.completed) + ", failed " + std::to_string(v.stats.failed) +
                ", missed deadlines " + std::to_string(v.stats.missed_deadlines) + ", in flight " +
                std::to_string(v.stats.in_flight)});
    return 0;
  }
  throw CommandError{"unknown provider command '" + cmd + "' (register, update, unregister, info)"};
}

}  // namespace bazaar::tools::wallet
