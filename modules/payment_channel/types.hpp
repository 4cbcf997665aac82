#pragma once
// The PaymentChannel module's records, constants and storage items (see
// payment_channel.hpp for the module, its calls and the closing rules).

#include "modules/credits/credits.hpp"
#include "modules/payment_channel/state.hpp"
#include "runtime/framework/module.hpp"

#include <boost/describe.hpp>

#include <variant>

namespace bazaar::modules::payment_channel {

using runtime::BlockNumber;
using runtime::BoundedVec;
using runtime::Compact;
using runtime::MultiAddress;
using runtime::Weight;
using runtime::crypto::EcdsaSignature;
using namespace runtime::framework;

// ---- constants ----
/// Shortest challenge period a channel may choose (blocks).
inline constexpr BlockNumber kMinChallengePeriod = 2;
/// Longest challenge period a channel may choose (blocks; 7 days of 6-second blocks).
inline constexpr BlockNumber kMaxChallengePeriod = 100'800;
/// Smallest opening or funding deposit (base units: 0.1 CC).
inline constexpr Balance kMinDeposit = 100'000'000'000;
/// Deposits a channel records at most: the opening, the funding and the top-ups.
inline constexpr uint32_t kMaxDeposits = 16;

using MinChallengePeriod =
    ConstantDecl<"MinChallengePeriod", BlockNumber, kMinChallengePeriod, "Shortest challenge period (blocks).">;
using MaxChallengePeriod =
    ConstantDecl<"MaxChallengePeriod", BlockNumber, kMaxChallengePeriod, "Longest challenge period (blocks).">;
using MinDeposit = ConstantDecl<"MinDeposit", Balance, kMinDeposit,
                                "Smallest opening or funding deposit (base units; 10^12 = 1 CC).">;
using MaxDeposits = ConstantDecl<"MaxDeposits", uint32_t, kMaxDeposits,
                                 "Deposits one channel records at most (opening, funding and top-ups).">;

// ---- records ----

/// Which side of a channel an account is: A opened it, B is the counterparty.
enum class Party : uint8_t { A = 0, B = 1 };
BOOST_DESCRIBE_ENUM(Party, A, B)

/// One deposit into a channel, in order: the opening, the funding, each top-up.
struct DepositRecord {
  Party party = Party::A;
  Balance amount = 0;
  BlockNumber block = 0;  ///< the block it was made in
  friend bool operator==(const DepositRecord&, const DepositRecord&) = default;
};
BOOST_DESCRIBE_STRUCT(DepositRecord, (), (party, amount, block))

namespace channel_status {
struct Open {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "Open";
  static constexpr std::string_view kDocs = "Open: funds may be added; either party may close.";
  friend bool operator==(const Open&, const Open&) = default;
};
struct Closing {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "Closing";
  static constexpr std::string_view kDocs =
      "Closed unilaterally by `closer` with `state` at block `since`; the other party may challenge before block "
      "`until`, from which on anyone may settle.";
  AccountId32 closer;
  ChannelState state;
  BlockNumber since = 0;
  BlockNumber until = 0;
  friend bool operator==(const Closing&, const Closing&) = default;
};
BOOST_DESCRIBE_STRUCT(Open, (), ())
BOOST_DESCRIBE_STRUCT(Closing, (), (closer, state, since, until))
}  // namespace channel_status
using ChannelStatus = std::variant<channel_status::Open, channel_status::Closing>;

/// A live channel (settled channels are removed from storage).
struct Channel {
  AccountId32 party_a;  ///< the opener
  AccountId32 party_b;  ///< the counterparty
  uint64_t nonce = 0;   ///< the opener's channel nonce the id was derived from
  BlockNumber challenge_period = 0;
  Balance deposit_a = 0;  ///< A's deposits so far (held from A as ChannelDeposit)
  Balance deposit_b = 0;  ///< B's deposits so far (held from B as ChannelDeposit); 0 until funded
  BoundedVec<DepositRecord, kMaxDeposits> deposits;  ///< every deposit in order; sums to deposit_a + deposit_b
  BlockNumber opened_at = 0;
  ChannelStatus status;
  friend bool operator==(const Channel&, const Channel&) = default;
};
BOOST_DESCRIBE_STRUCT(Channel, (),
                      (party_a, party_b, nonce, challenge_period, deposit_a, deposit_b, deposits, opened_at, status))

// ---- storage ----
using Channels = StorageMap<"PaymentChannel", "Channels", Hasher::Blake2_128Concat, ChannelId, Channel, OptionQuery,
                            "Open and closing channels by id (removed once closed and paid out).">;
using ChannelsByParticipant =
    StorageDoubleMap<"PaymentChannel", "ChannelsByParticipant", Hasher::Blake2_128Concat, AccountId32,
                     Hasher::Blake2_128Concat, ChannelId, Party, OptionQuery,
                     "Index of the live channels by participant (value: the participant's side).">;
using NextChannelNonce = StorageMap<"PaymentChannel", "NextChannelNonce", Hasher::Blake2_128Concat, AccountId32,
                                    uint64_t, ValueQuery,
                                    "The nonce of the next channel an account opens (part of the channel id).">;

}  // namespace bazaar::modules::payment_channel
