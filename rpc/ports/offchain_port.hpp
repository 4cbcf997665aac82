#pragma once
// Offchain local storage as the offchain_localStorage* RPC methods see it
// (sp_core::offchain::StorageKind; both methods are unsafe). Header-only.

#include "rpc/ports/port_error.hpp"
#include "runtime/codec/bytes.hpp"

#include <optional>

namespace bazaar::rpc {

/// PERSISTENT: kept across restarts and forks; LOCAL: node-local scratch data.
enum class OffchainStorageKind { Persistent, Local };

/// Thread-safe: called from the RPC I/O threads. Errors: Internal (database failure).
class OffchainPort {
 public:
  virtual ~OffchainPort() = default;
  virtual PortResult<std::optional<runtime::Bytes>> local_storage_get(OffchainStorageKind kind,
                                                                      runtime::ByteSpan key) const = 0;
  virtual PortResult<void> local_storage_set(OffchainStorageKind kind, runtime::ByteSpan key,
                                             runtime::ByteSpan value) = 0;
};

}  // namespace bazaar::rpc
