#pragma once
// Accounts and genesis shared by the credits tests.

#include "tests/modules/support/mock_runtime.hpp"

namespace bazaar::test::credits_fixture {

inline const AccountId32 kAlice = account(1);    ///< endowed with 1000 CC
inline const AccountId32 kBob = account(2);      ///< endowed with 100 CC
inline const AccountId32 kCharlie = account(3);  ///< does not exist at genesis
inline constexpr Balance kEd = credits::kExistentialDeposit;

inline MockGenesis genesis() {
  MockGenesis g;
  g.credits.balances = {{kAlice, cc(1000)}, {kBob, cc(100)}};
  return g;
}

}  // namespace bazaar::test::credits_fixture
