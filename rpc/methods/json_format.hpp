#pragma once
// JSON shapes of the chain RPC methods (polkadot-js-compat.md §2.2, §6, §8) and
// the mapping of port failures to JSON-RPC errors (Substrate's codes,
// substrate/client/rpc-api/src/{author,state}/error.rs).

#include "rpc/ports/author_port.hpp"
#include "rpc/ports/chain_port.hpp"
#include "rpc/ports/port_error.hpp"
#include "rpc/ports/state_port.hpp"
#include "rpc/ports/system_port.hpp"
#include "rpc/server/rpc_error.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace bazaar::rpc {

/// Substrate's author error codes (base 1000).
inline constexpr int kAuthorBadFormat = 1001;  ///< "Extrinsic has invalid format: <codec error>"
inline constexpr int kPoolInvalidTx = 1010;    ///< "Invalid Transaction", data = reason
/// Substrate's state error codes (base 4000).
inline constexpr int kStateInvalidBlockRange = 4001;  ///< "Cannot resolve a block range ['from' ... 'to']. <detail>"
inline constexpr int kStateInvalidCount = 4002;  ///< "count exceeds maximum value. value: V, max: M"
inline constexpr int kStateClientError = 4003;   ///< "Client error: <detail>" (unknown block, pruned state)

/// A block number as Substrate serializes it: "0x" + lowercase hex without leading zeros ("0x0").
std::string number_to_hex(uint64_t number);

/// {"parentHash","number","stateRoot","extrinsicsRoot","digest":{"logs":[hex of each SCALE DigestItem]}}.
nlohmann::json header_to_json(const runtime::Header& header);

/// {"block":{"header":…,"extrinsics":["0x<full extrinsic with length prefix>",…]},"justifications":null|
/// [[[engine bytes as numbers], "0x<proof>"],…]}.
nlohmann::json signed_block_to_json(const runtime::Block& block, const std::vector<Justification>& justifications);

/// {"specName",…,"apis":[["0x<8 bytes>",version],…],"transactionVersion","systemVersion","stateVersion"}.
nlohmann::json runtime_version_to_json(const RuntimeVersionInfo& version);

/// {"peers","isSyncing","shouldHavePeers"}.
nlohmann::json health_to_json(const NodeHealth& health);

/// "future", "ready", {"broadcast":[…]}, {"inBlock":hash}, {"retracted":hash}, {"finalityTimeout":hash},
/// {"finalized":hash}, {"usurped":hash}, "dropped", "invalid".
nlohmann::json tx_status_to_json(const TxStatus& status);

/// UnknownBlock / StateUnavailable -> 4003 "Client error: <message>"; CallFailed -> 4003
/// "Client error: Execution failed: <message>"; Internal -> -32603.
RpcError port_error_to_rpc(const PortError& error);

/// The rejection as it is: {code, message, data}.
RpcError rejection_to_rpc(const SubmitRejection& rejection);

}  // namespace bazaar::rpc
