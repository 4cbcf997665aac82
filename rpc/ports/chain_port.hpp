#pragma once
// The chain as the RPC methods see it (chain_* methods; STYLE.md: rpc only on
// small port interfaces that node/service implements). Header-only.

#include "rpc/ports/port_subscription.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/digest.hpp"
#include "runtime/primitives/header.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace bazaar::rpc {

/// One finality proof of a block (sp_runtime::Justification): consensus engine and encoded proof.
struct Justification {
  runtime::ConsensusEngineId engine{};
  runtime::Bytes data;
  friend bool operator==(const Justification&, const Justification&) = default;
};

/// Read access to the block tree and head notifications. Thread-safe: called
/// from the RPC I/O threads.
class ChainPort {
 public:
  virtual ~ChainPort() = default;

  virtual runtime::H256 genesis_hash() const = 0;
  /// Head of the best chain.
  virtual runtime::H256 best_hash() const = 0;
  /// Last finalized block.
  virtual runtime::H256 finalized_hash() const = 0;
  /// Hash of the block at `number` on the best chain; nullopt above the best block.
  virtual std::optional<runtime::H256> hash_at(runtime::BlockNumber number) const = 0;
  /// Header of any stored block; nullopt if unknown.
  virtual std::optional<runtime::Header> header(const runtime::H256& hash) const = 0;
  /// Full block (extrinsics exactly as submitted); nullopt if unknown.
  virtual std::optional<runtime::Block> block(const runtime::H256& hash) const = 0;
  /// The block's justifications (empty if none are stored).
  virtual std::vector<Justification> justifications(const runtime::H256& hash) const = 0;

  /// Called with (hash, header) of a block. May run on any node thread; must be short.
  using HeadCallback = std::function<void(const runtime::H256&, const runtime::Header&)>;
  /// Each new best block, in order (after a reorg: the new head only).
  virtual PortSubscription subscribe_best_heads(HeadCallback callback) = 0;
  /// Each newly finalized block, in increasing number order.
  virtual PortSubscription subscribe_finalized_heads(HeadCallback callback) = 0;
  /// Each imported block, best or not.
  virtual PortSubscription subscribe_all_heads(HeadCallback callback) = 0;
};

}  // namespace bazaar::rpc
