#include "runtime/storage/overlay.hpp"

#include "runtime/codec/scale.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::storage;

namespace {
/// A StorageReader over a std::map, standing in for the trie.
class MapStorage final : public StorageReader {
 public:
  std::map<Bytes, Bytes> data;
  std::optional<Bytes> get(ByteSpan key) const override {
    auto it = data.find(Bytes(key.begin(), key.end()));
    if (it == data.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Bytes> next_key(ByteSpan key) const override {
    auto it = data.upper_bound(Bytes(key.begin(), key.end()));
    if (it == data.end()) return std::nullopt;
    return it->first;
  }
};
Bytes b(std::string_view s) { return to_bytes(s); }
}  // namespace

SCENARIO("the overlay reads through to its base and shadows it") {
  GIVEN("a base with two keys") {
    MapStorage base;
    base.data[b("a")] = b("1");
    base.data[b("c")] = b("3");
    Overlay overlay(base);
    WHEN("a key is set, another cleared") {
      overlay.set(b("b"), b("2"));
      overlay.clear(b("c"));
      THEN("reads and iteration see the merged view") {
        CHECK(overlay.get(b("a")) == b("1"));
        CHECK(overlay.get(b("b")) == b("2"));
        CHECK_FALSE(overlay.get(b("c")));
        CHECK(overlay.next_key(b("a")) == b("b"));
        CHECK_FALSE(overlay.next_key(b("b")));
        CHECK(overlay.next_key(b("")) == b("a"));
      }
      THEN("the change set holds exactly the writes") {
        auto changes = overlay.take_changes();
        REQUIRE(changes.size() == 2);
        CHECK(changes[b("b")] == b("2"));
        CHECK_FALSE(changes[b("c")].has_value());
      }
    }
  }
}

SCENARIO("nested transactions commit and roll back layer by layer") {
  EmptyStorage base;
  Overlay overlay(base);
  overlay.set(b("k"), b("0"));
  overlay.start_transaction();
  overlay.set(b("k"), b("1"));
  overlay.start_transaction();
  overlay.set(b("k"), b("2"));
  overlay.set(b("x"), b("y"));
  CHECK(overlay.depth() == 2);
  WHEN("the inner layer is rolled back and the outer committed") {
    overlay.rollback_transaction();
    overlay.commit_transaction();
    THEN("only the outer write survives") {
      CHECK(overlay.get(b("k")) == b("1"));
      CHECK_FALSE(overlay.get(b("x")));
      CHECK(overlay.depth() == 0);
    }
  }
  WHEN("both are rolled back") {
    overlay.rollback_transaction();
    overlay.rollback_transaction();
    THEN("the state before the transactions is back") {
      CHECK(overlay.get(b("k")) == b("0"));
      CHECK(overlay.changes().size() == 1);
    }
  }
}

SCENARIO("append keeps a SCALE vector valid and clear_prefix removes a range") {
  MapStorage base;
  base.data[codec::encode(std::string("p1"))] = b("v");
  base.data[codec::encode(std::string("p2"))] = b("v");
  base.data[codec::encode(std::string("q1"))] = b("v");
  Overlay overlay(base);
  overlay.append(b("vec"), codec::encode(uint16_t{7}));
  overlay.append(b("vec"), codec::encode(uint16_t{9}));
  auto v = codec::decode<std::vector<uint16_t>>(*overlay.get(b("vec")));
  REQUIRE(v.has_value());
  CHECK(v.value() == std::vector<uint16_t>{7, 9});

  // keys are SCALE strings: 0x08 'p' '1' ...; the prefix 0x08 'p' covers p1 and p2
  CHECK(overlay.clear_prefix(Bytes{0x08, 'p'}) == 2);
  CHECK(overlay.get(codec::encode(std::string("q1"))).has_value());
  CHECK_FALSE(overlay.get(codec::encode(std::string("p1"))).has_value());
}

SCENARIO("committing a transaction merges new, overwritten and deleted keys into the layer below") {
  GIVEN("a base key, a committed write and a transaction over them") {
    MapStorage base;
    base.data[b("gone")] = b("base");
    Overlay overlay(base);
    overlay.set(b("old"), b("1"));
    overlay.start_transaction();
    overlay.set(b("old"), b("2"));  // already in the layer below
    overlay.set(b("new"), b("3"));  // not below
    overlay.clear(b("gone"));       // a deletion of a base key
    overlay.set(b("new"), b("4"));  // overwritten within the transaction
    WHEN("it is committed") {
      overlay.commit_transaction();
      THEN("the layer below holds the transaction's last writes, each key once") {
        CHECK(overlay.depth() == 0);
        CHECK(overlay.get(b("old")) == b("2"));
        CHECK(overlay.get(b("new")) == b("4"));
        CHECK_FALSE(overlay.get(b("gone")));
        const ChangeSet expected{{b("gone"), std::nullopt}, {b("new"), b("4")}, {b("old"), b("2")}};
        CHECK(overlay.changes() == expected);
      }
    }
  }
}

SCENARIO("an overlay over another overlay reads and writes through both") {
  GIVEN("an inner overlay with writes over a base, and an outer overlay over it") {
    MapStorage base;
    base.data[b("a")] = b("base-a");
    base.data[b("b")] = b("base-b");
    Overlay inner(base);
    inner.set(b("b"), b("inner-b"));
    const StorageReader& inner_reader = inner;  // Overlay(inner) would copy it
    Overlay outer(inner_reader);
    WHEN("the outer one writes, appends and reads") {
      outer.set(b("c"), b("outer-c"));
      outer.append(b("v"), codec::encode(uint8_t{7}));
      outer.append(b("v"), codec::encode(uint8_t{8}));
      THEN("each key resolves in the nearest layer that holds it") {
        CHECK(outer.get(b("a")) == b("base-a"));
        CHECK(outer.get(b("b")) == b("inner-b"));
        CHECK(outer.get(b("c")) == b("outer-c"));
        CHECK(outer.get(b("v")) == (Bytes{2 << 2, 7, 8}));
        CHECK_FALSE(inner.get(b("c")));
        CHECK(outer.changes().size() == 2);
      }
    }
  }
}
