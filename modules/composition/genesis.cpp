#include "modules/composition/executive.hpp"

#include "modules/composition/runtime.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/framework/json.hpp"

#include <set>

namespace bazaar::modules::composition {

namespace {
std::string lower_camel(std::string_view pascal) {
  std::string s(pascal);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::pair<std::array<uint8_t, 8>, uint32_t> api(std::string_view name, uint32_t version) {
  return {runtime::crypto::blake2b_64(runtime::crypto::as_bytes(name)), version};
}
}  // namespace

const RuntimeVersion& runtime_version() {
  static const RuntimeVersion version = [] {
    RuntimeVersion v;
    v.apis = {api("Core", 4),
              api("Metadata", 2),
              api("BlockBuilder", 6),
              api("TaggedTransactionQueue", 3),
              api("AuraApi", 1),
              api("AccountNonceApi", 1),
              api("TransactionPaymentApi", 4)};
    return v;
  }();
  return version;
}

const BlockLimits& block_limits() {
  static const BlockLimits limits;
  return limits;
}

outcome::result<runtime::storage::ChangeSet, std::string> build_genesis(const nlohmann::json& runtime_genesis) {
  if (!runtime_genesis.is_object()) return std::string("genesis.runtime: expected an object");
  std::set<std::string> known;
  runtime::storage::EmptyStorage empty;
  runtime::storage::Overlay overlay(empty);
  std::optional<std::string> error;
  boost::mp11::mp_for_each<Modules>([&](auto module) {
    using M = decltype(module);
    if (error) return;
    std::string key = lower_camel(M::kName);
    known.insert(key);
    typename M::GenesisConfig config{};
    if (auto it = runtime_genesis.find(key); it != runtime_genesis.end()) {
      auto r = runtime::framework::json::from_json(*it, config, "genesis.runtime." + key);
      if (!r) {
        error = r.error();
        return;
      }
    }
    if constexpr (requires { M::validate_genesis(config); }) {
      if (auto valid = M::validate_genesis(config); !valid) {
        error = "genesis.runtime." + key + ": " + valid.error();
        return;
      }
    }
    if constexpr (requires { M::build_genesis(overlay, config); }) M::build_genesis(overlay, config);
  });
  if (error) return *error;
  for (auto it = runtime_genesis.begin(); it != runtime_genesis.end(); ++it)
    if (!known.count(it.key())) return "genesis.runtime." + it.key() + ": unknown module";
  return overlay.take_changes();
}

}  // namespace bazaar::modules::composition
