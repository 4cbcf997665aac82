#include "node/network/error.hpp"
#include "node/network/handshake.hpp"

#include <catch2/catch.hpp>

using namespace bazaar::node::network;
using bazaar::runtime::H256;
using bazaar::runtime::crypto::Keypair;

namespace {
H256 genesis_a() { return H256::from_span(std::vector<uint8_t>(32, 0xaa)); }
H256 genesis_b() { return H256::from_span(std::vector<uint8_t>(32, 0xbb)); }
Hello hello_of(const Keypair& k, const H256& genesis = genesis_a()) {
  return make_hello(Role::Authority, genesis, {genesis, 0}, {genesis, 0}, k.public_key(), {"/ip4/0.0.0.0/tcp/1"});
}
}  // namespace

SCENARIO("a hello is checked for chain, version, identity and key") {
  auto alice = Keypair::generate();
  auto bob = Keypair::generate();
  auto self = PeerId::from_public(alice.public_key());
  auto bob_id = PeerId::from_public(bob.public_key());
  GIVEN("bob's hello on our chain") {
    auto h = hello_of(bob);
    THEN("it is accepted with and without an expected id") {
      CHECK(check_hello(h, genesis_a(), self, std::nullopt).value() == bob_id);
      CHECK(check_hello(h, genesis_a(), self, bob_id).value() == bob_id);
    }
    THEN("another genesis, another expected id, another version are refused") {
      CHECK(check_hello(h, genesis_b(), self, std::nullopt).error() == make_error_code(NetworkError::GenesisMismatch));
      CHECK(check_hello(h, genesis_a(), self, self).error() == make_error_code(NetworkError::PeerIdMismatch));
      h.handshake_version = 2;
      CHECK(check_hello(h, genesis_a(), self, std::nullopt).error() == make_error_code(NetworkError::ProtocolMismatch));
    }
  }
  GIVEN("our own hello coming back") {
    THEN("it is a self connection") {
      CHECK(check_hello(hello_of(alice), genesis_a(), self, std::nullopt).error() ==
            make_error_code(NetworkError::SelfConnection));
    }
  }
  GIVEN("a hello whose key is not a curve point") {
    auto h = hello_of(bob);
    h.public_key.bytes.fill(0x05);
    THEN("it is refused") {
      CHECK(check_hello(h, genesis_a(), self, std::nullopt).error() == make_error_code(NetworkError::HandshakeFailed));
    }
  }
  THEN("two hellos have different challenges") { CHECK(hello_of(bob).challenge != hello_of(bob).challenge); }
}

SCENARIO("handshake proofs bind the key to this session and this side") {
  auto alice = Keypair::generate();
  auto bob = Keypair::generate();
  auto init = bazaar::runtime::codec::encode(hello_of(alice));
  auto resp = bazaar::runtime::codec::encode(hello_of(bob));
  auto proof = sign_handshake(bob, Side::Responder, init, resp);
  THEN("the proof verifies with bob's key") {
    CHECK(verify_handshake(proof, bob.public_key(), Side::Responder, init, resp));
  }
  THEN("it does not verify for another key") {
    CHECK(verify_handshake(proof, alice.public_key(), Side::Responder, init, resp).error() ==
          make_error_code(NetworkError::BadSignature));
  }
  THEN("it does not verify in another session (a replayed hello meets a fresh challenge)") {
    auto fresh = bazaar::runtime::codec::encode(hello_of(alice));
    CHECK_FALSE(verify_handshake(proof, bob.public_key(), Side::Responder, fresh, resp));
  }
  THEN("it cannot be reflected as the other side's proof") {
    CHECK_FALSE(verify_handshake(proof, bob.public_key(), Side::Initiator, init, resp));
  }
}
