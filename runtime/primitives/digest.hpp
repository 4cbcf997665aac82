#pragma once
// Header digest (sp_runtime::generic::{Digest, DigestItem}; spec §6).
// A DigestItem is a SCALE enum with Substrate's indices:
//   0 Other(Vec<u8>) | 4 Consensus(engine[4], Vec<u8>) | 5 Seal(engine[4], Vec<u8>)
//   | 6 PreRuntime(engine[4], Vec<u8>) | 8 RuntimeEnvironmentUpdated

#include "runtime/codec/scale.hpp"

#include <boost/describe/class.hpp>

#include <array>
#include <cstdint>
#include <variant>
#include <vector>

namespace bazaar::runtime {

/// A 4-byte consensus engine id (sp_runtime::ConsensusEngineId).
using ConsensusEngineId = std::array<uint8_t, 4>;
/// "aura": Aura's slot (PreRuntime) and seal (Seal) items.
inline constexpr ConsensusEngineId kAuraEngineId = {'a', 'u', 'r', 'a'};

struct DigestOther {
  static constexpr uint8_t kIndex = 0;
  Bytes data;
  friend bool operator==(const DigestOther&, const DigestOther&) = default;
};
BOOST_DESCRIBE_STRUCT(DigestOther, (), (data))

/// A message from the runtime to the consensus engine.
struct DigestConsensus {
  static constexpr uint8_t kIndex = 4;
  ConsensusEngineId engine{};
  Bytes data;
  friend bool operator==(const DigestConsensus&, const DigestConsensus&) = default;
};
BOOST_DESCRIBE_STRUCT(DigestConsensus, (), (engine, data))

/// The block author's seal (signature over the header without this item); always last.
struct DigestSeal {
  static constexpr uint8_t kIndex = 5;
  ConsensusEngineId engine{};
  Bytes data;
  friend bool operator==(const DigestSeal&, const DigestSeal&) = default;
};
BOOST_DESCRIBE_STRUCT(DigestSeal, (), (engine, data))

/// Put by the block author before execution (Aura: the slot as u64 LE).
struct DigestPreRuntime {
  static constexpr uint8_t kIndex = 6;
  ConsensusEngineId engine{};
  Bytes data;
  friend bool operator==(const DigestPreRuntime&, const DigestPreRuntime&) = default;
};
BOOST_DESCRIBE_STRUCT(DigestPreRuntime, (), (engine, data))

/// The runtime code or heap pages changed in this block.
struct DigestRuntimeEnvironmentUpdated {
  static constexpr uint8_t kIndex = 8;
  friend bool operator==(const DigestRuntimeEnvironmentUpdated&, const DigestRuntimeEnvironmentUpdated&) = default;
};
BOOST_DESCRIBE_STRUCT(DigestRuntimeEnvironmentUpdated, (), ())

using DigestItem =
    std::variant<DigestOther, DigestConsensus, DigestSeal, DigestPreRuntime, DigestRuntimeEnvironmentUpdated>;

struct Digest {
  std::vector<DigestItem> logs;
  friend bool operator==(const Digest&, const Digest&) = default;
};
BOOST_DESCRIBE_STRUCT(Digest, (), (logs))

}  // namespace bazaar::runtime
