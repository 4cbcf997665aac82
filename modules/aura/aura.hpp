#pragma once
// The Aura module (index 2), after pallet_aura: the authority set and the
// current slot. The slot of a block is in its header's PreRuntime digest
// (engine "aura", SCALE u64); the author of slot s is authorities[s mod n].
// Seal checking is the node's job (node/consensus); the runtime checks that
// slots increase and names the author (fees go to the author).

#include "runtime/crypto/ecdsa.hpp"
#include "runtime/framework/module.hpp"
#include "runtime/primitives/digest.hpp"

#include <boost/describe.hpp>

namespace bazaar::modules::aura {

using runtime::AccountId32;
using runtime::crypto::EcdsaPublic;
using namespace runtime::framework;

using Authorities = StorageValue<"Aura", "Authorities", std::vector<EcdsaPublic>, ValueQuery,
                                 "The current authority set (compressed secp256k1 public keys).">;
using CurrentSlot = StorageValue<"Aura", "CurrentSlot", uint64_t, ValueQuery, "The current slot of this block.">;
using SlotDuration = StorageValue<"Aura", "SlotDuration", uint64_t, ValueQuery, "The slot duration in milliseconds.">;

using Call = NoCalls;
using Event = NoEvents;

enum class Error : uint8_t {
  MissingSlot = 0,
  SlotNotIncreasing = 1,
  NoAuthorities = 2,
  TimestampNotInSlot = 3,
};
BOOST_DESCRIBE_ENUM(Error, MissingSlot, SlotNotIncreasing, NoAuthorities, TimestampNotInSlot)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::MissingSlot: return "The header has no Aura PreRuntime digest.";
    case Error::SlotNotIncreasing: return "The slot is not after the parent's.";
    case Error::NoAuthorities: return "The authority set is empty.";
    case Error::TimestampNotInSlot: return "The block's timestamp is not within its slot.";
  }
  return "";
}

struct GenesisConfig {
  std::vector<EcdsaPublic> authorities;
  uint64_t slot_duration_ms = 1000;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (authorities, slot_duration_ms))

struct Module {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "Aura";
  using Call = aura::Call;
  using Event = aura::Event;
  using Error = aura::Error;
  using Storage = std::tuple<Authorities, CurrentSlot, SlotDuration>;
  using Constants = std::tuple<>;
  using GenesisConfig = aura::GenesisConfig;
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
};

inline constexpr std::array<uint8_t, 4> kEngineId{'a', 'u', 'r', 'a'};

/// The slot in a digest's Aura PreRuntime item, if any.
std::optional<uint64_t> find_slot(const runtime::Digest& digest);
/// Checks the block's slot is after the parent's and records it.
DispatchResult on_initialize(Context& ctx, const runtime::Digest& digest);
/// pallet_aura's OnTimestampSet, checked when the block is finalized: the
/// block's time (Timestamp.Now) must fall in its slot (now / SlotDuration ==
/// CurrentSlot), so an author cannot claim a slot before its time.
DispatchResult check_timestamp(const runtime::storage::StorageReader& state, runtime::Moment now);
/// The author of the current block (authorities[CurrentSlot mod n]).
std::optional<AccountId32> author(const runtime::storage::StorageReader& state);

}  // namespace bazaar::modules::aura
