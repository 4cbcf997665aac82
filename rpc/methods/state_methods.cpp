#include "rpc/methods/head_feed.hpp"
#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"
#include "runtime/crypto/hash.hpp"

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

/// state_subscribeStorage without keys: every change of each new best block.
RpcResult<void> subscribe_all_changes(ChainPort& chain, StatePort& state, const SubscriptionSink& sink) {
  auto best = chain.best_hash();
  auto on_head = [&state, sink](const H256& hash, const Header&) {
    auto changes = state.changes(hash);
    if (!changes || changes.value().empty()) return;  // unreadable (pruned) state: skip the block
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [key, value] : changes.value()) out.push_back(nlohmann::json::array({to_hex(key), value_json(value)}));
    sink.send({{"block", to_hex(hash)}, {"changes", std::move(out)}});
  };
  auto initial = [sink, best]() {
    sink.send({{"block", to_hex(best)}, {"changes", nlohmann::json::array()}});
    return best;
  };
  detail::start_head_feed(chain, detail::HeadStream::Best, sink, initial, on_head);
  return boost::outcome_v2::success();
}

/// state_queryStorage: the blocks from `from` to `to` on one chain, oldest first.
RpcResult<std::vector<H256>> block_range(ChainPort& chain, const H256& from, const H256& to, std::size_t max) {
  auto range_error = [&](const std::string& detail) {
    return RpcError{kStateInvalidBlockRange,
                    "Cannot resolve a block range ['" + to_hex(from) + "' ... '" + to_hex(to) + "']. " + detail,
                    {}};
  };
  auto from_header = chain.header(from);
  if (!from_header) return range_error("Unknown block " + to_hex(from));
  std::vector<H256> blocks{to};
  auto cursor = to;
  while (cursor != from) {
    auto header = chain.header(cursor);
    if (!header) return range_error("Unknown block " + to_hex(cursor));
    if (header->number.value <= from_header->number.value)
      return range_error("'from' is not an ancestor of 'to'");
    if (blocks.size() >= max) return range_error("the range is longer than " + std::to_string(max) + " blocks");
    cursor = header->parent_hash;
    blocks.push_back(cursor);
  }
  return std::vector<H256>(blocks.rbegin(), blocks.rend());
}

void add_storage_subscription(MethodRegistry& registry, ChainPort& chain, StatePort& state,
                              const StateMethodsOptions& options) {
  registry.add_subscription(
      {"state_subscribeStorage", "state_storage", "state_unsubscribeStorage",
       "Current values of the given storage keys at once ({block, changes: [[key, value|null]]}), then the keys "
       "whose value changed at each new best block; without keys: {block, changes: []} at once, then every key "
       "each new best block changed",
       {"keys?"}},
      [&chain, &state, max = options.max_query_keys](SubscriptionSink sink,
                                                     std::optional<std::vector<HexBytes>> keys) -> RpcResult<void> {
        if (!keys || keys->empty()) return subscribe_all_changes(chain, state, sink);
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

  registry.add("state_getStorageHash",
               "blake2b-256 of the value under a storage key at a block (best if omitted); null if absent",
               {"key", "hash?"}, [&chain, &state](HexBytes key, std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 auto value = state.storage(hash ? *hash : chain.best_hash(), key.bytes);
                 if (!value) return port_error_to_rpc(value.error());
                 if (!value.value()) return nlohmann::json(nullptr);
                 return nlohmann::json(to_hex(runtime::crypto::blake2b_256(*value.value())));
               });
  registry.alias("state_getStorageHashAt", "state_getStorageHash");

  registry.add("state_getStorageSize",
               "Length in bytes of the value under a storage key at a block (best if omitted); null if absent",
               {"key", "hash?"}, [&chain, &state](HexBytes key, std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 auto value = state.storage(hash ? *hash : chain.best_hash(), key.bytes);
                 if (!value) return port_error_to_rpc(value.error());
                 if (!value.value()) return nlohmann::json(nullptr);
                 return nlohmann::json(value.value()->size());
               });
  registry.alias("state_getStorageSizeAt", "state_getStorageSize");

  registry.add("state_getReadProof",
               "Trie nodes proving the values (or absence) of storage keys at a block (best if omitted): "
               "{at, proof: [hex node]}",
               {"keys", "hash?"},
               [&chain, &state, max = options.max_query_keys](std::vector<HexBytes> keys,
                                                              std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(check_key_count(keys.size(), max));
                 auto at = hash ? *hash : chain.best_hash();
                 std::vector<Bytes> raw;
                 for (auto& k : keys) raw.push_back(std::move(k.bytes));
                 auto proof = state.read_proof(at, raw);
                 if (!proof) return port_error_to_rpc(proof.error());
                 nlohmann::json nodes = nlohmann::json::array();
                 for (const auto& node : proof.value()) nodes.push_back(to_hex(node));
                 return nlohmann::json{{"at", to_hex(at)}, {"proof", std::move(nodes)}};
               });

  registry.add("state_queryStorage",
               "Changes of storage keys over a range of blocks (to the best block if `to` is omitted): the values at "
               "`from`, then [{block, changes}] for each later block where one of them changed",
               {"keys", "from", "to?"},
               [&chain, &state, max_keys = options.max_query_keys, max_blocks = options.max_query_blocks](
                   std::vector<HexBytes> keys, H256 from, std::optional<H256> to) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(check_key_count(keys.size(), max_keys));
                 BAZAAR_TRY(auto blocks, block_range(chain, from, to ? *to : chain.best_hash(), max_blocks));
                 nlohmann::json out = nlohmann::json::array();
                 std::map<Bytes, std::optional<Bytes>> last;
                 for (std::size_t i = 0; i < blocks.size(); ++i) {
                   nlohmann::json changes = nlohmann::json::array();
                   for (const auto& key : keys) {
                     auto value = state.storage(blocks[i], key.bytes);
                     if (!value) return port_error_to_rpc(value.error());
                     auto it = last.find(key.bytes);
                     if (i > 0 && it != last.end() && it->second == value.value()) continue;
                     last[key.bytes] = value.value();
                     changes.push_back(nlohmann::json::array({to_hex(key.bytes), value_json(value.value())}));
                   }
                   if (i == 0 || !changes.empty())
                     out.push_back({{"block", to_hex(blocks[i])}, {"changes", std::move(changes)}});
                 }
                 return out;
               });

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
