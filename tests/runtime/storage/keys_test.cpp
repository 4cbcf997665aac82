#include "runtime/crypto/hash.hpp"
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

SCENARIO("hashed keys are the same whether a hash is computed or remembered") {
  GIVEN("account ids, integer keys and keys longer than an account id, each hashed several times") {
    std::vector<Bytes> keys;
    for (uint32_t i = 0; i < 300; ++i) {
      auto h = crypto::blake2b_256(codec::encode(i)).bytes;
      keys.emplace_back(h.begin(), h.end());  // 32 bytes, like an AccountId32
      keys.push_back(codec::encode(i));       // 4 bytes
    }
    keys.push_back(Bytes(33, 0xab));  // longer than the memoized size
    keys.push_back(Bytes{});
    const Bytes prefix = storage::item_prefix("System", "Account");
    WHEN("every key is hashed under every hasher, in three passes over the keys") {
      THEN("each result is the hasher applied to the key, appended after the prefix") {
        for (int pass = 0; pass < 3; ++pass) {
          for (const auto& k : keys) {
            auto b128 = crypto::blake2b_128(k);
            Bytes concat(b128.begin(), b128.end());
            concat.insert(concat.end(), k.begin(), k.end());
            CHECK(storage::hash_key(Hasher::Blake2_128Concat, k) == concat);
            CHECK(storage::hash_key(Hasher::Blake2_128, k) == Bytes(b128.begin(), b128.end()));
            for (auto h : {Hasher::Blake2_128, Hasher::Blake2_256, Hasher::Blake2_128Concat, Hasher::Twox128,
                           Hasher::Twox256, Hasher::Twox64Concat, Hasher::Identity}) {
              Bytes out = prefix;
              storage::append_hashed_key(out, h, k);
              Bytes expected = prefix;
              const Bytes hashed = storage::hash_key(h, k);
              expected.insert(expected.end(), hashed.begin(), hashed.end());
              CHECK(out == expected);
              CHECK(storage::hashed_key_size(h, k.size()) == hashed.size());
            }
          }
        }
      }
    }
  }
}

SCENARIO("a map entry read once tells presence and value together") {
  storage::EmptyStorage empty;
  storage::Overlay s(empty);
  AccountId32 who;
  who.bytes[0] = 7;
  GIVEN("no entry") {
    THEN("it is absent and reads as the default") {
      auto [stored, value] = Account::get_entry(s, who);
      CHECK_FALSE(stored);
      CHECK(value == 0);
    }
  }
  GIVEN("an entry") {
    Account::put(s, who, 5);
    THEN("it is present with its value, as contains() and get() say") {
      auto [stored, value] = Account::get_entry(s, who);
      CHECK(stored);
      CHECK(value == 5);
      CHECK(Account::contains(s, who));
    }
  }
  GIVEN("a stored value that does not decode") {
    s.set(Account::key(who), Bytes{1});
    THEN("it is present and reads as the default, as contains() and get() say") {
      auto [stored, value] = Account::get_entry(s, who);
      CHECK(stored);
      CHECK(value == 0);
      CHECK(Account::get(s, who) == 0);
    }
  }
}

SCENARIO("an item's prefix is computed once") {
  THEN("every call returns the same bytes, twox128(module) ++ twox128(item)") {
    const Bytes& first = Number::key();
    CHECK(&first == &Number::key());
    CHECK(first == storage::item_prefix("System", "Number"));
    CHECK(&Account::prefix() == &Account::prefix());
    CHECK(Account::prefix() == storage::item_prefix("System", "Account"));
  }
}
