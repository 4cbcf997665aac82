// state_changes against a brute-force model: random states and random change
// sets (small alphabets so keys share prefixes, values of 0..40 bytes so nodes
// are both inlined and hashed) must give exactly the keys whose values differ.

#include "node/db/memory_store.hpp"
#include "node/service/state_diff.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace bazaar;
using node::service::state_changes;
using node::service::StateChange;
using runtime::Bytes;
using runtime::H256;
using Model = std::map<Bytes, Bytes>;

namespace {

Bytes random_key(std::mt19937& rng) {
  static constexpr uint8_t kAlphabet[] = {0x00, 0x01, 0x10, 0x11, 0xf0, 0xff};
  Bytes k(rng() % 5);
  for (auto& b : k) b = kAlphabet[rng() % sizeof(kAlphabet)];
  return k;
}

Bytes random_value(std::mt19937& rng) {
  Bytes v(rng() % 41);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

H256 commit(node::db::KeyValueStore& store, const node::trie::TrieDb& trie, const H256& root,
            const runtime::storage::ChangeSet& changes) {
  auto result = trie.apply(root, changes);
  REQUIRE(result.has_value());
  node::db::WriteBatch batch;
  node::trie::stage(batch, result.value());
  REQUIRE(store.write(std::move(batch)).has_value());
  return result.value().new_root;
}

std::vector<StateChange> model_diff(const Model& before, const Model& after) {
  std::map<Bytes, std::optional<Bytes>> out;
  for (const auto& [k, v] : after)
    if (!before.count(k) || before.at(k) != v) out[k] = v;
  for (const auto& [k, v] : before)
    if (!after.count(k)) out[k] = std::nullopt;
  return {out.begin(), out.end()};
}

}  // namespace

SCENARIO("state_changes finds exactly the changed keys") {
  node::db::MemoryStore store;
  node::trie::TrieDb trie(store, {0});
  std::mt19937 rng(4242);
  GIVEN("the empty state and a state of one key") {
    auto root = commit(store, trie, node::trie::empty_root(), {{Bytes{1}, Bytes{2}}});
    THEN("the change from empty is that key, and the reverse removes it") {
      CHECK(state_changes(trie, node::trie::empty_root(), root).value() ==
            std::vector<StateChange>{{Bytes{1}, Bytes{2}}});
      CHECK(state_changes(trie, root, node::trie::empty_root()).value() ==
            std::vector<StateChange>{{Bytes{1}, std::nullopt}});
      CHECK(state_changes(trie, root, root).value().empty());
    }
  }
  GIVEN("200 random change sets on random states") {
    Model model;
    H256 root = node::trie::empty_root();
    for (int round = 0; round < 200; ++round) {
      runtime::storage::ChangeSet changes;
      Model next = model;
      for (int i = 0, n = 1 + static_cast<int>(rng() % 8); i < n; ++i) {
        auto key = random_key(rng);
        if (rng() % 4 == 0) {
          changes[key] = std::nullopt;
          next.erase(key);
        } else {
          auto value = random_value(rng);
          changes[key] = value;
          next[key] = value;
        }
      }
      auto new_root = commit(store, trie, root, changes);
      auto got = state_changes(trie, root, new_root);
      REQUIRE(got.has_value());
      INFO("round " << round);
      REQUIRE(got.value() == model_diff(model, next));
      model = std::move(next);
      root = new_root;
    }
  }
  THEN("a state whose nodes are missing is an error, not a crash") {
    H256 unknown;
    unknown.bytes[0] = 7;
    CHECK_FALSE(state_changes(trie, node::trie::empty_root(), unknown).has_value());
  }
}
