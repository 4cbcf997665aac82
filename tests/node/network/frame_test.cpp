#include "node/network/error.hpp"
#include "node/network/frame.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::network;
using bazaar::runtime::Bytes;

SCENARIO("frames carry a u32 LE length, the protocol, the version and the payload") {
  GIVEN("a transactions message") {
    Transactions txs{{{Bytes{0x0c, 1, 2, 3}}}};
    auto bytes = encode_message(Protocol::Transactions, txs);
    THEN("the length prefix counts protocol, version and payload") {
      auto payload = bazaar::runtime::codec::encode(txs);
      REQUIRE(bytes.size() == 4 + 2 + payload.size());
      CHECK(bytes[0] == 2 + payload.size());
      CHECK(bytes[1] == 0);
      CHECK(bytes[4] == static_cast<uint8_t>(Protocol::Transactions));
      CHECK(bytes[5] == kProtocolVersion);
    }
    WHEN("it arrives in two pieces") {
      FrameReader reader;
      reader.feed(std::span(bytes).first(3));
      auto first = reader.next();
      REQUIRE(first);
      CHECK_FALSE(first.value());
      reader.feed(std::span(bytes).subspan(3));
      auto frame = reader.next();
      THEN("the reader returns the whole frame and the message decodes") {
        REQUIRE(frame);
        REQUIRE(frame.value());
        CHECK(frame.value()->protocol == static_cast<uint8_t>(Protocol::Transactions));
        auto back = decode_message<Transactions>(frame.value()->payload);
        REQUIRE(back);
        CHECK(back.value().extrinsics == txs.extrinsics);
      }
    }
  }
}

SCENARIO("the maximum message size is enforced from the length prefix") {
  GIVEN("a header announcing one byte more than the maximum") {
    std::array<uint8_t, kFrameHeaderSize> header{};
    const uint32_t len = 1025;
    for (int i = 0; i < 4; ++i) header[i] = static_cast<uint8_t>(len >> (8 * i));
    THEN("it is refused before any body is read") {
      auto r = frame_body_length(header, 1024);
      REQUIRE_FALSE(r);
      CHECK(r.error() == make_error_code(NetworkError::FrameTooLarge));
      CHECK(frame_body_length(header, 1025).value() == 1025);
    }
  }
  GIVEN("a 4 GiB length in a stream") {
    FrameReader reader(kDefaultMaxFrameSize);
    reader.feed(Bytes{0xff, 0xff, 0xff, 0xff, 0x00});
    THEN("the reader fails with FrameTooLarge") {
      auto r = reader.next();
      REQUIRE_FALSE(r);
      CHECK(r.error() == make_error_code(NetworkError::FrameTooLarge));
    }
  }
  GIVEN("a frame too short to hold protocol and version") {
    std::array<uint8_t, kFrameHeaderSize> header{1, 0, 0, 0};
    THEN("it is undecodable") {
      CHECK(frame_body_length(header, 1024).error() == make_error_code(NetworkError::Undecodable));
    }
  }
}

SCENARIO("a payload with trailing bytes or a bad variant does not decode") {
  auto payload = bazaar::runtime::codec::encode(FinalityMessage{{}, Bytes{1, 2}});
  payload.push_back(0);
  CHECK(decode_message<FinalityMessage>(payload).error() == make_error_code(NetworkError::Undecodable));
  BlockRequest req;
  auto encoded = bazaar::runtime::codec::encode(req);
  encoded[8] = 7;  // the BlockStart variant index
  CHECK_FALSE(decode_message<BlockRequest>(encoded));
}

SCENARIO("block requests round-trip with either start") {
  for (BlockStart start : {BlockStart{bazaar::runtime::H256{}}, BlockStart{BlockNumber{42}}}) {
    BlockRequest req{7, start, Direction::Descending, 16, kFieldHeader | kFieldJustification};
    auto back = decode_message<BlockRequest>(bazaar::runtime::codec::encode(req));
    REQUIRE(back);
    CHECK(back.value().id == 7);
    CHECK(back.value().from == start);
    CHECK(back.value().direction == Direction::Descending);
    CHECK(back.value().max_blocks == 16);
    CHECK(back.value().fields == (kFieldHeader | kFieldJustification));
  }
}
