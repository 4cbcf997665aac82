#pragma once
// The Timestamp module (index 1), after pallet_timestamp: the block author
// sets the time once per block with an unsigned, mandatory inherent.

#include "runtime/framework/module.hpp"

#include <boost/describe.hpp>

namespace bazaar::modules::timestamp {

using runtime::Moment;
using runtime::Weight;
using namespace runtime::framework;

using Now = StorageValue<"Timestamp", "Now", Moment, ValueQuery, "The current time for the current block (ms).">;
using DidUpdate = StorageValue<"Timestamp", "DidUpdate", bool, ValueQuery,
                               "Whether the timestamp has been updated in this block (cleared at block end).">;
using MinimumPeriod = StorageValue<"Timestamp", "MinimumPeriod", Moment, ValueQuery,
                                   "The minimum period between blocks (ms), set at genesis (half the slot duration).">;

struct Set {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "set";
  static constexpr std::string_view kDocs =
      "Set the current time. Inherent: unsigned, once per block, at least MinimumPeriod after the previous block.";
  static constexpr Weight kWeight{5'000'000, 0};
  static constexpr DispatchClass kClass = DispatchClass::Mandatory;
  runtime::Compact<Moment> now;
};
BOOST_DESCRIBE_STRUCT(Set, (), (now))
using Call = std::variant<Set>;

/// No events, as pallet_timestamp.
using Event = NoEvents;

enum class Error : uint8_t {
  AlreadyUpdated = 0,
  TooEarly = 1,
  Missing = 2,
};
BOOST_DESCRIBE_ENUM(Error, AlreadyUpdated, TooEarly, Missing)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::AlreadyUpdated: return "Set called twice in one block.";
    case Error::TooEarly: return "Less than MinimumPeriod after the previous block.";
    case Error::Missing: return "A block without the timestamp inherent.";
  }
  return "";
}

struct GenesisConfig {
  Moment minimum_period_ms = 500;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (minimum_period_ms))

struct Module {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "Timestamp";
  using Call = timestamp::Call;
  using Event = timestamp::Event;
  using Error = timestamp::Error;
  using Storage = std::tuple<Now, DidUpdate, MinimumPeriod>;
  using Constants = std::tuple<>;
  using GenesisConfig = timestamp::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
};

/// Fails with Error::Missing when the block had no timestamp inherent; clears DidUpdate.
DispatchResult on_finalize(Context& ctx);

}  // namespace bazaar::modules::timestamp
