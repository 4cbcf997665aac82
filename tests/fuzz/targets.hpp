#pragma once
// Every fuzz target, one per decoder of untrusted bytes. Each lives in
// tests/fuzz/<name>.cpp, is run by fuzz_regression over
// tests/fuzz/corpus/<name>/ plus mutants, and becomes the libFuzzer binary
// fuzz_<name> when configured with -DBAZAAR_FUZZ=ON (README.md).

#include <cstddef>
#include <cstdint>

namespace bazaar::fuzz {

// SCALE codec (runtime/codec/scale.hpp)
void fuzz_scale_compact(const uint8_t* data, std::size_t size);  ///< Compact<u128> (and u32/u64), vs a reference
void fuzz_scale_bytes(const uint8_t* data, std::size_t size);    ///< Vec<u8>
void fuzz_scale_string(const uint8_t* data, std::size_t size);   ///< String, UTF-8 checked vs nlohmann::json
void fuzz_scale_struct(const uint8_t* data, std::size_t size);   ///< nested described structs, options, variants

// Primitives (runtime/primitives)
void fuzz_extrinsic(const uint8_t* data, std::size_t size);    ///< decode_extrinsic, signing payload, verify
void fuzz_header(const uint8_t* data, std::size_t size);       ///< Header (+ Aura slot / seal parsing)
void fuzz_block(const uint8_t* data, std::size_t size);        ///< Block with opaque extrinsics
void fuzz_digest_item(const uint8_t* data, std::size_t size);  ///< one DigestItem

// Runtime (modules/composition)
void fuzz_runtime_call(const uint8_t* data, std::size_t size);  ///< RuntimeCall, nested sudo (depth limit)
void fuzz_events(const uint8_t* data, std::size_t size);        ///< System.Events (decode_events)

// State trie (node/trie)
void fuzz_trie_node(const uint8_t* data, std::size_t size);   ///< decode_node
void fuzz_trie_proof(const uint8_t* data, std::size_t size);  ///< verify_proof vs TrieDb::get

// Task programs (runtime/wasm)
void fuzz_wasm_program(const uint8_t* data, std::size_t size);  ///< validate_program

// Text formats
void fuzz_chain_spec(const uint8_t* data, std::size_t size);  ///< genesis::parse_chain_spec
void fuzz_ss58(const uint8_t* data, std::size_t size);        ///< ss58_decode, parse_account, base58
void fuzz_suri(const uint8_t* data, std::size_t size);        ///< parse_suri, BIP39, keypair_from_suri

}  // namespace bazaar::fuzz
