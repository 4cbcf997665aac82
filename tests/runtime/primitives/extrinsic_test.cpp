#include "runtime/primitives/extrinsic.hpp"

#include "runtime/crypto/hash.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::runtime;

namespace {
std::string str(const nlohmann::json& j) { return j.get<std::string>(); }
Bytes hex(const nlohmann::json& j) { return *from_hex(str(j)); }
H256 h256(const nlohmann::json& j) { return *fixed_from_hex<H256>(str(j)); }

crypto::Keypair dev_pair(int index) {
  auto secret = hex(bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"][index]["secret_key"]);
  return crypto::Keypair::from_secret(secret).value();
}

SignedExtra extra_of(const nlohmann::json& item) {
  SignedExtra extra;
  extra.era = codec::decode<Era>(hex(item["era"])).value();
  extra.nonce.value = item["nonce"].get<Nonce>();
  extra.tip.value = *u128_from_string(str(item["tip"]));
  return extra;
}

AdditionalSigned additional_of(const nlohmann::json& item) {
  return AdditionalSigned{item["spec_version"].get<uint32_t>(), item["transaction_version"].get<uint32_t>(),
                          h256(item["genesis_hash"]), h256(item["era_block_hash"])};
}

Bytes signed_alice_remark() {
  UncheckedExtrinsic xt =
      sign_extrinsic(dev_pair(0), Bytes{0x00, 0x00, 0x04, 0x61}, SignedExtra{}, AdditionalSigned{100, 1, {}, {}});
  return encode_extrinsic(xt);
}
}  // namespace

SCENARIO("the polkadot.js extrinsic vectors are reproduced byte for byte") {
  auto alice = dev_pair(0);
  for (const auto& item : bazaar::test::vectors()["extrinsics"]["items"]) {
    GIVEN(str(item["label"])) {
      auto full = hex(item["extrinsic"]);
      auto call = hex(item["call"]);
      auto extra = extra_of(item);
      auto additional = additional_of(item);
      REQUIRE(to_hex(codec::encode(extra.era)) == str(item["era"]));

      THEN("it decodes into signer, signature, extra and call") {
        auto xt = decode_extrinsic(full);
        REQUIRE(xt);
        REQUIRE(xt.value().signature);
        const auto& part = *xt.value().signature;
        CHECK(std::get<MultiAddressId>(part.signer).account == alice.account_id());
        CHECK(to_hex(std::get<MultiSignatureEcdsa>(part.signature).signature) == str(item["signature_rsv"]));
        CHECK(part.extra == extra);
        CHECK(xt.value().call == call);
        CHECK(signer_account(xt.value()) == alice.account_id());
        CHECK(full.size() - 2 == item["extrinsic_len_without_prefix"].get<std::size_t>());
        AND_THEN("re-encoding gives the same bytes") { CHECK(encode_extrinsic(xt.value()) == full); }
        AND_THEN("the signature verifies with the right implicit data only") {
          CHECK(verify_extrinsic_signature(xt.value(), additional));
          auto wrong_genesis = additional;
          wrong_genesis.genesis_hash.bytes[0] ^= 1;
          CHECK_FALSE(verify_extrinsic_signature(xt.value(), wrong_genesis));
          auto wrong_spec = additional;
          wrong_spec.spec_version += 1;
          CHECK_FALSE(verify_extrinsic_signature(xt.value(), wrong_spec));
          auto tampered = xt.value();
          tampered.signature->extra.nonce.value += 1;
          CHECK_FALSE(verify_extrinsic_signature(tampered, additional));
          tampered = xt.value();
          tampered.call.back() ^= 1;
          CHECK_FALSE(verify_extrinsic_signature(tampered, additional));
        }
      }
      THEN("the transaction hash matches") { CHECK(to_hex(extrinsic_hash(full)) == str(item["tx_hash_blake2_256"])); }
      THEN("the signing payload is call ++ extra ++ additional, hashed when over 256 bytes") {
        Bytes raw = call;
        auto e = codec::encode(extra);
        auto a = codec::encode(additional);
        raw.insert(raw.end(), e.begin(), e.end());
        raw.insert(raw.end(), a.begin(), a.end());
        CHECK(to_hex(raw) == str(item["signing_payload"]));
        CHECK(raw.size() == item["signing_payload_len"].get<std::size_t>());
        auto payload = signing_payload(call, extra, additional);
        CHECK(to_hex(payload) == str(item["bytes_passed_to_pair_sign"]));
        CHECK(to_hex(crypto::blake2b_256(payload)) == str(item["ecdsa_digest_signed"]));
      }
      THEN("Alice signing the same call gives exactly the vector extrinsic") {
        auto xt = sign_extrinsic(alice, call, extra, additional);
        CHECK(to_hex(encode_extrinsic(xt)) == str(item["extrinsic"]));
      }
    }
  }
}

SCENARIO("MultiAddress and MultiSignature use Substrate's indices") {
  const auto& v = bazaar::test::vectors();
  auto alice_id = *fixed_from_hex<AccountId32>(str(v["ecdsa_dev_accounts"]["accounts"][0]["account_id"]));
  CHECK(to_hex(codec::encode(MultiAddress{MultiAddressId{alice_id}})) ==
        str(v["multiaddress_multisignature"]["multiaddress_id_alice"]));
  for (const auto& item : v["ecdsa_signatures"]["signatures"]) {
    auto sig = *fixed_from_hex<crypto::EcdsaSignature>(str(item["signature_rsv"]));
    CHECK(to_hex(codec::encode(MultiSignature{MultiSignatureEcdsa{sig}})) == str(item["multisignature_encoded"]));
  }
  CHECK(to_hex(codec::encode(MultiAddress{MultiAddressIndex{{5}}})) == "0x0114");
  CHECK(to_hex(codec::encode(MultiAddress{MultiAddressRaw{{0xaa}}})) == "0x0204aa");
  CHECK(codec::encode(MultiAddress{MultiAddress32{}}).size() == 33);
  CHECK(codec::encode(MultiAddress{MultiAddress20{}}).front() == 0x04);
  CHECK(codec::encode(MultiSignature{MultiSignatureEd25519{}}).size() == 65);
  CHECK(codec::encode(MultiSignature{MultiSignatureSr25519{}}).front() == 0x01);
  CHECK(codec::decode<MultiAddress>(Bytes{0x05}).error() == codec::CodecError::InvalidEnumIndex);
}

SCENARIO("bare extrinsics") {
  UncheckedExtrinsic xt{std::nullopt, Bytes{0x02, 0x00, 0x0b, 0x01, 0x02}};
  auto full = encode_extrinsic(xt);
  CHECK(to_hex(full) == "0x1804" "02000b0102");
  CHECK(decode_extrinsic(full).value() == xt);
  CHECK_FALSE(verify_extrinsic_signature(xt, AdditionalSigned{}));
  CHECK_FALSE(signer_account(xt));
}

SCENARIO("malformed extrinsics are rejected with a named error") {
  auto full = signed_alice_remark();
  REQUIRE(decode_extrinsic(full));
  WHEN("the last byte is missing") {
    full.pop_back();
    THEN("the length prefix no longer matches") {
      CHECK(decode_extrinsic(full).error() == ExtrinsicError::BadLengthPrefix);
    }
  }
  WHEN("a byte is appended") {
    full.push_back(0x00);
    THEN("the length prefix no longer matches") {
      CHECK(decode_extrinsic(full).error() == ExtrinsicError::BadLengthPrefix);
    }
  }
  WHEN("the version byte is not 0x84 or 0x04") {
    for (uint8_t version : {0x85, 0x05, 0x44, 0x00, 0xff}) {
      auto bad = full;
      bad[2] = version;  // after a 2-byte length prefix
      CHECK(decode_extrinsic(bad).error() == ExtrinsicError::UnsupportedVersion);
    }
  }
  WHEN("there are no call bytes") {
    CHECK(decode_extrinsic(Bytes{0x04, 0x04}).error() == ExtrinsicError::EmptyCall);
    UncheckedExtrinsic xt = decode_extrinsic(full).value();
    xt.call.clear();
    CHECK(decode_extrinsic(encode_extrinsic(xt)).error() == ExtrinsicError::EmptyCall);
  }
  WHEN("the input is empty, or the prefix is non-canonical") {
    CHECK(decode_extrinsic(Bytes{}).error() == codec::CodecError::NotEnoughData);
    CHECK(decode_extrinsic(Bytes{0x00}).error() == codec::CodecError::NotEnoughData);
    CHECK(decode_extrinsic(Bytes{0x09, 0x00, 0x04, 0x00}).error() == codec::CodecError::NonCanonicalCompact);
  }
  WHEN("the signature part is cut short or has a bad era") {
    // 0x84, MultiAddress::Id, then only 10 bytes of the 66-byte signature.
    Bytes body{0x84, 0x00};
    body.insert(body.end(), 32, 0x11);
    body.push_back(0x02);
    body.insert(body.end(), 10, 0x22);
    codec::Encoder e;
    codec::encode_compact(e, body.size());
    e.write(body);
    CHECK(decode_extrinsic(e.bytes()).error() == codec::CodecError::NotEnoughData);

    auto xt = decode_extrinsic(full).value();
    auto bad_era = encode_extrinsic(xt);
    std::size_t era_at = 2 + 1 + 33 + 66;
    REQUIRE(bad_era[era_at] == 0x00);  // immortal
    bad_era[era_at] = 0x10;            // "mortal" with period 2
    CHECK(decode_extrinsic(bad_era).error() == ExtrinsicError::InvalidEra);
  }
}

SCENARIO("signatures other than MultiAddress::Id + Ecdsa do not verify") {
  auto full = signed_alice_remark();
  auto xt = decode_extrinsic(full).value();
  AdditionalSigned additional{100, 1, {}, {}};
  REQUIRE(verify_extrinsic_signature(xt, additional));
  auto by_index = xt;
  by_index.signature->signer = MultiAddressIndex{{0}};
  CHECK_FALSE(verify_extrinsic_signature(by_index, additional));
  CHECK_FALSE(signer_account(by_index));
  auto sr = xt;
  sr.signature->signature = MultiSignatureSr25519{};
  CHECK_FALSE(verify_extrinsic_signature(sr, additional));
  auto other_signer = xt;
  other_signer.signature->signer = MultiAddressId{dev_pair(1).account_id()};
  CHECK_FALSE(verify_extrinsic_signature(other_signer, additional));
}
