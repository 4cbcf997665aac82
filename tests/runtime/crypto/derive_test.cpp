#include "runtime/crypto/derive.hpp"

#include "runtime/codec/scale.hpp"
#include "runtime/crypto/bip39_wordlist.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>
#include <cryptopp/sha.h>

#include <set>
#include <sstream>

using namespace bazaar::runtime;
using namespace bazaar::runtime::crypto;

namespace {
std::string str(const nlohmann::json& j) { return j.get<std::string>(); }

std::size_t word_count(const std::string& phrase) {
  std::istringstream in(phrase);
  std::size_t n = 0;
  for (std::string w; in >> w;) ++n;
  return n;
}

const std::string kLegal24 =
    "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal "
    "winner thank year wave sausage worth title";
}  // namespace

SCENARIO("the BIP39 wordlist is the canonical English list") {
  const auto& words = bip39_english_wordlist();
  std::string file;
  for (auto w : words) {
    file.append(w);
    file.push_back('\n');
  }
  std::array<uint8_t, 32> digest;
  CryptoPP::SHA256().CalculateDigest(digest.data(), reinterpret_cast<const uint8_t*>(file.data()), file.size());
  CHECK(to_hex(digest) == "0x2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
  CHECK(std::is_sorted(words.begin(), words.end()));
}

SCENARIO("the dev phrase gives the polkadot.js entropy and mini secret") {
  const auto& v = bazaar::test::vectors()["dev_phrase"];
  REQUIRE(str(v["phrase"]) == kDevPhrase);
  auto entropy = mnemonic_to_entropy(kDevPhrase);
  REQUIRE(entropy);
  CHECK(to_hex(entropy.value()) == str(v["entropy"]));
  CHECK(to_hex(mini_secret_from_entropy(entropy.value())) == str(v["mini_secret"]));
  CHECK(entropy_to_mnemonic(entropy.value()).value() == kDevPhrase);
  CHECK(to_hex(codec::encode(std::string("Secp256k1HDKD"))) == str(bazaar::test::vectors()["hdkd_prefix"]["hex"]));
}

SCENARIO("BIP39 reference vectors (Trezor's vectors.json, English)") {
  CHECK(entropy_to_mnemonic(Bytes(16, 0x00)).value() ==
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
  CHECK(entropy_to_mnemonic(Bytes(16, 0x7f)).value() ==
        "legal winner thank year wave sausage worth useful legal winner thank yellow");
  CHECK(entropy_to_mnemonic(Bytes(16, 0xff)).value() == "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong");
  CHECK(entropy_to_mnemonic(Bytes(32, 0x7f)).value() == kLegal24);
  CHECK(mnemonic_to_entropy(kLegal24).value() == Bytes(32, 0x7f));
  CHECK(entropy_to_mnemonic(Bytes(15, 0)).error() == DeriveError::InvalidEntropy);
  CHECK(entropy_to_mnemonic(Bytes(36, 0)).error() == DeriveError::InvalidEntropy);
}

SCENARIO("//Alice .. //Ferdie derive to the polkadot.js ecdsa dev accounts") {
  for (const auto& acc : bazaar::test::vectors()["ecdsa_dev_accounts"]["accounts"]) {
    std::string suri = str(acc["suri"]);
    GIVEN(suri) {
      THEN("the junction chain code, secret, public key, account and address match") {
        CHECK(to_hex(make_junction(suri.substr(2), true).chain_code) == str(acc["chain_code"]));
        auto pair = keypair_from_suri(suri);
        REQUIRE(pair);
        CHECK(to_hex(pair.value().secret()) == str(acc["secret_key"]));
        CHECK(to_hex(pair.value().public_key()) == str(acc["public_key_compressed"]));
        CHECK(to_hex(pair.value().account_id()) == str(acc["account_id"]));
        CHECK(ss58_encode(pair.value().account_id()) == str(acc["ss58_prefix42"]));
        auto explicit_phrase = keypair_from_suri(std::string(kDevPhrase) + suri);
        REQUIRE(explicit_phrase);
        CHECK(explicit_phrase.value().secret() == pair.value().secret());
      }
    }
  }
}

SCENARIO("more secret URIs agree with polkadot.js 14.0.3") {
  // Generated with @polkadot/keyring 14.0.3: new Keyring({type: 'ecdsa'}).createFromUri(suri).
  const std::pair<std::string, const char*> cases[] = {
      {"//Alice///secret", "0x02fee22cd56e2719e885ce278b7e437e924f151fa17bc34b771cc85bbb4b5ec5e3"},
      {"//Alice//0", "0x03ca2e6606a5c42b9671765ff60aaa98c3033ab0fb155f08afa884343def0857f0"},
      {"//42", "0x0230aa87793e60e2b0a50be4452e7e656265e5641396c520897854900b993a9961"},
      {"//18446744073709551615", "0x02848433e886dfdcc7947e22f17efd99e450d262d2cec5e8de2125b6ee7d5b069e"},
      {"//a-very-long-junction-name-longer-than-32-bytes",
       "0x029a30dda318c95c4ad507310b2a29656b723c2f853bcf19e3ab54bff1e6e6e5e7"},
      {"//Alice//stash", "0x03c6a1c2194fa966d30bc4b9c4d5140e9a899d456372dae0e4ef230fd7d2197e72"},
      {kLegal24, "0x03f8c283e9da3e53100bfb3ed382862e4a576e5ebb669994a04079086a841dc660"},
      {kLegal24 + "//1//x", "0x025c8e776118b0a52949fed72c3d99a6ce6b7083e238d0feb3a4b00bfce1123a6f"},
      {kLegal24 + "///pw", "0x02586ce5879115f2da59d3ee89d69f0f48c0d2a38e0e3f51007505a944fb70881b"},
      {"0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e//Alice",
       "0x020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1"},
      {"0x00000000000000000000000000000000000000000000000000000000000000ff",
       "0x031b38903a43f7f114ed4500b4eac7083fdefece1cf29c63528d563446f972c180"},
  };
  for (const auto& [suri, public_key] : cases) {
    auto pair = keypair_from_suri(suri);
    INFO(suri);
    REQUIRE(pair);
    CHECK(to_hex(pair.value().public_key()) == public_key);
  }
  CHECK(to_hex(mini_secret_from_entropy(Bytes(32, 0x7f), "pw")) ==
        "0x9ea77db08a65f720bf0af12e543da21088a03a481e8be90fee2edb67d3d61c5b");
}

SCENARIO("junction chain codes follow sp_core::crypto::DeriveJunction") {
  THEN("a number is its u64 LE, zero-padded") {
    auto j = make_junction("42", true);
    CHECK(to_hex(j.chain_code) == "0x2a00000000000000000000000000000000000000000000000000000000000000");
    CHECK(j.hard);
  }
  THEN("a number beyond u64 is a string") {
    auto encoded = codec::encode(std::string("18446744073709551616"));
    Secret32 expected{};
    std::copy(encoded.begin(), encoded.end(), expected.begin());
    CHECK(make_junction("18446744073709551616", true).chain_code == expected);
  }
  THEN("a string longer than 32 bytes once encoded is hashed") {
    std::string code(40, 'a');
    CHECK(make_junction(code, true).chain_code == blake2b_256(codec::encode(code)).bytes);
  }
}

SCENARIO("secret URIs are parsed into phrase, junctions and password") {
  auto uri = parse_suri("word1 word2//hard/soft//3///pass/with//slashes");
  REQUIRE(uri);
  CHECK(uri.value().phrase == "word1 word2");
  REQUIRE(uri.value().junctions.size() == 3);
  CHECK(uri.value().junctions[0] == make_junction("hard", true));
  CHECK(uri.value().junctions[1] == make_junction("soft", false));
  CHECK(uri.value().junctions[2] == make_junction("3", true));
  CHECK(uri.value().password == "pass/with//slashes");
  auto dev = parse_suri("//Bob");
  REQUIRE(dev);
  CHECK(dev.value().phrase == kDevPhrase);
  CHECK(dev.value().password.empty());
}

SCENARIO("bad secret URIs are rejected with a named error") {
  std::string dev(kDevPhrase);
  CHECK(keypair_from_suri("//Alice/soft").error() == DeriveError::SoftJunctionUnsupported);
  CHECK(keypair_from_suri("/Alice").error() == DeriveError::SoftJunctionUnsupported);
  CHECK(keypair_from_suri("//Alice//").error() == DeriveError::InvalidPath);
  CHECK(keypair_from_suri(dev + "x//Alice").error() == DeriveError::InvalidWord);
  CHECK(keypair_from_suri("bottom drive obey lake curtain smoke basket hold race lonely fit").error() ==
        DeriveError::InvalidPhrase);
  CHECK(keypair_from_suri("not a phrase").error() == DeriveError::InvalidPhrase);
  // Swapping two words keeps every word valid but breaks the 4 checksum bits.
  CHECK(keypair_from_suri("drive bottom obey lake curtain smoke basket hold race lonely fit walk").error() ==
        DeriveError::BadChecksum);
  CHECK(keypair_from_suri("0x1234").error() == DeriveError::InvalidSeed);
  CHECK(keypair_from_suri("0x" + std::string(64, 'g')).error() == DeriveError::InvalidSeed);
  CHECK(keypair_from_suri("0x" + std::string(64, '0')).error() == CryptoError::InvalidSecretKey);
}

SCENARIO("generated mnemonics are valid, fresh and derive keys") {
  for (unsigned words : {12u, 15u, 18u, 21u, 24u}) {
    auto phrase = generate_mnemonic(words);
    INFO(phrase);
    CHECK(word_count(phrase) == words);
    auto entropy = mnemonic_to_entropy(phrase);
    REQUIRE(entropy);
    CHECK(entropy.value().size() == words * 4 / 3);
    CHECK(keypair_from_suri(phrase + "//0"));
  }
  std::set<std::string> seen;
  for (int i = 0; i < 8; ++i) seen.insert(generate_mnemonic());
  CHECK(seen.size() == 8);
}
