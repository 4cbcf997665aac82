#pragma once
// The node's keystore on disk (<data dir>/keystore), in Substrate's layout:
// one file per key, named hex(key type) ++ hex(public key), holding the
// secret URI as a JSON string, readable by its owner only (0600). Every key is
// secp256k1 (Bazaar's one key scheme). Serves author_insertKey, author_hasKey,
// author_rotateKeys and author_hasSessionKeys.

#include "rpc/ports/keystore_port.hpp"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace bazaar::node::service {

/// The session key types, in the runtime's SessionKeys order: Aura's.
inline const std::vector<rpc::KeyType> kSessionKeyTypes = {rpc::KeyType{'a', 'u', 'r', 'a'}};

class Keystore final : public rpc::KeystorePort {
 public:
  /// Keys live in `dir` (created on first write).
  explicit Keystore(std::filesystem::path dir) : m_dir(std::move(dir)) {}

  rpc::PortResult<void> insert_key(const rpc::KeyType& key_type, const std::string& suri,
                                   runtime::ByteSpan public_key) override;
  rpc::PortResult<bool> has_key(runtime::ByteSpan public_key, const rpc::KeyType& key_type) const override;
  rpc::PortResult<runtime::Bytes> rotate_keys() override;
  rpc::PortResult<bool> has_session_keys(runtime::ByteSpan session_keys) const override;

  /// The secret URI stored for (key type, public key); nullopt if none.
  std::optional<std::string> secret_uri(const rpc::KeyType& key_type, runtime::ByteSpan public_key) const;
  const std::filesystem::path& dir() const { return m_dir; }

 private:
  std::filesystem::path file_of(const rpc::KeyType& key_type, runtime::ByteSpan public_key) const;
  rpc::PortResult<void> store(const rpc::KeyType& key_type, const std::string& suri, runtime::ByteSpan public_key);

  std::filesystem::path m_dir;
  mutable std::mutex m_mutex;  // serializes writes
};

}  // namespace bazaar::node::service
