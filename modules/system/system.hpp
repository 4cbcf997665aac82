#pragma once
// The System module (index 0), after frame_system: accounts (nonce, reference
// counts and the credits module's balance data), the block number and hashes,
// events, and the remark calls.

#include "runtime/framework/module.hpp"

#include <boost/describe.hpp>

namespace bazaar::modules::system {

using runtime::AccountId32;
using runtime::Balance;
using runtime::BlockNumber;
using runtime::Bytes;
using runtime::H256;
using runtime::Nonce;
using runtime::Weight;
using namespace runtime::framework;

/// pallet_balances::AccountData<u128>: balances in base units of CC.
struct AccountData {
  Balance free = 0;      ///< spendable, minus `frozen`
  Balance reserved = 0;  ///< the sum of all holds
  Balance frozen = 0;    ///< part of `free` that may not be spent
  Balance flags = 0;     ///< ExtraFlags (bit 127: new reserve/hold logic, always set)
  friend bool operator==(const AccountData&, const AccountData&) = default;
};
BOOST_DESCRIBE_STRUCT(AccountData, (), (free, reserved, frozen, flags))

/// frame_system::AccountInfo<Nonce, AccountData>.
struct AccountInfo {
  Nonce nonce = 0;           ///< transactions sent so far
  uint32_t consumers = 0;    ///< modules depending on this account existing (holds)
  uint32_t providers = 0;    ///< reasons this account exists (a balance >= existential deposit)
  uint32_t sufficients = 0;
  AccountData data;
  friend bool operator==(const AccountInfo&, const AccountInfo&) = default;
};
BOOST_DESCRIBE_STRUCT(AccountInfo, (), (nonce, consumers, providers, sufficients, data))

// ---- storage ----
using Account = StorageMap<"System", "Account", Hasher::Blake2_128Concat, AccountId32, AccountInfo, ValueQuery,
                           "The full account information for a particular account ID.">;
using ExtrinsicCount =
    StorageValue<"System", "ExtrinsicCount", uint32_t, OptionQuery, "Total extrinsics count for the current block.">;
using AllExtrinsicsLen = StorageValue<"System", "AllExtrinsicsLen", uint32_t, OptionQuery,
                                      "Total length (in bytes) for all extrinsics put together, for the current block.">;
using BlockHash = StorageMap<"System", "BlockHash", Hasher::Twox64Concat, BlockNumber, H256, ValueQuery,
                             "Map of block numbers to block hashes (the last BlockHashCount blocks and genesis).">;
using Number = StorageValue<"System", "Number", BlockNumber, ValueQuery,
                            "The current block number being processed. Set by `execute_block`.">;
using ParentHash = StorageValue<"System", "ParentHash", H256, ValueQuery, "Hash of the previous block.">;
using Events = EventsItem;
using EventCount = EventCountItem;

// ---- constants ----
inline constexpr BlockNumber kBlockHashCount = 2400;
inline constexpr uint16_t kSs58Prefix = 42;
using BlockHashCount = ConstantDecl<"BlockHashCount", BlockNumber, kBlockHashCount,
                                    "Maximum number of block number to block hash mappings to keep (oldest pruned first).">;
using SS58Prefix = ConstantDecl<"SS58Prefix", uint16_t, kSs58Prefix, "The designated SS58 prefix of this chain.">;

// ---- calls (indices as in frame_system) ----
struct Remark {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "remark";
  static constexpr std::string_view kDocs = "Make some on-chain remark. Can be executed by every `origin`.";
  Bytes remark;
  Weight weight() const { return {1'000'000 + 100 * remark.size(), 0}; }
};
BOOST_DESCRIBE_STRUCT(Remark, (), (remark))

struct RemarkWithEvent {
  static constexpr uint8_t kIndex = 7;
  static constexpr std::string_view kName = "remark_with_event";
  static constexpr std::string_view kDocs = "Make some on-chain remark and emit an event with its hash.";
  Bytes remark;
  Weight weight() const { return {5'000'000 + 1'000 * remark.size(), 0}; }
};
BOOST_DESCRIBE_STRUCT(RemarkWithEvent, (), (remark))

using Call = std::variant<Remark, RemarkWithEvent>;

// ---- events ----
struct ExtrinsicSuccess {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "ExtrinsicSuccess";
  static constexpr std::string_view kDocs = "An extrinsic completed successfully.";
  DispatchInfo dispatch_info;
};
struct ExtrinsicFailed {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "ExtrinsicFailed";
  static constexpr std::string_view kDocs = "An extrinsic failed.";
  DispatchError dispatch_error;
  DispatchInfo dispatch_info;
};
struct NewAccount {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "NewAccount";
  static constexpr std::string_view kDocs = "A new account was created.";
  AccountId32 account;
};
struct KilledAccount {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "KilledAccount";
  static constexpr std::string_view kDocs = "An account was reaped.";
  AccountId32 account;
};
struct Remarked {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "Remarked";
  static constexpr std::string_view kDocs = "On on-chain remark happened.";
  AccountId32 sender;
  H256 hash;
};
BOOST_DESCRIBE_STRUCT(ExtrinsicSuccess, (), (dispatch_info))
BOOST_DESCRIBE_STRUCT(ExtrinsicFailed, (), (dispatch_error, dispatch_info))
BOOST_DESCRIBE_STRUCT(NewAccount, (), (account))
BOOST_DESCRIBE_STRUCT(KilledAccount, (), (account))
BOOST_DESCRIBE_STRUCT(Remarked, (), (sender, hash))
using Event = std::variant<ExtrinsicSuccess, ExtrinsicFailed, NewAccount, KilledAccount, Remarked>;

// ---- errors ----
/// frame_system::Error (indices as in Substrate).
enum class Error : uint8_t {
  NonZeroRefCount = 4,
};
BOOST_DESCRIBE_ENUM(Error, NonZeroRefCount)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::NonZeroRefCount: return "The account still has consumers (holds) and cannot be reaped.";
  }
  return "";
}

struct GenesisConfig {};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), ())

struct Module {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "System";
  using Call = system::Call;
  using Event = system::Event;
  using Error = system::Error;
  using Storage = std::tuple<Account, ExtrinsicCount, AllExtrinsicsLen, BlockHash, Number, ParentHash, Events, EventCount>;
  using Constants = std::tuple<BlockHashCount, SS58Prefix>;
  using GenesisConfig = system::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
};

// ---- the module's API for other modules and the executive ----

/// Starts block `number` with parent `parent_hash`: sets Number, ParentHash,
/// BlockHash(number - 1), clears last block's events, prunes BlockHash older
/// than BlockHashCount (genesis is always kept).
void initialize_block(Context& ctx, BlockNumber number, const H256& parent_hash);
/// Ends the block: clears the per-block counters.
void finalize_block(Context& ctx);

Nonce account_nonce(const runtime::storage::StorageReader& state, const AccountId32& who);
void inc_account_nonce(Context& ctx, const AccountId32& who);

/// Reference counting (frame_system): an account exists while providers > 0.
/// inc_providers emits NewAccount on 0 -> 1; dec_providers reaps the account
/// (removes its AccountInfo, emits KilledAccount) on 1 -> 0, and fails with
/// NonZeroRefCount while it still has consumers.
void inc_providers(Context& ctx, const AccountId32& who);
DispatchResult dec_providers(Context& ctx, const AccountId32& who);
void inc_consumers(Context& ctx, const AccountId32& who);
void dec_consumers(Context& ctx, const AccountId32& who);

}  // namespace bazaar::modules::system
