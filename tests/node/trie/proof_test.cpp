#include "node/trie/proof.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "node/db/memory_store.hpp"
#include "node/trie/trie_db.hpp"

using namespace bazaar::node;
using namespace bazaar::node::trie;
using bazaar::runtime::to_bytes;
using bazaar::runtime::storage::ChangeSet;

SCENARIO("read proofs prove values and absences") {
  GIVEN("a stored trie of 300 keys") {
    db::MemoryStore store;
    TrieDb trie(store);
    std::mt19937 rng(3);
    ChangeSet changes;
    std::vector<Bytes> keys;
    for (int i = 0; i < 300; ++i) {
      Bytes k(1 + rng() % 5);
      for (auto& b : k) b = static_cast<uint8_t>(rng() % 4 * 0x11);
      Bytes v(rng() % 50, static_cast<uint8_t>(i));
      changes[k] = v;
      keys.push_back(k);
    }
    auto result = trie.apply(empty_root(), changes);
    REQUIRE(result.has_value());
    H256 root = result.value().new_root;
    db::WriteBatch batch;
    stage(batch, result.value());
    REQUIRE(store.write(std::move(batch)).has_value());
    Bytes present = keys[17];
    Bytes absent = {0x12, 0x34};
    REQUIRE_FALSE(trie.get(root, absent).value().has_value());

    WHEN("a proof is read for a present and an absent key") {
      auto proof = trie.read_proof(root, {present, absent});
      REQUIRE(proof.has_value());
      THEN("it verifies the value of one and the absence of the other") {
        CHECK(verify_proof(root, proof.value(), present).value() == changes[present]);
        CHECK_FALSE(verify_proof(root, proof.value(), absent).value().has_value());
      }
      THEN("it holds far fewer nodes than the trie") { CHECK(proof.value().size() < 20); }
    }
    WHEN("a proof for one key is asked about keys elsewhere in the trie") {
      auto proof = trie.read_proof(root, {present});
      REQUIRE(proof.has_value());
      THEN("at least one of them is an incomplete proof, none is a wrong answer") {
        int incomplete = 0;
        for (const auto& k : keys) {
          auto r = verify_proof(root, proof.value(), k);
          if (r) {
            CHECK(r.value() == changes[k]);
          } else {
            ++incomplete;
            CHECK(r.error() == make_error_code(TrieError::IncompleteProof));
          }
        }
        CHECK(incomplete > 0);
      }
    }
    WHEN("any byte of any node of the proof is changed") {
      auto proof = trie.read_proof(root, {present});
      REQUIRE(proof.has_value());
      THEN("verification fails every time") {
        for (std::size_t n = 0; n < proof.value().size(); ++n) {
          for (std::size_t i = 0; i < proof.value()[n].size(); ++i) {
            auto tampered = proof.value();
            tampered[n][i] ^= 0x01;
            auto r = verify_proof(root, tampered, present);
            REQUIRE_FALSE(r.has_value());
          }
        }
      }
    }
    WHEN("a node is dropped from the proof") {
      auto proof = trie.read_proof(root, {present});
      REQUIRE(proof.has_value());
      auto partial = proof.value();
      partial.pop_back();
      THEN("verification reports an incomplete proof") {
        CHECK(verify_proof(root, partial, present).error() == make_error_code(TrieError::IncompleteProof));
      }
    }
    THEN("a proof checked against another root is incomplete") {
      auto proof = trie.read_proof(root, {present});
      H256 other = H256::from_span(Bytes(32, 9));
      CHECK(verify_proof(other, proof.value(), present).error() == make_error_code(TrieError::IncompleteProof));
    }
  }
  GIVEN("the empty trie") {
    THEN("its proof is empty and proves every key absent") {
      db::MemoryStore store;
      TrieDb trie(store);
      CHECK(trie.read_proof(empty_root(), {to_bytes("k")}).value().empty());
      CHECK_FALSE(verify_proof(empty_root(), {}, to_bytes("k")).value().has_value());
    }
  }
}
