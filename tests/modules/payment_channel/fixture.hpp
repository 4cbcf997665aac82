#pragma once
// Keys, accounts, a funded channel and the money checks shared by the
// payment_channel tests. Alice is the requester (party A, the opener), Bob the
// provider (party B), Charlie a third party.

#include "tests/modules/support/mock_runtime.hpp"

#include "modules/composition/runtime.hpp"
#include "modules/payment_channel/payment_channel.hpp"
#include "runtime/crypto/hash.hpp"

#include <map>

namespace bazaar::test::channel_fixture {

namespace pc = modules::payment_channel;
using PC = pc::Module;
using pc::ChannelId;
using pc::ChannelState;
using runtime::H256;
using runtime::crypto::EcdsaSignature;
using runtime::crypto::Keypair;

inline Keypair key(uint8_t n) {
  std::array<uint8_t, 32> secret{};
  secret.fill(n);
  return Keypair::from_secret(secret).value();
}

inline const Keypair kAliceKey = key(0xa1);
inline const Keypair kBobKey = key(0xb0);
inline const Keypair kCharlieKey = key(0xc4);
inline const AccountId32 kAlice = kAliceKey.account_id();      ///< requester, 1000 CC
inline const AccountId32 kBob = kBobKey.account_id();          ///< provider, 100 CC
inline const AccountId32 kCharlie = kCharlieKey.account_id();  ///< third party, 100 CC
inline const AccountId32 kDave = account(4);                    ///< poor: 1 CC
inline const H256 kGenesisHash = runtime::crypto::blake2b_256(runtime::to_bytes("bazaar test genesis"));

inline constexpr BlockNumber kPeriod = 5;
inline const Balance kDepositA = cc(100);
inline const Balance kDepositB = cc(10);

inline MockGenesis genesis() {
  MockGenesis g;
  g.credits.balances = {{kAlice, cc(1000)}, {kBob, cc(100)}, {kCharlie, cc(100)}, {kDave, cc(1)}};
  return g;
}

inline std::string pc_event(const pc::Event& e) { return event_string<PC>(e); }
inline DispatchError pc_error(pc::Error e) { return module_error<PC>(e); }
inline DispatchError credits_error(credits::Error e) { return module_error<credits::Module>(e); }

/// The current block's PaymentChannel events, as event_string().
inline std::vector<std::string> pc_events(MockRuntime& rt) {
  using namespace modules::composition;
  std::vector<std::string> out;
  auto raw = rt.state().get(system::Events::key());
  if (!raw) return out;
  auto records = decode_events(*raw);
  REQUIRE(records);
  for (const auto& r : records.value())
    if (const auto* me = std::get_if<ModuleEvent<PC>>(&r.event.value)) out.push_back(pc_event(me->event));
  return out;
}
inline std::string last_pc_event(MockRuntime& rt) {
  auto all = pc_events(rt);
  return all.empty() ? std::string() : all.back();
}

/// A state, signed by both parties as an update (or as final) under `genesis`.
struct SignedState {
  ChannelState state;
  EcdsaSignature sig_a;
  EcdsaSignature sig_b;
};
inline SignedState sign_update(const ChannelState& s, const H256& genesis = kGenesisHash) {
  return {s, pc::sign_state(kAliceKey, genesis, s), pc::sign_state(kBobKey, genesis, s)};
}
inline SignedState sign_final(const ChannelState& s, const H256& genesis = kGenesisHash) {
  return {s, pc::sign_close(kAliceKey, genesis, s), pc::sign_close(kBobKey, genesis, s)};
}

inline pc::Channel channel(MockRuntime& rt, const ChannelId& id) { return *pc::Channels::get(rt.state(), id); }
inline Balance free_of(MockRuntime& rt, const AccountId32& who) { return credits::free_balance(rt.state(), who); }
inline Balance held_of(MockRuntime& rt, const AccountId32& who) {
  return credits::held(rt.state(), credits::HoldReason::ChannelDeposit, who);
}

/// Money is conserved and every channel agrees with the holds: check_credits_invariants; the
/// ChannelDeposit hold of each account == its deposits over the live channels; each channel's
/// deposit records sum to deposit_a / deposit_b; ChannelsByParticipant indexes exactly the live
/// channels with the right sides; TotalIssuance == `issuance` (nothing minted or burned).
inline void check_channel_invariants(MockRuntime& rt, Balance issuance) {
  const auto& s = rt.state();
  check_credits_invariants(s);
  CHECK(credits::total_issuance(s) == issuance);
  std::map<AccountId32, Balance> expected;
  std::size_t channels = 0;
  for (const auto& [id, ch] : pc::Channels::entries(s)) {
    ++channels;
    expected[ch.party_a] += ch.deposit_a;
    expected[ch.party_b] += ch.deposit_b;
    Balance a = 0, b = 0;
    for (const auto& d : ch.deposits.items) (d.party == pc::Party::A ? a : b) += d.amount;
    CHECK(a == ch.deposit_a);
    CHECK(b == ch.deposit_b);
    CHECK(pc::ChannelsByParticipant::get(s, ch.party_a, id) == std::optional(pc::Party::A));
    CHECK(pc::ChannelsByParticipant::get(s, ch.party_b, id) == std::optional(pc::Party::B));
  }
  std::size_t index_entries = 0;
  const Bytes prefix = pc::ChannelsByParticipant::prefix();
  auto in_index = [&](const std::optional<Bytes>& k) {
    return k && k->size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k->begin());
  };
  for (auto k = s.next_key(prefix); in_index(k); k = s.next_key(*k)) ++index_entries;
  CHECK(index_entries == 2 * channels);
  for (const auto& [who, holds] : credits::HoldsOf::entries(s))
    for (const auto& h : holds.items)
      if (h.id == credits::HoldReason::ChannelDeposit) expected[who];  // every actual hold is compared
  for (const auto& [who, amount] : expected) {
    INFO("account " << runtime::to_hex(who));
    CHECK(credits::held(s, credits::HoldReason::ChannelDeposit, who) == amount);
  }
}

/// A runtime at block 1 with the test genesis hash in System.BlockHash(0).
struct Chain {
  MockRuntime rt{genesis()};
  Balance issuance = 0;
  Chain() {
    system::BlockHash::put(rt.state(), 0, kGenesisHash);
    issuance = credits::total_issuance(rt.state());
  }
  DispatchResult open(const AccountId32& who, const AccountId32& counterparty, Balance deposit,
                      BlockNumber period = kPeriod) {
    return rt.dispatch<PC>(signed_by(who), pc::OpenChannel{id(counterparty), {deposit}, period});
  }
  DispatchResult fund(const AccountId32& who, const ChannelId& ch, Balance deposit) {
    return rt.dispatch<PC>(signed_by(who), pc::FundChannel{ch, {deposit}});
  }
  DispatchResult top_up(const AccountId32& who, const ChannelId& ch, Balance amount) {
    return rt.dispatch<PC>(signed_by(who), pc::TopUp{ch, {amount}});
  }
  DispatchResult cooperative_close(const AccountId32& who, const SignedState& s) {
    return rt.dispatch<PC>(signed_by(who), pc::CooperativeClose{s.state, s.sig_a, s.sig_b});
  }
  DispatchResult close_unilateral(const AccountId32& who, const SignedState& s) {
    return rt.dispatch<PC>(signed_by(who), pc::CloseUnilateral{s.state, s.sig_a, s.sig_b});
  }
  DispatchResult challenge(const AccountId32& who, const SignedState& s) {
    return rt.dispatch<PC>(signed_by(who), pc::Challenge{s.state, s.sig_a, s.sig_b});
  }
  DispatchResult settle(const AccountId32& who, const ChannelId& ch) {
    return rt.dispatch<PC>(signed_by(who), pc::Settle{ch});
  }
  void check() { check_channel_invariants(rt, issuance); }
};

/// A chain with Alice's channel to Bob open (100 CC, period 5) and funded by Bob (10 CC).
struct FundedChannel : Chain {
  ChannelId cid = pc::channel_id(kAlice, kBob, 0);
  FundedChannel() {
    REQUIRE(open(kAlice, kBob, kDepositA));
    REQUIRE(fund(kBob, cid, kDepositB));
  }
  /// A state of this channel.
  ChannelState state(uint64_t version, Balance a, Balance b, H256 root = H256{}) const {
    return ChannelState{cid, version, a, b, root};
  }
};

}  // namespace bazaar::test::channel_fixture
