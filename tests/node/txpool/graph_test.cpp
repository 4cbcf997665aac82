#include "node/txpool/graph.hpp"

#include "node/txpool/tx_pool.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::txpool;
using bazaar::runtime::to_bytes;

namespace {

/// A transaction named `name` with single-letter tags.
TxPtr make(const std::string& name, const std::string& requires_tags, const std::string& provides_tags,
           uint64_t priority) {
  static uint64_t next_id = 0;
  auto tx = std::make_shared<PoolTransaction>();
  tx->data = to_bytes(name);
  tx->hash = TxPool::hash_of(tx->data);
  for (char c : requires_tags) tx->validity.requires_tags.push_back(to_bytes(std::string(1, c)));
  for (char c : provides_tags) tx->validity.provides_tags.push_back(to_bytes(std::string(1, c)));
  tx->validity.priority = priority;
  tx->insertion_id = next_id++;
  return tx;
}

std::vector<std::string> names(std::vector<TxPtr> txs) {
  std::vector<std::string> out;
  for (const auto& tx : txs) out.emplace_back(tx->data.begin(), tx->data.end());
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

SCENARIO("replacing an ancestor is refused as a cycle") {
  Graph graph;
  Graph::Changes changes;
  auto p = make("P", "", "x", 1);
  auto t = make("T", "x", "y", 1);
  REQUIRE(graph.insert(p, changes));
  REQUIRE(graph.insert(t, changes));
  WHEN("U needs T's tag and would replace T's own provider") {
    auto u = make("U", "y", "x", 5);
    H256 blocker;
    auto r = graph.insert(u, changes, &blocker);
    THEN("it is refused and nothing changes") {
      REQUIRE_FALSE(r);
      CHECK(r.error() == TxPoolError::CycleDetected);
      CHECK(blocker == p->hash);
      CHECK(names(graph.ready().collect()) == Names{"P", "T"});
      CHECK_FALSE(graph.contains(u->hash));
    }
  }
}

SCENARIO("a transaction that would unlock its own ancestor is refused as a cycle") {
  Graph graph;
  Graph::Changes changes;
  REQUIRE(graph.insert(make("Q", "", "x", 1), changes));
  graph.remove_included(TxPool::hash_of(to_bytes("Q")), changes);
  auto t = make("T", "x", "y", 1);
  REQUIRE(graph.insert(t, changes));
  REQUIRE(graph.is_ready(t->hash));  // the chain provides x
  auto u = make("U", "y", "x", 1);
  auto r = graph.insert(u, changes);
  REQUIRE_FALSE(r);
  CHECK(r.error() == TxPoolError::CycleDetected);
  CHECK(names(graph.ready().collect()) == Names{"T"});
}

SCENARIO("a replacement that drops a tag sends its dependants to future") {
  Graph graph;
  Graph::Changes changes;
  auto p = make("P", "", "ab", 1);
  auto d = make("D", "b", "c", 1);
  REQUIRE(graph.insert(p, changes));
  REQUIRE(graph.insert(d, changes));
  changes.clear();
  auto r = make("R", "", "a", 2);
  REQUIRE(graph.insert(r, changes));
  CHECK_FALSE(graph.contains(p->hash));
  CHECK(graph.future_count() == 1);
  CHECK_FALSE(graph.is_ready(d->hash));
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].hash == p->hash);
  CHECK(changes[0].status == TxStatus{TxStatusKind::Usurped, r->hash});
  CHECK(changes[1].hash == d->hash);
  CHECK(changes[1].status.kind == TxStatusKind::Future);
  CHECK(changes[2].hash == r->hash);
  CHECK(changes[2].status.kind == TxStatusKind::Ready);
  CHECK(graph.bytes() == 2);  // "D" and "R"
}

SCENARIO("two waiting transactions for the same tag: the better one wins on promotion") {
  Graph graph;
  Graph::Changes changes;
  auto low = make("L", "x", "y", 1);
  auto high = make("H", "x", "y", 3);
  REQUIRE(graph.insert(low, changes));
  REQUIRE(graph.insert(high, changes));
  CHECK(graph.future_count() == 2);
  changes.clear();
  REQUIRE(graph.insert(make("P", "", "x", 1), changes));
  CHECK(names(graph.ready().collect()) == Names{"P", "H"});
  CHECK(graph.future_count() == 0);
  CHECK_FALSE(graph.contains(low->hash));
  bool usurped = std::any_of(changes.begin(), changes.end(), [&](const Graph::Change& c) {
    return c.hash == low->hash && c.status == TxStatus{TxStatusKind::Usurped, high->hash};
  });
  CHECK(usurped);
}

SCENARIO("tags of included transactions count as provided for two blocks") {
  Graph graph;
  Graph::Changes changes;
  REQUIRE(graph.insert(make("Q", "", "x", 1), changes));
  graph.remove_included(TxPool::hash_of(to_bytes("Q")), changes);
  REQUIRE(graph.insert(make("A", "x", "a", 1), changes));
  CHECK(graph.ready_count() == 1);
  graph.next_block();
  REQUIRE(graph.insert(make("B", "x", "b", 1), changes));
  CHECK(graph.ready_count() == 2);
  graph.next_block();
  REQUIRE(graph.insert(make("C", "x", "c", 1), changes));
  THEN("afterwards the tag is unknown again") {
    CHECK(graph.ready_count() == 2);
    CHECK(graph.future_count() == 1);
  }
}

SCENARIO("the eviction order is lowest priority, then newest") {
  Graph graph;
  Graph::Changes changes;
  REQUIRE(graph.insert(make("old1", "", "a", 1), changes));
  REQUIRE(graph.insert(make("new1", "", "b", 1), changes));
  REQUIRE(graph.insert(make("two", "", "c", 2), changes));
  REQUIRE(graph.insert(make("f-old", "z", "d", 1), changes));
  REQUIRE(graph.insert(make("f-new", "z", "e", 1), changes));
  CHECK(names({graph.worst_ready()}) == Names{"new1"});
  CHECK(names({graph.worst_future()}) == Names{"f-new"});
  CHECK(graph.bytes_below(2, 100) == std::string("old1new1f-oldf-new").size());
  CHECK(graph.bytes_below(1, 100) == 0);
}
