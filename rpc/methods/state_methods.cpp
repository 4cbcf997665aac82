#include "rpc/methods/head_feed.hpp"
#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"

#include <map>
#include <memory>

namespace bazaar::rpc {

namespace {

using runtime::Bytes;
using runtime::H256;
using runtime::Header;
using runtime::to_hex;

nlohmann::json value_json(const std::optional<Bytes>& value) {
  if (!value) return nullptr;
  return to_hex(*value);
}

/// {"block": at, "changes": [[key, value|null], ...]} for every key, or the port's error.
RpcResult<nlohmann::json> read_keys(StatePort& state, const H256& at, const std::vector<HexBytes>& keys,
                                    std::map<Bytes, std::optional<Bytes>>* values = nullptr) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& key : keys) {
    auto value = state.storage(at, key.bytes);
    if (!value) return port_error_to_rpc(value.error());
    changes.push_back(nlohmann::json::array({to_hex(key.bytes), value_json(value.value())}));
    if (values) (*values)[key.bytes] = value.value();
  }
  return nlohmann::json{{"block", to_hex(at)}, {"changes", std::move(changes)}};
}

RpcResult<void> check_key_count(std::size_t count, std::size_t max) {
  if (count > max)
    return RpcError::invalid_params("too many keys: " + std::to_string(count) + " (at most " + std::to_string(max) +
                                    ")");
  return boost::outcome_v2::success();
}

void add_storage_subscription(MethodRegistry& registry, ChainPort& chain, StatePort& state,
                              const StateMethodsOptions& options) {
  registry.add_subscription(
      {"state_subscribeStorage", "state_storage", "state_unsubscribeStorage",
       "Current values of the given storage keys at once ({block, changes: [[key, value|null]]}), then the keys "
       "whose value changed at each new best block",
       {"keys?"}},
      [&chain, &state, max = options.max_query_keys](SubscriptionSink sink,
                                                     std::optional<std::vector<HexBytes>> keys) -> RpcResult<void> {
        if (!keys || keys->empty())
          return RpcError::invalid_params("keys: subscribing to every storage change is not supported; list the keys");
        BAZAAR_TRY(check_key_count(keys->size(), max));
        auto best = chain.best_hash();
        auto last = std::make_shared<std::map<Bytes, std::optional<Bytes>>>();
        auto first = read_keys(state, best, *keys, last.get());
        if (!first) return first.error();  // e.g. the best block's state is unreadable

        auto on_head = [&state, sink, keys = *keys, last](const H256& hash, const Header&) {
          nlohmann::json changes = nlohmann::json::array();
          for (const auto& key : keys) {
            auto value = state.storage(hash, key.bytes);
            if (!value) return;  // state of this block not readable (pruned): skip the block
            auto& previous = (*last)[key.bytes];
            if (previous == value.value()) continue;
            previous = value.value();
            changes.push_back(nlohmann::json::array({to_hex(key.bytes), value_json(previous)}));
          }
          if (!changes.empty()) sink.send({{"block", to_hex(hash)}, {"changes", std::move(changes)}});
        };
        auto initial = [sink, best, payload = std::move(first).value()]() {
          sink.send(payload);
          return best;
        };
        detail::start_head_feed(chain, detail::HeadStream::Best, sink, initial, on_head);
        return boost::outcome_v2::success();
      });
}

void add_runtime_version_subscription(MethodRegistry& registry, ChainPort& chain, StatePort& state) {
  registry.add_subscription(
      {"state_subscribeRuntimeVersion", "state_runtimeVersion", "state_unsubscribeRuntimeVersion",
       "The runtime version at once, then each time it changes on the best chain",
       {}},
      [&chain, &state](SubscriptionSink sink) -> RpcResult<void> {
        auto best = chain.best_hash();
        auto version = state.runtime_version(best);
        if (!version) return port_error_to_rpc(version.error());
        auto last = std::make_shared<RuntimeVersionInfo>(version.value());
        auto on_head = [&state, sink, last](const H256& hash, const Header&) {
          auto now = state.runtime_version(hash);
          if (!now || now.value() == *last) return;
          *last = now.value();
          sink.send(runtime_version_to_json(*last));
        };
        auto initial = [sink, best, last]() {
          sink.send(runtime_version_to_json(*last));
          return best;
        };
        detail::start_head_feed(chain, detail::HeadStream::Best, sink, initial, on_head);
        return boost::outcome_v2::success();
      });
}

}  // namespace

void register_state_methods(MethodRegistry& registry, ChainPort& chain, StatePort& state,
                            StateMethodsOptions options) {
  registry.add("state_getStorage", "Value (hex) under a storage key at a block (best if omitted); null if absent",
               {"key", "hash?"}, [&chain, &state](HexBytes key, std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 auto value = state.storage(hash ? *hash : chain.best_hash(), key.bytes);
                 if (!value) return port_error_to_rpc(value.error());
                 return value_json(value.value());
               });
  registry.alias("state_getStorageAt", "state_getStorage");

  registry.add("state_getKeysPaged",
               "Up to `count` storage keys with a prefix, in order, after `start_key` if given, at a block (best if "
               "omitted)",
               {"prefix?", "count", "start_key?", "hash?"},
               [&chain, &state, max = options.max_keys_page](std::optional<HexBytes> prefix, uint32_t count,
                                                             std::optional<HexBytes> start_key,
                                                             std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 if (count > max)
                   return RpcError{kStateInvalidCount,
                                   "count exceeds maximum value. value: " + std::to_string(count) +
                                       ", max: " + std::to_string(max),
                                   {}};
                 std::optional<Bytes> start;
                 if (start_key) start = start_key->bytes;
                 auto keys = state.storage_keys_paged(hash ? *hash : chain.best_hash(),
                                                      prefix ? runtime::ByteSpan(prefix->bytes) : runtime::ByteSpan{}, count,
                                                      start);
                 if (!keys) return port_error_to_rpc(keys.error());
                 nlohmann::json out = nlohmann::json::array();
                 for (const auto& k : keys.value()) out.push_back(to_hex(k));
                 return out;
               });
  registry.alias("state_getKeysPagedAt", "state_getKeysPaged");

  registry.add("state_queryStorageAt",
               "Values of several storage keys at one block (best if omitted): [{block, changes: [[key, value|null]]}]",
               {"keys", "at?"},
               [&chain, &state, max = options.max_query_keys](std::vector<HexBytes> keys,
                                                              std::optional<H256> at) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(check_key_count(keys.size(), max));
                 BAZAAR_TRY(auto one, read_keys(state, at ? *at : chain.best_hash(), keys));
                 return nlohmann::json::array({std::move(one)});
               });

  registry.add("state_getRuntimeVersion", "The runtime version at a block (best if omitted)", {"at?"},
               [&chain, &state](std::optional<H256> at) -> RpcResult<nlohmann::json> {
                 auto version = state.runtime_version(at ? *at : chain.best_hash());
                 if (!version) return port_error_to_rpc(version.error());
                 return runtime_version_to_json(version.value());
               });
  registry.alias("chain_getRuntimeVersion", "state_getRuntimeVersion");

  add_storage_subscription(registry, chain, state, options);
  add_runtime_version_subscription(registry, chain, state);
  registry.alias("chain_subscribeRuntimeVersion", "state_subscribeRuntimeVersion");
  registry.alias("chain_unsubscribeRuntimeVersion", "state_unsubscribeRuntimeVersion");
}

}  // namespace bazaar::rpc
