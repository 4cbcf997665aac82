// The pure channel-state functions: channel ids, the SCALE layout of a state,
// the two signing hashes, signatures, and the tasks Merkle tree (batch root,
// proofs, the incremental accumulator). Expected bytes were computed
// independently (Python's hashlib.blake2b over the byte layout in state.hpp).

#include "modules/payment_channel/state.hpp"

#include "runtime/crypto/hash.hpp"

#include <catch2/catch.hpp>

#include <vector>

namespace pc = bazaar::modules::payment_channel;
using bazaar::runtime::AccountId32;
using bazaar::runtime::Balance;
using bazaar::runtime::Bytes;
using bazaar::runtime::H256;
using bazaar::runtime::to_hex;
using bazaar::runtime::crypto::Keypair;

namespace {

AccountId32 acct(uint8_t n) {
  AccountId32 a;
  a.bytes.fill(n);
  return a;
}

H256 filled(uint8_t n) {
  H256 h;
  h.bytes.fill(n);
  return h;
}

Keypair key(uint8_t n) {
  std::array<uint8_t, 32> secret{};
  secret.fill(n);
  return Keypair::from_secret(secret).value();
}

std::vector<H256> make_leaves(std::size_t n) {
  std::vector<H256> out;
  for (std::size_t i = 0; i < n; ++i) {
    const uint8_t byte = static_cast<uint8_t>(i);
    out.push_back(bazaar::runtime::crypto::blake2b_256(bazaar::runtime::ByteSpan(&byte, 1)));
  }
  return out;
}

constexpr Balance kCC = 1'000'000'000'000;

pc::ChannelState vector_state() {
  return pc::ChannelState{pc::channel_id(acct(1), acct(2), 0), 5, 7 * kCC, 3 * kCC, filled(0xab)};
}

}  // namespace

SCENARIO("channel ids are blake2b-256 of (opener, counterparty, nonce)") {
  GIVEN("two accounts") {
    THEN("the id matches the independently computed vector and changes with the nonce and the order") {
      CHECK(to_hex(pc::channel_id(acct(1), acct(2), 0)) ==
            "0xacc3e920ada3040666f9cee50235a5d9858cb877b5f31cfa7c6476dd77cb205c");
      CHECK(to_hex(pc::channel_id(acct(1), acct(2), 1)) ==
            "0x42a48beeb0e15dbe489a29d746595924daff9535a725d57eed0a17630f003060");
      CHECK(pc::channel_id(acct(2), acct(1), 0) != pc::channel_id(acct(1), acct(2), 0));
    }
  }
}

SCENARIO("a channel state has a fixed SCALE layout and two domain-separated signing hashes") {
  GIVEN("the vector state {id(1,2,0), version 5, 7 CC, 3 CC, root 0xab..}") {
    const pc::ChannelState state = vector_state();
    WHEN("it is encoded") {
      const Bytes encoded = bazaar::runtime::codec::encode(state);
      THEN("it is the 104 bytes id ++ u64 ++ u128 ++ u128 ++ root, and decodes back") {
        CHECK(encoded.size() == 104);
        CHECK(to_hex(encoded) ==
              "0xacc3e920ada3040666f9cee50235a5d9858cb877b5f31cfa7c6476dd77cb205c0500000000000000007083d05d06000000"
              "000000000000000030ef7dba0200000000000000000000ababababababababababababababababababababababababababab"
              "ababababab");
        auto decoded = bazaar::runtime::codec::decode<pc::ChannelState>(encoded);
        REQUIRE(decoded);
        CHECK(decoded.value() == state);
      }
    }
    WHEN("it is hashed for signing under genesis 0x11..") {
      const H256 genesis = filled(0x11);
      THEN("the update and close hashes match the vectors and differ") {
        CHECK(to_hex(pc::state_signing_hash(genesis, state)) ==
              "0x91f04825016307a2f6d99958b36a372c53c8424a8c53f6e7b14f0cd19a91f1ad");
        CHECK(to_hex(pc::close_signing_hash(genesis, state)) ==
              "0xa7a4b48e3f348dbd5043eef624e3477c2c4ef8c87de52c7561e5ff43e21b8c37");
      }
      THEN("another genesis hash gives another signing hash (no replay across chains)") {
        CHECK(pc::state_signing_hash(filled(0x12), state) != pc::state_signing_hash(genesis, state));
      }
    }
  }
}

SCENARIO("states are signed and verified like extrinsics") {
  GIVEN("a key pair and a state") {
    const Keypair alice = key(7);
    const Keypair bob = key(8);
    const H256 genesis = filled(0x11);
    const pc::ChannelState state = vector_state();
    WHEN("alice signs the update") {
      const auto sig = pc::sign_state(alice, genesis, state);
      THEN("it verifies for alice only, for this state and genesis only, and only as an update") {
        CHECK(pc::verify_state(sig, genesis, state, alice.account_id()));
        CHECK(bazaar::runtime::crypto::verify(sig, pc::state_signing_hash(genesis, state).span(),
                                              alice.account_id()));
        CHECK_FALSE(pc::verify_state(sig, genesis, state, bob.account_id()));
        CHECK_FALSE(pc::verify_state(sig, filled(0x12), state, alice.account_id()));
        pc::ChannelState later = state;
        later.version += 1;
        CHECK_FALSE(pc::verify_state(sig, genesis, later, alice.account_id()));
        CHECK_FALSE(pc::verify_close(sig, genesis, state, alice.account_id()));
      }
      THEN("a flipped bit breaks it") {
        auto bad = sig;
        bad.bytes[10] ^= 0x01;
        CHECK_FALSE(pc::verify_state(bad, genesis, state, alice.account_id()));
      }
    }
    WHEN("alice signs the state as final") {
      const auto sig = pc::sign_close(alice, genesis, state);
      THEN("it verifies as a close and not as an update") {
        CHECK(pc::verify_close(sig, genesis, state, alice.account_id()));
        CHECK_FALSE(pc::verify_state(sig, genesis, state, alice.account_id()));
      }
    }
  }
}

SCENARIO("the tasks Merkle tree") {
  GIVEN("the leaf of one task entry") {
    const pc::TaskEntry entry{filled(1), filled(2), 1000};
    THEN("it is blake2b-256 of the 80-byte SCALE entry") {
      CHECK(to_hex(pc::task_leaf(entry)) == "0x058e36e0b2a7de38858ae1b5c7181fdb97a1231d68c0ac8e7488170690f886e6");
    }
  }
  GIVEN("the documented shape") {
    THEN("the empty tree's root is zero, one leaf is its own root, five leaves are padded to eight") {
      CHECK(pc::tasks_root({}) == H256{});
      const auto leaves = make_leaves(5);
      CHECK(pc::tasks_root(std::span(leaves).first(1)) == leaves[0]);
      CHECK(to_hex(pc::tasks_root(leaves)) == "0x0314cf9ef8741638eeaa4764f03f0622027edbf045a5f7d5fc96b1eb6e5dd26b");
      CHECK(to_hex(pc::empty_subtree_root(1)) ==
            "0x0eb923b0cbd24df54401d998531feead35a47a99f4deed205de4af81120f9761");
      CHECK(pc::tree_depth(0) == 0);
      CHECK(pc::tree_depth(1) == 0);
      CHECK(pc::tree_depth(2) == 1);
      CHECK(pc::tree_depth(5) == 3);
      CHECK(pc::tree_depth(8) == 3);
      CHECK(pc::tree_depth(9) == 4);
    }
  }
  GIVEN("trees of several sizes") {
    for (std::size_t n : {1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 16u, 17u, 33u}) {
      const auto leaves = make_leaves(n);
      const H256 root = pc::tasks_root(leaves);
      INFO("n = " << n);
      THEN("every leaf has a proof that verifies, and fails for another index, leaf, count or root") {
        for (std::size_t i = 0; i < n; ++i) {
          INFO("i = " << i);
          auto proof = pc::merkle_proof(leaves, i);
          REQUIRE(proof);
          CHECK(proof.value().size() == pc::tree_depth(n));
          CHECK(pc::verify_merkle_proof(root, leaves[i], i, n, proof.value()));
          CHECK_FALSE(pc::verify_merkle_proof(root, filled(0xee), i, n, proof.value()));
          if (n > 1) CHECK_FALSE(pc::verify_merkle_proof(root, leaves[i], (i + 1) % n, n, proof.value()));
          CHECK_FALSE(pc::verify_merkle_proof(root, leaves[i], i + n, n, proof.value()));
          CHECK_FALSE(pc::verify_merkle_proof(filled(0xee), leaves[i], i, n, proof.value()));
          CHECK_FALSE(pc::verify_merkle_proof(root, leaves[i], i, 2 * n + 1, proof.value()));
          if (!proof.value().empty()) {
            auto tampered = proof.value();
            tampered.back().bytes[0] ^= 1;
            CHECK_FALSE(pc::verify_merkle_proof(root, leaves[i], i, n, tampered));
          }
        }
      }
      THEN("changing any one leaf changes the root") {
        for (std::size_t i = 0; i < n; ++i) {
          auto changed = leaves;
          changed[i].bytes[31] ^= 1;
          CHECK(pc::tasks_root(changed) != root);
        }
      }
    }
  }
  GIVEN("a proof request past the last leaf") {
    const auto leaves = make_leaves(3);
    THEN("it fails with LeafIndexOutOfRange") {
      auto proof = pc::merkle_proof(leaves, 3);
      REQUIRE_FALSE(proof);
      CHECK(proof.error() == pc::StateError::LeafIndexOutOfRange);
    }
  }
}

SCENARIO("the incremental accumulator builds the batch root") {
  GIVEN("an empty accumulator") {
    pc::TasksAccumulator acc;
    CHECK(acc.root() == pc::tasks_root({}));
    WHEN("leaves are appended one by one") {
      const auto leaves = make_leaves(70);
      THEN("after every append its root equals the batch root, and its peaks follow the count's bits") {
        for (std::size_t n = 1; n <= leaves.size(); ++n) {
          acc.append(leaves[n - 1]);
          INFO("n = " << n);
          REQUIRE(acc.count() == n);
          CHECK(acc.peaks().size() == static_cast<std::size_t>(std::popcount(n)));
          CHECK(acc.root() == pc::tasks_root(std::span(leaves).first(n)));
        }
      }
    }
  }
  GIVEN("an accumulator restored from its peaks") {
    const auto leaves = make_leaves(11);
    pc::TasksAccumulator acc;
    for (const auto& l : leaves) acc.append(l);
    auto restored = pc::TasksAccumulator::from_peaks(acc.count(), acc.peaks());
    REQUIRE(restored);
    THEN("it continues exactly like the original") {
      auto copy = restored.value();
      copy.append(leaves[0]);
      acc.append(leaves[0]);
      CHECK(copy.root() == acc.root());
    }
    THEN("peaks that do not match the count are rejected") {
      auto bad = pc::TasksAccumulator::from_peaks(acc.count() + 1, acc.peaks());
      REQUIRE_FALSE(bad);
      CHECK(bad.error() == pc::StateError::InvalidAccumulator);
    }
  }
}
