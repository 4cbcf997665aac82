#include "runtime/storage/overlay.hpp"
#include "runtime/codec/scale.hpp"
#include <catch2/catch.hpp>
using namespace bazaar::runtime;
using namespace bazaar::runtime::storage;
namespace {
class Map final : public StorageReader {
 public:
  std::map<Bytes, Bytes> data;
  std::optional<Bytes> get(ByteSpan k) const override { auto it = data.find(Bytes(k.begin(), k.end())); if (it == data.end()) return std::nullopt; return it->second; }
  std::optional<Bytes> next_key(ByteSpan k) const override { auto it = data.upper_bound(Bytes(k.begin(), k.end())); if (it == data.end()) return std::nullopt; return it->first; }
};
Bytes key() { return Bytes{'e'}; }
std::vector<uint32_t> items(const Overlay& o) { auto v = o.get(key()); if (!v) return {}; return codec::decode<std::vector<uint32_t>>(*v).value(); }
void add(Overlay& o, uint32_t x) { o.append(key(), codec::encode(x)); }
}
SCENARIO("append inside transactions") {
  Map base;
  base.data[key()] = codec::encode(std::vector<uint32_t>{1, 2});
  Overlay o(base);
  add(o, 3);
  o.start_transaction(); add(o, 4); add(o, 5);
  CHECK(items(o) == std::vector<uint32_t>{1, 2, 3, 4, 5});
  o.rollback_transaction();
  CHECK(items(o) == std::vector<uint32_t>{1, 2, 3});
  o.start_transaction(); add(o, 6);
  o.start_transaction(); add(o, 7);
  o.commit_transaction();
  o.start_transaction(); add(o, 8); o.rollback_transaction();
  CHECK(items(o) == std::vector<uint32_t>{1, 2, 3, 6, 7});
  o.rollback_transaction();
  CHECK(items(o) == std::vector<uint32_t>{1, 2, 3});
  o.start_transaction(); add(o, 9); o.set(key(), codec::encode(std::vector<uint32_t>{42})); add(o, 10);
  CHECK(items(o) == std::vector<uint32_t>{42, 10});
  o.rollback_transaction();
  CHECK(items(o) == std::vector<uint32_t>{1, 2, 3});
  o.start_transaction(); o.clear(key()); add(o, 11); o.commit_transaction();
  CHECK(items(o) == std::vector<uint32_t>{11});
  // crossing the compact-prefix boundary (64 items) inside a transaction and rolling back
  for (uint32_t i = 0; i < 60; ++i) add(o, i);
  o.start_transaction(); for (uint32_t i = 0; i < 10; ++i) add(o, 100 + i);
  CHECK(items(o).size() == 71);
  o.rollback_transaction();
  CHECK(items(o).size() == 61);
  o.start_transaction(); for (uint32_t i = 0; i < 10; ++i) add(o, 100 + i); o.commit_transaction();
  CHECK(items(o).size() == 71);
  CHECK(items(o).back() == 109);
  auto changes = o.take_changes();
  CHECK(codec::decode<std::vector<uint32_t>>(*changes[key()]).value().size() == 71);
}
