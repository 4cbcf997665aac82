#pragma once
// The node's JSON-RPC methods (system_*, chain_*, state_*, author_*), declared
// once each in the registry with their parameters and docs (STYLE.md point 11).
// Handlers only see the ports (rpc/ports), which node/service implements; the
// ports must outlive every server that uses the registry.
//
// Conventions (Substrate's, polkadot-js-compat.md §1, §2, §6 - §9):
// - malformed hex, wrong types or counts: -32602 with a message naming the parameter;
// - an unknown block hash: null from chain_getHeader / chain_getBlock, 4003
//   "Client error: ..." from state_* methods;
// - undecodable extrinsic bytes: 1001 "Extrinsic has invalid format: <reason>";
//   pool refusals: the pool's code (1010 "Invalid Transaction" with the reason as data, ...);
// - every subscription sends its initial notification at once.

#include "rpc/ports/author_port.hpp"
#include "rpc/ports/chain_port.hpp"
#include "rpc/ports/keystore_port.hpp"
#include "rpc/ports/offchain_port.hpp"
#include "rpc/ports/state_port.hpp"
#include "rpc/ports/system_port.hpp"
#include "rpc/server/method_registry.hpp"

#include <cstdint>

namespace bazaar::rpc {

/// Bounds of the state methods.
struct StateMethodsOptions {
  /// state_getKeysPaged: most keys per page (Substrate: 1000); more -> 4002.
  uint32_t max_keys_page = 1000;
  /// state_queryStorageAt / state_subscribeStorage / state_getReadProof: most keys per call; more -> -32602.
  std::size_t max_query_keys = 1000;
  /// state_queryStorage: most blocks in the range; more -> 4001.
  std::size_t max_query_blocks = 1000;
};

/// The ports the methods are written against.
struct NodePorts {
  ChainPort& chain;
  StatePort& state;
  AuthorPort& author;
  SystemPort& system;
  KeystorePort& keystore;
  OffchainPort& offchain;
};

/// system_name, system_version, system_chain, system_chainType, system_properties,
/// system_health, system_accountNextIndex (SS58 or 0x-hex account), system_nodeRoles,
/// system_syncState, system_localPeerId, system_peers (unsafe).
void register_system_methods(MethodRegistry& registry, SystemPort& system);

/// The runtime reached through the state: state_call (+ state_callAt), state_getMetadata,
/// payment_queryInfo, payment_queryFeeDetails, system_dryRun (+ system_dryRunAt; unsafe).
/// A failing runtime call (unknown method, malformed SCALE) is 4003 "Client error:
/// Execution failed: <reason>".
void register_runtime_methods(MethodRegistry& registry, ChainPort& chain, StatePort& state);

/// author_insertKey, author_hasKey, author_rotateKeys, author_hasSessionKeys (all unsafe).
void register_key_methods(MethodRegistry& registry, KeystorePort& keystore);

/// offchain_localStorageGet, offchain_localStorageSet (kind "PERSISTENT" or "LOCAL"; unsafe).
void register_offchain_methods(MethodRegistry& registry, OffchainPort& offchain);

/// chain_getBlockHash (+ chain_getHead), chain_getHeader, chain_getBlock, chain_getFinalizedHead
/// (+ chain_getFinalisedHead), chain_subscribeNewHeads (+ chain_subscribeNewHead, subscribe_newHead),
/// chain_subscribeFinalizedHeads (+ chain_subscribeFinalisedHeads), chain_subscribeAllHeads.
void register_chain_methods(MethodRegistry& registry, ChainPort& chain);

/// state_getStorage (+ state_getStorageAt), state_getStorageHash (+ At), state_getStorageSize (+ At),
/// state_getKeysPaged (+ state_getKeysPagedAt), state_queryStorageAt, state_queryStorage,
/// state_getReadProof, state_subscribeStorage (given keys, or every change when none),
/// state_getRuntimeVersion (+ chain_getRuntimeVersion), state_subscribeRuntimeVersion
/// (+ chain_subscribeRuntimeVersion).
void register_state_methods(MethodRegistry& registry, ChainPort& chain, StatePort& state,
                            StateMethodsOptions options = {});

/// author_submitExtrinsic, author_submitAndWatchExtrinsic (unsubscribe author_unwatchExtrinsic),
/// author_pendingExtrinsics.
void register_author_methods(MethodRegistry& registry, AuthorPort& author);

/// All of the above.
void register_node_methods(MethodRegistry& registry, const NodePorts& ports, StateMethodsOptions options = {});

}  // namespace bazaar::rpc
