#include "node/trie/node_cache.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::trie;

namespace {

H256 hash_of(uint8_t i) { return H256::from_span(Bytes(32, i)); }

std::shared_ptr<const Node> node_of(uint8_t i) {
  auto n = std::make_shared<Node>();
  n->partial = {i};
  n->value = Bytes(10, i);
  return n;
}

}  // namespace

SCENARIO("the node cache evicts the least recently used nodes") {
  GIVEN("a cache with room for about three nodes") {
    std::size_t capacity = NodeCache::cost(*node_of(0)) * 3 + 10;
    NodeCache cache(capacity);
    cache.put(hash_of(1), node_of(1));
    cache.put(hash_of(2), node_of(2));
    cache.put(hash_of(3), node_of(3));
    REQUIRE(cache.size() == 3);
    WHEN("node 1 is used and two more nodes are added") {
      REQUIRE(cache.get(hash_of(1)) != nullptr);
      cache.put(hash_of(4), node_of(4));
      cache.put(hash_of(5), node_of(5));
      THEN("the oldest unused nodes are gone, the recently used one stays, and the bound holds") {
        CHECK(cache.get(hash_of(1)) != nullptr);
        CHECK(cache.get(hash_of(2)) == nullptr);
        CHECK(cache.get(hash_of(5))->partial == Nibbles{5});
        CHECK(cache.size() <= 3);
        CHECK(cache.used_bytes() <= capacity);
        CHECK(cache.misses() == 1);
      }
    }
  }
  GIVEN("a cache of capacity zero") {
    NodeCache cache(0);
    cache.put(hash_of(1), node_of(1));
    THEN("it holds nothing") {
      CHECK(cache.size() == 0);
      CHECK(cache.get(hash_of(1)) == nullptr);
    }
  }
}
