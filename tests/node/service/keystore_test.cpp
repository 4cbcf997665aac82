// The keystore on disk: Substrate's file layout, owner-only permissions, the
// public key check of author_insertKey, and session keys.

#include "node/service/keystore.hpp"
#include "node/service/temp_dir.hpp"
#include "runtime/crypto/derive.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace bazaar;
using node::service::Keystore;

namespace {
const rpc::KeyType kAura{'a', 'u', 'r', 'a'};
const rpc::KeyType kGran{'g', 'r', 'a', 'n'};
}  // namespace

SCENARIO("the keystore stores keys in Substrate's layout") {
  auto dir = node::service::TempDir::create("keystore-").value();
  Keystore store(dir.path() / "keystore");
  auto alice = runtime::crypto::keypair_from_suri("//Alice").value().public_key();
  WHEN("//Alice is inserted under aura") {
    REQUIRE(store.insert_key(kAura, "//Alice", alice.span()).has_value());
    THEN("the file is hex(\"aura\") ++ hex(public), holds the SURI as JSON, and only its owner may read it") {
      auto file = store.dir() / ("61757261" + runtime::to_hex(alice.span()).substr(2));
      REQUIRE(std::filesystem::exists(file));
      struct stat st {};
      REQUIRE(::stat(file.c_str(), &st) == 0);
      CHECK((st.st_mode & 0777) == 0600);
      CHECK(store.secret_uri(kAura, alice.span()) == std::optional<std::string>("//Alice"));
      CHECK(store.has_key(alice.span(), kAura).value());
      CHECK_FALSE(store.has_key(alice.span(), kGran).value());
    }
  }
  THEN("a public key the SURI does not derive, or a bad SURI, is refused and nothing is stored") {
    auto bob = runtime::crypto::keypair_from_suri("//Bob").value().public_key();
    auto wrong = store.insert_key(kAura, "//Alice", bob.span());
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().kind == rpc::PortError::Kind::CallFailed);
    CHECK_FALSE(store.insert_key(kAura, "not a phrase at all", alice.span()).has_value());
    CHECK_FALSE(store.has_key(bob.span(), kAura).value());
    CHECK_FALSE(store.has_key(alice.span(), kAura).value());
  }
  THEN("rotate_keys makes fresh session keys that has_session_keys knows, and only those") {
    auto first = store.rotate_keys().value();
    auto second = store.rotate_keys().value();
    CHECK(first.size() == 33);
    CHECK(first != second);
    CHECK(store.has_session_keys(first).value());
    CHECK(store.has_session_keys(second).value());
    CHECK_FALSE(store.has_session_keys(alice.span()).value());
    CHECK_FALSE(store.has_session_keys(runtime::Bytes(32, 1)).value());
  }
}
