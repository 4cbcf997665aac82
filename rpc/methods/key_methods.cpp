// author_*Key* (the keystore) and offchain_localStorage* (offchain local
// storage): Substrate's unsafe methods (substrate/client/rpc-api/src/author,
// substrate/client/rpc-api/src/offchain).

#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"

#include <algorithm>

namespace bazaar::rpc {

namespace {

RpcResult<KeyType> parse_key_type(const std::string& text) {
  if (text.size() != 4) return RpcError::invalid_params("key type '" + text + "' is not four characters (e.g. \"aura\")");
  KeyType out{};
  std::copy(text.begin(), text.end(), out.begin());
  return out;
}

RpcResult<OffchainStorageKind> parse_kind(const std::string& text) {
  if (text == "PERSISTENT") return OffchainStorageKind::Persistent;
  if (text == "LOCAL") return OffchainStorageKind::Local;
  return RpcError::invalid_params("storage kind '" + text + "' is not PERSISTENT or LOCAL");
}

}  // namespace

void register_key_methods(MethodRegistry& registry, KeystorePort& keystore) {
  registry.add(
      "author_insertKey",
      "Stores a key in the node's keystore: key type (\"aura\"), secret URI, and the public key it derives",
      {"key_type", "suri", "public"},
      [&keystore](const std::string& key_type, const std::string& suri, HexBytes pub) -> RpcResult<nlohmann::json> {
        BAZAAR_TRY(auto type, parse_key_type(key_type));
        auto r = keystore.insert_key(type, suri, pub.bytes);
        if (!r) return port_error_to_rpc(r.error());
        return nlohmann::json(nullptr);
      },
      MethodSafety::Unsafe);

  registry.add(
      "author_hasKey", "Whether the keystore holds the private key of a public key under a key type",
      {"public_key", "key_type"},
      [&keystore](HexBytes pub, const std::string& key_type) -> RpcResult<nlohmann::json> {
        BAZAAR_TRY(auto type, parse_key_type(key_type));
        auto r = keystore.has_key(pub.bytes, type);
        if (!r) return port_error_to_rpc(r.error());
        return nlohmann::json(r.value());
      },
      MethodSafety::Unsafe);

  registry.add(
      "author_rotateKeys", "Generates new session keys in the keystore; their public keys, concatenated, as hex", {},
      [&keystore]() -> RpcResult<nlohmann::json> {
        auto r = keystore.rotate_keys();
        if (!r) return port_error_to_rpc(r.error());
        return nlohmann::json(runtime::to_hex(r.value()));
      },
      MethodSafety::Unsafe);

  registry.add(
      "author_hasSessionKeys", "Whether the keystore holds every key of concatenated session keys",
      {"session_keys"},
      [&keystore](HexBytes keys) -> RpcResult<nlohmann::json> {
        auto r = keystore.has_session_keys(keys.bytes);
        if (!r) return port_error_to_rpc(r.error());
        return nlohmann::json(r.value());
      },
      MethodSafety::Unsafe);
}

void register_offchain_methods(MethodRegistry& registry, OffchainPort& offchain) {
  registry.add(
      "offchain_localStorageSet", "Writes a value to the offchain local storage of a kind (PERSISTENT or LOCAL)",
      {"kind", "key", "value"},
      [&offchain](const std::string& kind, HexBytes key, HexBytes value) -> RpcResult<nlohmann::json> {
        BAZAAR_TRY(auto k, parse_kind(kind));
        auto r = offchain.local_storage_set(k, key.bytes, value.bytes);
        if (!r) return port_error_to_rpc(r.error());
        return nlohmann::json(nullptr);
      },
      MethodSafety::Unsafe);

  registry.add(
      "offchain_localStorageGet",
      "Reads a value of the offchain local storage of a kind (PERSISTENT or LOCAL); null if absent",
      {"kind", "key"},
      [&offchain](const std::string& kind, HexBytes key) -> RpcResult<nlohmann::json> {
        BAZAAR_TRY(auto k, parse_kind(kind));
        auto r = offchain.local_storage_get(k, key.bytes);
        if (!r) return port_error_to_rpc(r.error());
        if (!r.value()) return nlohmann::json(nullptr);
        return nlohmann::json(runtime::to_hex(*r.value()));
      },
      MethodSafety::Unsafe);
}

}  // namespace bazaar::rpc
