#include "runtime/crypto/ecdsa.hpp"

#include "runtime/crypto/hash.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;
using namespace bazaar::runtime::crypto;

namespace {

std::string str(const nlohmann::json& j) { return j.get<std::string>(); }
Bytes hex(const nlohmann::json& j) { return *from_hex(str(j)); }

Keypair alice() {
  auto secret = hex(bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"][0]["secret_key"]);
  return Keypair::from_secret(secret).value();
}

// secp256k1 group order n and n / 2 (big-endian).
const Bytes kOrder = *from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const Bytes kHalfOrder = *from_hex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

bool low_s(const EcdsaSignature& sig) {
  return std::lexicographical_compare(sig.begin() + 32, sig.begin() + 64, kHalfOrder.begin(), kHalfOrder.end()) ||
         std::equal(sig.begin() + 32, sig.begin() + 64, kHalfOrder.begin());
}

}  // namespace

SCENARIO("dev account secrets give the polkadot.js public keys and account ids") {
  for (const auto& acc : bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"]) {
    GIVEN("the secret of " + str(acc["suri"])) {
      auto pair = Keypair::from_secret(hex(acc["secret_key"]));
      REQUIRE(pair);
      THEN("public key and account id match") {
        CHECK(to_hex(pair.value().public_key()) == str(acc["public_key_compressed"]));
        CHECK(to_hex(pair.value().account_id()) == str(acc["account_id"]));
        CHECK(account_from_public(pair.value().public_key()) == pair.value().account_id());
        CHECK(to_hex(pair.value().secret()) == str(acc["secret_key"]));
      }
    }
  }
}

SCENARIO("Alice signs the polkadot.js signature vectors byte for byte") {
  const auto& v = bazaar::test::vectors()["ecdsa_signatures"];
  auto pair = alice();
  REQUIRE(to_hex(pair.public_key()) == str(v["signer"]));
  for (const auto& item : v["signatures"]) {
    GIVEN("the message " + str(item["message_utf8"])) {
      auto msg = hex(item["message_hex"]);
      auto digest = blake2b_256(msg);
      REQUIRE(to_hex(digest) == str(item["digest_blake2_256"]));
      WHEN("Alice signs it") {
        auto sig = pair.sign(msg);
        THEN("the signature is the deterministic low-S one polkadot.js made") {
          CHECK(to_hex(sig) == str(item["signature_rsv"]));
          CHECK(sig.bytes[64] == item["recovery_id"].get<int>());
          CHECK(pair.sign_prehashed(digest) == sig);
          CHECK(low_s(sig));
        }
        THEN("it recovers Alice's key and verifies against her account") {
          auto pk = recover(sig, digest);
          REQUIRE(pk);
          CHECK(*pk == pair.public_key());
          CHECK(verify(sig, msg, pair.account_id()));
          CHECK(verify_with_public(sig, msg, pair.public_key()));
        }
      }
    }
  }
}

SCENARIO("tampered signatures and messages are rejected") {
  auto pair = alice();
  auto msg = to_bytes("hello");
  auto sig = pair.sign(msg);
  GIVEN("a changed message") {
    auto other = to_bytes("hellp");
    THEN("verification fails") {
      CHECK_FALSE(verify(sig, other, pair.account_id()));
      CHECK_FALSE(verify_with_public(sig, other, pair.public_key()));
    }
  }
  GIVEN("a signature with one bit of r, s or v flipped") {
    for (std::size_t i : {0u, 31u, 32u, 63u, 64u}) {
      auto bad = sig;
      bad.bytes[i] ^= 0x01;
      THEN("verification fails at byte " + std::to_string(i)) { CHECK_FALSE(verify(bad, msg, pair.account_id())); }
    }
  }
  GIVEN("another signer's account") {
    auto bob = Keypair::from_secret(hex(bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"][1]["secret_key"]));
    THEN("verification fails") { CHECK_FALSE(verify(sig, msg, bob.value().account_id())); }
  }
  GIVEN("malformed signatures") {
    auto digest = blake2b_256(msg);
    auto v2 = sig;
    v2.bytes[64] = 2;
    auto v29 = sig;
    v29.bytes[64] = 29;
    EcdsaSignature zero_r = sig;
    std::fill(zero_r.bytes.begin(), zero_r.bytes.begin() + 32, 0);
    EcdsaSignature big_s = sig;
    std::copy(kOrder.begin(), kOrder.end(), big_s.bytes.begin() + 32);
    THEN("no key is recovered") {
      CHECK_FALSE(recover(v2, digest));
      CHECK_FALSE(recover(v29, digest));
      CHECK_FALSE(recover(zero_r, digest));
      CHECK_FALSE(recover(big_s, digest));
      CHECK_FALSE(recover(EcdsaSignature{}, digest));
    }
  }
}

SCENARIO("recovery ids 27/28 from Ethereum-style tools are accepted") {
  auto pair = alice();
  for (const auto& text : {"hello", "polkadot.js ecdsa test vector", "a third message"}) {
    auto msg = to_bytes(text);
    auto sig = pair.sign(msg);
    auto eth = sig;
    eth.bytes[64] += 27;
    CHECK(recover(eth, blake2b_256(msg)) == pair.public_key());
    CHECK(verify(eth, msg, pair.account_id()));
  }
}

SCENARIO("secret keys are validated") {
  THEN("a wrong length, zero, or a value >= the group order is rejected") {
    CHECK(Keypair::from_secret(Bytes(31, 1)).error() == CryptoError::InvalidSecretKey);
    CHECK(Keypair::from_secret(Bytes(33, 1)).error() == CryptoError::InvalidSecretKey);
    CHECK(Keypair::from_secret(Bytes(32, 0)).error() == CryptoError::InvalidSecretKey);
    CHECK(Keypair::from_secret(kOrder).error() == CryptoError::InvalidSecretKey);
    CHECK(Keypair::from_secret(Bytes(32, 0xff)).error() == CryptoError::InvalidSecretKey);
  }
  THEN("n - 1 is accepted") {
    auto top = kOrder;
    top.back() -= 1;
    CHECK(Keypair::from_secret(top));
  }
}

SCENARIO("generated keys are fresh and usable") {
  GIVEN("two generated key pairs") {
    auto a = Keypair::generate();
    auto b = Keypair::generate();
    THEN("they differ and each signs verifiably with low S") {
      CHECK(a.secret() != b.secret());
      CHECK(a.public_key() != b.public_key());
      for (int i = 0; i < 16; ++i) {
        auto msg = to_bytes("message " + std::to_string(i));
        auto sig = a.sign(msg);
        CHECK(low_s(sig));
        CHECK(verify(sig, msg, a.account_id()));
        CHECK_FALSE(verify(sig, msg, b.account_id()));
      }
    }
  }
}

SCENARIO("compressed public keys are parsed and checked") {
  auto pair = alice();
  CHECK(parse_public(pair.public_key().span()).value() == pair.public_key());
  auto bad_prefix = Bytes(pair.public_key().begin(), pair.public_key().end());
  bad_prefix[0] = 0x04;
  CHECK(parse_public(bad_prefix).error() == CryptoError::InvalidPublicKey);
  // x = 5 is not the x-coordinate of any point on secp256k1 (5^3 + 7 = 132 is a non-residue).
  Bytes not_on_curve(33, 0);
  not_on_curve[0] = 0x02;
  not_on_curve[32] = 5;
  CHECK(parse_public(not_on_curve).error() == CryptoError::InvalidPublicKey);
  CHECK(parse_public(Bytes(32, 2)).error() == CryptoError::InvalidPublicKey);
}
