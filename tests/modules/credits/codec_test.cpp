// Credits: calls and events have pallet_balances' SCALE layout (checked
// against the polkadot.js vectors, whose mini runtime has Balances at index 1).

#include "tests/modules/credits/fixture.hpp"
#include "tests/support/vectors.hpp"

using namespace bazaar::test;
using bazaar::runtime::from_hex;

namespace {
Bytes hex(const std::string& s) { return *from_hex(s); }
}  // namespace

SCENARIO("transfer_keep_alive and the Transfer event encode as in pallet_balances") {
  GIVEN("the vectors' transfer_keep_alive(Id(//Bob), 12345) and Balances.Transfer(//Alice, //Bob, 12345)") {
    const Bytes call = hex(vectors()["extrinsics"]["items"][0]["call"].get<std::string>());
    const Bytes events = hex(vectors()["system_events"]["encoded"].get<std::string>());
    // events = compact(2) ++ phase(5 bytes) ++ pallet index ++ Transfer(...) ++ ...
    const Bytes transfer(events.begin() + 7, events.begin() + 7 + 1 + 32 + 32 + 16);
    const AccountId32 bob = AccountId32::from_span(bazaar::runtime::ByteSpan(call).subspan(3, 32));
    const AccountId32 alice = AccountId32::from_span(bazaar::runtime::ByteSpan(transfer).subspan(1, 32));
    REQUIRE(call[0] == 0x01);
    REQUIRE(events[6] == 0x01);
    THEN("our call and event bytes equal theirs after the pallet index") {
      CHECK(bazaar::runtime::codec::encode(credits::Call{credits::TransferKeepAlive{id(bob), {12345}}}) ==
            Bytes(call.begin() + 1, call.end()));
      CHECK(bazaar::runtime::codec::encode(credits::Event{credits::Transfer{alice, bob, 12345}}) == transfer);
    }
    THEN("the call decodes back") {
      auto decoded = bazaar::runtime::codec::decode<credits::Call>(bazaar::runtime::ByteSpan(call).subspan(1));
      REQUIRE(decoded);
      const auto& t = std::get<credits::TransferKeepAlive>(decoded.value());
      CHECK(t.dest == id(bob));
      CHECK(t.value.value == 12345);
    }
  }
}
