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

SCENARIO("random writes, appends and nested transactions read as a layered reference model") {
  // The overlay keeps each layer's keys ordered and indexed by hash; this
  // drives it with keys sharing a 32-byte prefix (like storage map keys) and
  // checks every read, and the final change set, against plain maps.
  GIVEN("a base holding half of 40 prefixed keys and a fixed random sequence of operations") {
    const Bytes prefix(32, 0x5a);
    auto key = [&](int i) {
      Bytes k = prefix;
      k.push_back(static_cast<uint8_t>(i));
      return k;
    };
    MapStorage base;
    for (int i = 0; i < 40; i += 2) base.data[key(i)] = codec::encode(std::vector<uint8_t>{static_cast<uint8_t>(i)});
    Overlay overlay(base);
    std::vector<std::map<Bytes, std::optional<Bytes>>> model(1);
    auto model_get = [&](const Bytes& k) -> std::optional<Bytes> {
      for (auto layer = model.rbegin(); layer != model.rend(); ++layer)
        if (auto it = layer->find(k); it != layer->end()) return it->second;
      auto it = base.data.find(k);
      return it == base.data.end() ? std::nullopt : std::optional<Bytes>(it->second);
    };
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    auto next = [&](uint64_t n) {
      rng ^= rng << 13;
      rng ^= rng >> 7;
      rng ^= rng << 17;
      return rng % n;
    };
    WHEN("5,000 operations run") {
      for (int step = 0; step < 5000; ++step) {
        const Bytes k = key(static_cast<int>(next(40)));
        switch (next(7)) {
          case 0:
          case 1: {
            Bytes v = codec::encode(std::vector<uint8_t>(next(3), static_cast<uint8_t>(step)));
            overlay.set(k, v);
            model.back()[k] = v;
            break;
          }
          case 2:
            overlay.clear(k);
            model.back()[k] = std::nullopt;
            break;
          case 3: {  // append one u8 item to a SCALE Vec<u8>
            const uint8_t item = static_cast<uint8_t>(step);
            overlay.append(k, ByteSpan(&item, 1));
            auto current = model_get(k);
            std::vector<uint8_t> items;
            if (current) {
              auto decoded = codec::decode<std::vector<uint8_t>>(*current);
              if (decoded) items = decoded.value();
            }
            items.push_back(item);
            model.back()[k] = codec::encode(items);
            break;
          }
          case 4:
            if (model.size() < 5) {
              overlay.start_transaction();
              model.emplace_back();
            }
            break;
          case 5:
            if (model.size() > 1) {
              overlay.commit_transaction();
              auto top = std::move(model.back());
              model.pop_back();
              for (auto& [tk, tv] : top) model.back()[tk] = std::move(tv);
            }
            break;
          default:
            if (model.size() > 1) {
              overlay.rollback_transaction();
              model.pop_back();
            }
            break;
        }
        for (int i = 0; i < 40; ++i) REQUIRE(overlay.get(key(i)) == model_get(key(i)));
      }
      while (model.size() > 1) {
        overlay.commit_transaction();
        auto top = std::move(model.back());
        model.pop_back();
        for (auto& [tk, tv] : top) model.back()[tk] = std::move(tv);
      }
      THEN("the change set is the model's committed layer") {
        const ChangeSet expected(model.front().begin(), model.front().end());
        CHECK(overlay.changes() == expected);
        ChangeSet taken = overlay.take_changes();
        CHECK(taken == expected);
        CHECK(overlay.changes().empty());
        CHECK(overlay.get(key(0)) == base.data[key(0)]);
      }
    }
  }
}
