#include "node/trie/node_codec.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "node/trie/root.hpp"
#include "runtime/crypto/hash.hpp"

using namespace bazaar::node::trie;
using bazaar::runtime::from_hex;
using bazaar::runtime::to_hex;

namespace {

Node leaf(Nibbles partial, Bytes value) {
  Node n;
  n.partial = std::move(partial);
  n.value = std::move(value);
  return n;
}

}  // namespace

SCENARIO("nodes encode exactly as sp-trie's NodeCodec") {
  // Expected bytes from sp-trie's own tests (substrate/primitives/trie/src/lib.rs:
  // codec_trie_single_tuple, codec_trie_two_tuples_disjoint_keys).
  GIVEN("the trie {aa: bb}") {
    THEN("its root node is a leaf 42 aa 04 bb and the root is that node's hash") {
      Node n = leaf({0xa, 0xa}, {0xbb});
      CHECK(to_hex(encode_node(n)) == "0x42aa04bb");
      CHECK(compute_root({{{0xaa}, {0xbb}}}) == hash_node(encode_node(n)));
    }
  }
  GIVEN("the trie {4819: fe, 1314: ff}") {
    THEN("the root is a valueless branch with two inline leaves") {
      Node root;
      root.children.set(1, child_ref_for(encode_node(leaf({3, 1, 4}, {0xff}))));
      root.children.set(4, child_ref_for(encode_node(leaf({8, 1, 9}, {0xfe}))));
      CHECK(to_hex(encode_node(root)) ==
            "0x80120014430314"
            "04ff"
            "144308190"
            "4fe");
      CHECK(compute_root({{{0x48, 0x19}, {0xfe}}, {{0x13, 0x14}, {0xff}}}) == hash_node(encode_node(root)));
    }
  }
}

SCENARIO("node encodings round-trip") {
  GIVEN("nodes with partial keys of every header length class") {
    for (std::size_t nibbles : {0u, 1u, 2u, 61u, 62u, 63u, 64u, 317u, 318u, 319u, 700u}) {
      Nibbles partial(nibbles);
      for (std::size_t i = 0; i < nibbles; ++i) partial[i] = static_cast<uint8_t>((i * 7 + 3) % 16);
      Node n = leaf(partial, Bytes(40, 9));
      Node b;
      b.partial = partial;
      b.value = Bytes{};
      b.children.set(0, ChildRef(Bytes(32, 1)));
      b.children.set(15, child_ref_for(encode_node(leaf({1}, {2}))));
      THEN(std::to_string(nibbles) + " nibbles decode back to the same node") {
        CHECK(decode_node(encode_node(n)).value() == n);
        CHECK(decode_node(encode_node(b)).value() == b);
      }
    }
  }
  GIVEN("the header length encoding") {
    THEN("62 nibbles fit the first byte and 63 need one more byte") {
      Nibbles p62(62, 0), p63(63, 0);
      CHECK(encode_node(leaf(p62, {}))[0] == (0x40 | 62));
      Bytes e63 = encode_node(leaf(p63, {}));
      CHECK(e63[0] == 0x7f);
      CHECK(e63[1] == 0x00);
    }
  }
}

SCENARIO("malformed node bytes are rejected without crashing") {
  GIVEN("encodings our codec would never produce") {
    std::vector<std::string> bad = {
        "",            // nothing
        "00",          // the empty node is not a stored node
        "42aa04",      // value truncated
        "42aa04bbcc",  // trailing byte
        "41f104bb",    // odd nibble count with non-zero padding
        "80000000",    // branch with an empty bitmap
        "800100",      // branch whose child is missing
        "2100",        // LayoutV1 hashed-value leaf header
        "7f",          // long nibble count cut short
        "7fff",        // long nibble count cut short after a continuation
        "8001000100",  // inline child of length 0
        "800100"
        "84"
        "0000000000000000000000000000000000000000000000000000000000000000",  // child of 33 bytes
    };
    for (const auto& hex : bad) {
      THEN("'" + hex + "' fails with CorruptNode") {
        auto r = decode_node(*from_hex(hex));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error() == make_error_code(TrieError::CorruptNode));
      }
    }
  }
  GIVEN("every truncation of valid encodings and random garbage") {
    std::mt19937 rng(7);
    Node b;
    b.partial = {1, 2, 3};
    b.value = Bytes(50, 5);
    for (int i = 0; i < 16; i += 3) b.children.set(i, ChildRef(Bytes(32, static_cast<uint8_t>(i))));
    Bytes valid = encode_node(b);
    THEN("no proper prefix decodes and random bytes never crash the decoder") {
      for (std::size_t n = 0; n < valid.size(); ++n)
        CHECK_FALSE(decode_node(bazaar::runtime::ByteSpan(valid).first(n)).has_value());
      int decoded = 0;
      for (int round = 0; round < 20000; ++round) {
        Bytes junk(rng() % 80);
        for (auto& x : junk) x = static_cast<uint8_t>(rng());
        if (round % 2 == 0 && !junk.empty()) junk[0] = static_cast<uint8_t>(0x40 | (junk[0] & 0x8f));
        auto r = decode_node(junk);
        if (r) {
          ++decoded;
          CHECK(encode_node(r.value()) == junk);  // whatever decodes is canonical
        }
      }
      CHECK(decoded < 20000);
    }
  }
}

SCENARIO("nibbles convert to and from bytes") {
  CHECK(to_nibbles(Bytes{0xab, 0x01}) == Nibbles{0xa, 0xb, 0x0, 0x1});
  CHECK(nibbles_to_bytes(Nibbles{0xa, 0xb, 0x0, 0x1}) == Bytes{0xab, 0x01});
  CHECK(to_hex(empty_root()) == "0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314");
  CHECK(empty_root() == bazaar::runtime::crypto::blake2b_256(empty_node_encoding()));
}
