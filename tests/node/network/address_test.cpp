#include "node/network/error.hpp"
#include "node/network/multiaddr.hpp"
#include "node/network/node_key.hpp"
#include "runtime/crypto/ss58.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace bazaar::node::network;
using bazaar::runtime::crypto::Keypair;

namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bazaar-net-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path path;
};

}  // namespace

SCENARIO("peer ids are base58 multihashes of blake2b-256 of the node key") {
  auto key = Keypair::generate();
  auto id = PeerId::from_public(key.public_key());
  THEN("the text form parses back to the same id") {
    auto text = id.to_string();
    auto back = PeerId::parse(text);
    REQUIRE(back);
    CHECK(back.value() == id);
  }
  THEN("two keys give two ids") { CHECK(PeerId::from_public(Keypair::generate().public_key()) != id); }
  THEN("junk, a wrong multihash prefix and a wrong length are refused") {
    CHECK(PeerId::parse("not-base58-0OIl").error() == make_error_code(NetworkError::InvalidPeerId));
    CHECK_FALSE(PeerId::parse(bazaar::runtime::crypto::base58_encode(id.digest().span())));
    auto text = id.to_string();
    CHECK_FALSE(PeerId::parse(text.substr(0, text.size() - 1)));
  }
}

SCENARIO("multiaddresses are parsed and printed") {
  auto id = PeerId::from_public(Keypair::generate().public_key());
  auto p2p = "/p2p/" + id.to_string();
  GIVEN("the supported forms") {
    auto a = Multiaddr::parse("/ip4/127.0.0.1/tcp/30333" + p2p);
    REQUIRE(a);
    CHECK(a.value().kind == Multiaddr::Kind::Ip4);
    CHECK(a.value().host == "127.0.0.1");
    CHECK(a.value().port == 30333);
    CHECK(a.value().peer == id);
    CHECK(a.value().to_string() == "/ip4/127.0.0.1/tcp/30333" + p2p);

    auto b = Multiaddr::parse("/ip6/0:0::1/tcp/1");
    REQUIRE(b);
    CHECK(b.value().to_string() == "/ip6/::1/tcp/1");
    CHECK_FALSE(b.value().peer);

    for (std::string kind : {"dns", "dns4", "dns6"}) {
      auto d = Multiaddr::parse("/" + kind + "/boot.example.org/tcp/30333" + p2p);
      REQUIRE(d);
      CHECK(d.value().is_dns());
      CHECK(d.value().to_string() == "/" + kind + "/boot.example.org/tcp/30333" + p2p);
    }
    CHECK(Multiaddr::parse("/ip4/0.0.0.0/tcp/0").value().is_unspecified());
  }
  GIVEN("malformed addresses") {
    for (std::string bad : {"", "ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/tcp", "/ip4/1.2.3/tcp/1", "/ip4/1.2.3.4/udp/1",
                            "/ip4/1.2.3.4/tcp/65536", "/ip4/1.2.3.4/tcp/-1", "/ip4/1.2.3.4/tcp/1/p2p",
                            "/ip4/1.2.3.4/tcp/1/ws/x", "/ip6/1.2.3.4/tcp/1", "/dns/bad host/tcp/1", "/tcp/1/ip4/1.2.3.4"}) {
      INFO(bad);
      CHECK(Multiaddr::parse(bad).error() == make_error_code(NetworkError::InvalidAddress));
    }
    CHECK(Multiaddr::parse("/ip4/1.2.3.4/tcp/1/p2p/xyz").error() == make_error_code(NetworkError::InvalidPeerId));
  }
}

SCENARIO("the node key is generated once with mode 0600 and then reused") {
  TempDir dir;
  auto path = default_node_key_path(dir.path);
  WHEN("no key file exists") {
    auto first = load_or_generate_node_key(path);
    REQUIRE(first);
    THEN("one is written, readable only by the owner") {
      struct stat st {};
      REQUIRE(::stat(path.c_str(), &st) == 0);
      CHECK((st.st_mode & 0777) == 0600);
    }
    THEN("the next start loads the same key") {
      auto again = load_or_generate_node_key(path);
      REQUIRE(again);
      CHECK(again.value().public_key() == first.value().public_key());
    }
  }
  WHEN("the file holds hex of a secret, with 0x and a newline") {
    auto key = Keypair::generate();
    std::ofstream(dir.path / "key.hex") << bazaar::runtime::to_hex(bazaar::runtime::ByteSpan(key.secret())) << "\n";
    auto loaded = load_node_key(dir.path / "key.hex");
    REQUIRE(loaded);
    CHECK(loaded.value().public_key() == key.public_key());
  }
  WHEN("the file holds junk") {
    std::ofstream(dir.path / "junk") << "hello";
    CHECK(load_node_key(dir.path / "junk").error() == make_error_code(NetworkError::InvalidNodeKey));
    CHECK(load_node_key(dir.path / "missing").error() == make_error_code(NetworkError::NodeKeyIo));
  }
}
