#pragma once
// Storage and runtime-version reads at a block, as the state_* RPC methods see
// them. Header-only.

#include "rpc/ports/port_error.hpp"
#include "runtime/codec/bytes.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bazaar::rpc {

/// sp_version::RuntimeVersion as served by state_getRuntimeVersion (spec §2.2).
struct RuntimeVersionInfo {
  std::string spec_name;
  std::string impl_name;
  uint32_t authoring_version = 0;
  uint32_t spec_version = 0;
  uint32_t impl_version = 0;
  /// (blake2b-64 of the runtime API name, API version)
  std::vector<std::pair<std::array<uint8_t, 8>, uint32_t>> apis;
  uint32_t transaction_version = 0;
  uint8_t state_version = 0;
  friend bool operator==(const RuntimeVersionInfo&, const RuntimeVersionInfo&) = default;
};

/// Thread-safe: called from the RPC I/O threads and from head callbacks.
class StatePort {
 public:
  virtual ~StatePort() = default;

  /// The value under `key` in the state after block `at`; nullopt if the key is absent.
  /// Errors: UnknownBlock, StateUnavailable, Internal.
  virtual PortResult<std::optional<runtime::Bytes>> storage(const runtime::H256& at, runtime::ByteSpan key) const = 0;
  /// Up to `count` keys starting with `prefix`, in byte order, strictly after
  /// `start_key` when given (Substrate's state_getKeysPaged). Errors: as storage().
  virtual PortResult<std::vector<runtime::Bytes>> storage_keys_paged(const runtime::H256& at,
                                                                     runtime::ByteSpan prefix, uint32_t count,
                                                                     const std::optional<runtime::Bytes>& start_key)
      const = 0;
  /// The runtime version in force at block `at`. Errors: as storage().
  virtual PortResult<RuntimeVersionInfo> runtime_version(const runtime::H256& at) const = 0;
  /// Calls the runtime API `method` ("Core_version", "Metadata_metadata_at_version", ...)
  /// with SCALE `args` on the state of block `at`: its SCALE result. Errors: as storage(),
  /// and CallFailed with the runtime's message (unknown method, malformed arguments, ...).
  virtual PortResult<runtime::Bytes> call(const runtime::H256& at, const std::string& method,
                                          runtime::ByteSpan args) const = 0;
  /// RuntimeMetadataPrefixed bytes of the runtime at block `at`. Errors: as storage().
  virtual PortResult<runtime::Bytes> metadata(const runtime::H256& at) const = 0;
  /// The encoded trie nodes proving the values (or absence) of `keys` in the
  /// state of block `at`, each node once. Errors: as storage().
  virtual PortResult<std::vector<runtime::Bytes>> read_proof(const runtime::H256& at,
                                                             const std::vector<runtime::Bytes>& keys) const = 0;
  /// Every key whose value differs between the state of block `at` and its
  /// parent's, in byte order, with its value at `at` (nullopt = removed);
  /// for the genesis block, every key. Errors: as storage().
  virtual PortResult<std::vector<std::pair<runtime::Bytes, std::optional<runtime::Bytes>>>> changes(
      const runtime::H256& at) const = 0;
};

}  // namespace bazaar::rpc
