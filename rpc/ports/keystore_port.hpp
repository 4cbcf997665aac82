#pragma once
// The node's keystore as the author_*Key* RPC methods see it (all unsafe
// methods). Header-only.

#include "rpc/ports/port_error.hpp"
#include "runtime/codec/bytes.hpp"

#include <array>
#include <string>

namespace bazaar::rpc {

/// A four-character key type ("aura", ...), sp_core::crypto::KeyTypeId.
using KeyType = std::array<char, 4>;

/// Thread-safe: called from the RPC I/O threads. Errors are Internal (with the
/// reason) unless stated otherwise.
class KeystorePort {
 public:
  virtual ~KeystorePort() = default;

  /// Stores the key `suri` under `key_type`; `public_key` must be the public
  /// key the SURI derives (CallFailed with a message otherwise, or for a bad SURI).
  virtual PortResult<void> insert_key(const KeyType& key_type, const std::string& suri,
                                      runtime::ByteSpan public_key) = 0;
  /// Whether the private key of `public_key` is stored under `key_type`.
  virtual PortResult<bool> has_key(runtime::ByteSpan public_key, const KeyType& key_type) const = 0;
  /// Generates and stores a new key for each session key type; their public
  /// keys concatenated in the runtime's SessionKeys order.
  virtual PortResult<runtime::Bytes> rotate_keys() = 0;
  /// Whether every key of the concatenated `session_keys` is stored (false if
  /// they do not split into the session key types).
  virtual PortResult<bool> has_session_keys(runtime::ByteSpan session_keys) const = 0;
};

}  // namespace bazaar::rpc
