#pragma once
// The Sudo module (index 3), after pallet_sudo: dev-chain governance. One key,
// set at genesis, may dispatch any call with Root origin.

#include "runtime/codec/box.hpp"
#include "runtime/framework/module.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <boost/describe.hpp>

namespace bazaar::modules::composition {
struct RuntimeCall;  // modules/composition/runtime.hpp
}

namespace bazaar::modules::sudo {

using runtime::AccountId32;
using runtime::MultiAddress;
using runtime::Weight;
using runtime::codec::Box;
using namespace runtime::framework;
using composition::RuntimeCall;

using Key = StorageValue<"Sudo", "Key", AccountId32, OptionQuery, "The `AccountId` of the sudo key.">;

struct Sudo {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "sudo";
  static constexpr std::string_view kDocs = "Dispatch a call with Root origin. The origin must be the sudo key.";
  Box<RuntimeCall> call;
  Weight weight() const;  // the inner call's weight plus a base
};
struct SetKey {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "set_key";
  static constexpr std::string_view kDocs = "Set the sudo key. The origin must be the current sudo key.";
  static constexpr Weight kWeight{10'000'000, 0};
  MultiAddress new_;
};
struct SudoAs {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "sudo_as";
  static constexpr std::string_view kDocs = "Dispatch a call with a Signed origin of another account.";
  MultiAddress who;
  Box<RuntimeCall> call;
  Weight weight() const;
};
struct RemoveKey {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "remove_key";
  static constexpr std::string_view kDocs = "Permanently remove the sudo key. This cannot be undone.";
  static constexpr Weight kWeight{10'000'000, 0};
};
BOOST_DESCRIBE_STRUCT(Sudo, (), (call))
BOOST_DESCRIBE_STRUCT(SetKey, (), (new_))
BOOST_DESCRIBE_STRUCT(SudoAs, (), (who, call))
BOOST_DESCRIBE_STRUCT(RemoveKey, (), ())
using Call = std::variant<Sudo, SetKey, SudoAs, RemoveKey>;

/// Result<(), DispatchError> as carried by the events.
using DispatchResultValue = runtime::codec::ScaleResult<std::monostate, DispatchError>;

struct Sudid {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "Sudid";
  static constexpr std::string_view kDocs = "A sudo call just took place.";
  DispatchResultValue sudo_result;
};
struct KeyChanged {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "KeyChanged";
  static constexpr std::string_view kDocs = "The sudo key has been updated.";
  std::optional<AccountId32> old;
  AccountId32 new_;
};
struct KeyRemoved {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "KeyRemoved";
  static constexpr std::string_view kDocs = "The key was permanently removed.";
};
struct SudoAsDone {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "SudoAsDone";
  static constexpr std::string_view kDocs = "A sudo_as call just took place.";
  DispatchResultValue sudo_result;
};
BOOST_DESCRIBE_STRUCT(Sudid, (), (sudo_result))
BOOST_DESCRIBE_STRUCT(KeyChanged, (), (old, new_))
BOOST_DESCRIBE_STRUCT(KeyRemoved, (), ())
BOOST_DESCRIBE_STRUCT(SudoAsDone, (), (sudo_result))
using Event = std::variant<Sudid, KeyChanged, KeyRemoved, SudoAsDone>;

enum class Error : uint8_t {
  RequireSudo = 0,
};
BOOST_DESCRIBE_ENUM(Error, RequireSudo)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::RequireSudo: return "The sender is not the sudo key.";
  }
  return "";
}

struct GenesisConfig {
  std::optional<AccountId32> key;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (key))

struct Module {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "Sudo";
  using Call = sudo::Call;
  using Event = sudo::Event;
  using Error = sudo::Error;
  using Storage = std::tuple<Key>;
  using Constants = std::tuple<>;
  using GenesisConfig = sudo::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
};

}  // namespace bazaar::modules::sudo
