// bazaar balance [ADDRESS] | bazaar transfer DEST AMOUNT
#include "modules/composition/runtime.hpp"
#include "runtime/crypto/ss58.hpp"
#include "runtime/primitives/units.hpp"
#include "tools/wallet/args.hpp"

namespace bazaar::tools::wallet {

namespace system = modules::system;
namespace credits = modules::credits;
using runtime::format_cc;
using runtime::u128_to_string;

int run_balance(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar balance [ADDRESS]");
  desc.add_options()("address", po::value<std::string>(), "SS58 address, 0x account id or SURI (default: --signer)");
  po::positional_options_description pos;
  pos.add("address", 1);
  auto vm = parse_args(args, desc, pos);
  if (!vm.count("address") && w.options().signer.empty()) throw CommandError{"give an ADDRESS or --signer SURI"};
  runtime::AccountId32 who =
      vm.count("address") ? w.account(vm["address"].as<std::string>()) : w.signer().account_id();
  auto info = w.chain().read<system::Account>(who);
  if (!info) throw CommandError{info.error()};
  auto holds = w.chain().read<credits::HoldsOf>(who);
  if (!holds) throw CommandError{holds.error()};
  const auto& d = info.value().data;
  nlohmann::json j{{"address", runtime::crypto::ss58_encode(who)}, {"free", u128_to_string(d.free)},
                   {"reserved", u128_to_string(d.reserved)},     {"frozen", u128_to_string(d.frozen)},
                   {"nonce", info.value().nonce},                 {"holds", nlohmann::json::object()}};
  std::vector<std::string> lines{"Account  " + runtime::crypto::ss58_encode(who),
                                 "  free      " + format_cc(d.free), "  reserved  " + format_cc(d.reserved),
                                 "  frozen    " + format_cc(d.frozen), "  nonce     " + std::to_string(info.value().nonce)};
  for (const auto& h : holds.value().items) {
    std::string reason = boost::describe::enum_to_string(h.id, "?");
    j["holds"][reason] = u128_to_string(h.amount);
    lines.push_back("  held for " + reason + ": " + format_cc(h.amount));
  }
  w.emit(j, lines);
  return 0;
}

int run_transfer(Wallet& w, const std::vector<std::string>& args) {
  po::options_description desc("bazaar transfer DEST AMOUNT");
  desc.add_options()("dest", po::value<std::string>()->required(), "recipient (SS58, 0x id or SURI)")(
      "amount", po::value<std::string>()->required(), "amount in CC, e.g. 12.5")(
      "allow-death", po::bool_switch(), "allow the sender's account to be reaped (transfer_allow_death)");
  po::positional_options_description pos;
  pos.add("dest", 1).add("amount", 1);
  auto vm = parse_args(args, desc, pos);
  runtime::MultiAddress dest = runtime::MultiAddressId{w.account(vm["dest"].as<std::string>())};
  runtime::Balance amount = parse_amount(vm["amount"].as<std::string>(), "AMOUNT");
  if (vm["allow-death"].as<bool>()) {
    w.submit(modules::composition::make_call<credits::Module>(credits::TransferAllowDeath{dest, {amount}}), "transfer");
  } else {
    w.submit(modules::composition::make_call<credits::Module>(credits::TransferKeepAlive{dest, {amount}}), "transfer");
  }
  return 0;
}

}  // namespace bazaar::tools::wallet
