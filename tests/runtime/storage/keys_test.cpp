#include "runtime/framework/storage_item.hpp"
#include "runtime/primitives/types.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::framework;

namespace {
using Account = StorageMap<"System", "Account", Hasher::Blake2_128Concat, AccountId32, uint32_t, ValueQuery>;
using Number = StorageValue<"System", "Number", BlockNumber, ValueQuery>;
using Events = StorageValue<"System", "Events", uint32_t, ValueQuery>;
using BlockHash = StorageMap<"System", "BlockHash", Hasher::Twox64Concat, BlockNumber, H256, ValueQuery>;
using TotalIssuance = StorageValue<"Balances", "TotalIssuance", u128, ValueQuery>;
using Pairs = StorageDoubleMap<"Test", "Pairs", Hasher::Twox64Concat, uint32_t, Hasher::Blake2_128Concat, uint64_t,
                               std::string, OptionQuery>;

std::string key_of(std::string_view item) {
  for (const auto& v : bazaar::test::vectors()["storage_keys"]["items"])
    if (v["item"] == item) return v["key"];
  FAIL("no vector " << item);
  return {};
}
}  // namespace

SCENARIO("storage keys are Substrate's, byte for byte") {
  AccountId32 alice = *fixed_from_hex<AccountId32>("0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed");
  CHECK(to_hex(Account::key(alice)) == key_of("System.Account(//Alice ecdsa)"));
  CHECK(to_hex(Number::key()) == key_of("System.Number"));
  CHECK(to_hex(Events::key()) == key_of("System.Events"));
  CHECK(to_hex(BlockHash::key(0)) == key_of("System.BlockHash(0u32)"));
  CHECK(to_hex(TotalIssuance::key()) == key_of("Balances.TotalIssuance"));
}

SCENARIO("typed items read defaults, write SCALE and iterate in key order") {
  storage::EmptyStorage empty;
  storage::Overlay s(empty);
  CHECK(Number::get(s) == 0);
  Number::put(s, 42);
  CHECK(*s.get(Number::key()) == codec::encode(uint32_t{42}));
  Number::mutate(s, [](BlockNumber& n) { ++n; });
  CHECK(Number::get(s) == 43);

  Pairs::put(s, 1, 10, "a");
  Pairs::put(s, 1, 11, "b");
  Pairs::put(s, 2, 10, "c");
  std::vector<std::string> seen;
  Pairs::for_each_in(s, 1, [&](uint64_t, const std::string& v) {
    seen.push_back(v);
    return true;
  });
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>{"a", "b"});
  CHECK(Pairs::remove_prefix(s, 1) == 2);
  CHECK_FALSE(Pairs::get(s, 1, 10).has_value());
  CHECK(Pairs::get(s, 2, 10) == "c");

  BlockHash::put(s, 7, H256{});
  BlockHash::put(s, 3, H256{});
  auto entries = BlockHash::entries(s);
  REQUIRE(entries.size() == 2);
}
