// fuzz_corpus_gen, part three: wasm modules (from WebAssembly text), chain
// specs, SS58 addresses and secret URIs.

#include "tests/fuzz/corpus_gen.hpp"

#include "genesis/chain_spec.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"
#include "tests/runtime/wasm/wat.hpp"
#include "tests/support/vectors.hpp"

#include <nlohmann/json.hpp>

namespace bazaar::fuzz::gen {

using namespace runtime;

namespace {

std::string as_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

void wasm(CorpusWriter& out, const std::string& name, std::string_view wat) {
  out.raw("wasm_program", name + ".wasm", as_string(test::wat_to_wasm(wat)));
}

/// SS58 text with any prefix byte(s), bypassing ss58_encode's checks.
std::string ss58_with_prefix_bytes(const Bytes& prefix, const AccountId32& account) {
  Bytes data = prefix;
  data.insert(data.end(), account.begin(), account.end());
  Bytes pre = to_bytes("SS58PRE");
  pre.insert(pre.end(), data.begin(), data.end());
  auto hash = crypto::blake2b_512(pre);
  data.insert(data.end(), hash.begin(), hash.begin() + 2);
  return crypto::base58_encode(data);
}

}  // namespace

void generate_text(CorpusWriter& out) {
  wasm(out, "ok-minimal", R"((module (memory (export "memory") 1) (func (export "_start"))))");
  wasm(out, "ok-hello-wasi", R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1 16)
    (data (i32.const 16) "hello\n")
    (table 2 funcref)
    (global $g (mut i32) (i32.const 0))
    (func (export "_start") (local i32 i64)
      (i32.store (i32.const 0) (i32.const 16))
      (i32.store (i32.const 4) (i32.const 6))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (call $exit (i32.const 0))))
  )");
  wasm(out, "bad-forbidden-import", R"((module (import "env" "foo" (func))
    (memory (export "memory") 1) (func (export "_start"))))");
  wasm(out, "bad-wrong-wasi-signature", R"((module (import "wasi_snapshot_preview1" "proc_exit" (func (param i64)))
    (memory (export "memory") 1) (func (export "_start"))))");
  wasm(out, "bad-start-section", R"((module (memory (export "memory") 1) (func $f) (start $f) (func (export "_start"))))");
  wasm(out, "bad-no-memory-export", R"((module (memory 1) (func (export "_start"))))");
  wasm(out, "bad-start-takes-param", R"((module (memory (export "memory") 1) (func (export "_start") (param i32))))");
  wasm(out, "bad-memory-2000-pages", R"((module (memory (export "memory") 2000) (func (export "_start"))))");
  wasm(out, "bad-table-70000", R"((module (memory (export "memory") 1) (table 70000 funcref) (func (export "_start"))))");
  out.raw("wasm_program", "bad-not-wasm.wasm", "\x7f" "ELF\x02\x01\x01");
  out.raw("wasm_program", "bad-magic-only.wasm", std::string("\0asm\x01\0\0\0", 8).substr(0, 4));

  for (const auto& name : genesis::builtin_spec_names())
    out.raw("chain_spec", "ok-builtin-" + name + ".json", std::string(*genesis::builtin_spec_json(name)));
  auto dev = nlohmann::json::parse(*genesis::builtin_spec_json("dev"));
  auto variant = [&](const std::string& name, auto&& edit) {
    auto j = dev;
    edit(j);
    out.raw("chain_spec", name + ".json", j.dump(2));
  };
  variant("ok-no-optional-fields", [](auto& j) {
    j.erase("bootNodes");
    j.erase("protocolId");
    j.erase("properties");
  });
  variant("bad-ss58-reserved-46", [](auto& j) { j["properties"]["ss58Format"] = 46; });
  variant("bad-unknown-field", [](auto& j) { j["nmae"] = "typo"; });
  variant("bad-chain-type", [](auto& j) { j["chainType"] = "Mainnet"; });
  variant("bad-raw-genesis", [](auto& j) { j["genesis"] = {{"raw", nlohmann::json::object()}}; });
  variant("bad-balance-not-number", [](auto& j) { j["genesis"]["runtime"]["credits"]["balances"][0][1] = "lots"; });
  variant("bad-unknown-module", [](auto& j) { j["genesis"]["runtime"]["balances"] = nlohmann::json::object(); });
  out.raw("chain_spec", "bad-not-json.json", "{\"name\": ");
  out.raw("chain_spec", "bad-array.json", "[]");

  for (const auto& account : test::vectors()["ecdsa_dev_accounts"]["accounts"]) {
    std::string who = account["suri"].get<std::string>().substr(2);
    for (const char* key : {"ss58_prefix42", "ss58_prefix0", "ss58_prefix2"})
      out.raw("ss58", "ok-" + who + "-" + std::string(key).substr(5) + ".txt", account[key].get<std::string>());
    out.raw("suri", "ok-" + who + ".txt", account["suri"].get<std::string>());
  }
  const auto& example = test::vectors()["ss58"]["two_byte_prefix_example"];
  out.raw("ss58", "ok-two-byte-prefix-1234.txt", example["address"].get<std::string>());
  auto alice = *fixed_from_hex<AccountId32>(test::vectors()["ss58"]["account_id"].get<std::string>());
  out.raw("ss58", "ok-prefix-16383.txt", crypto::ss58_encode(alice, 16383));
  out.raw("ss58", "ok-prefix-42-in-two-bytes.txt", ss58_with_prefix_bytes({0x4a, 0x80}, alice));
  out.raw("ss58", "any-hex-account.txt", to_hex(alice));
  out.raw("ss58", "bad-reserved-prefix-46.txt", ss58_with_prefix_bytes({46}, alice));
  out.raw("ss58", "bad-prefix-byte-200.txt", ss58_with_prefix_bytes({200}, alice));
  std::string broken = crypto::ss58_encode(alice, 42);
  broken.back() = broken.back() == 'X' ? 'Y' : 'X';
  out.raw("ss58", "bad-checksum.txt", broken);
  out.raw("ss58", "bad-not-base58.txt", "5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S90");

  const std::string phrase = test::vectors()["dev_phrase"]["phrase"].get<std::string>();
  const std::string seed = test::vectors()["ecdsa_dev_accounts"]["accounts"][0]["secret_key"].get<std::string>();
  out.raw("suri", "ok-alice-stash.txt", "//Alice//stash");
  out.raw("suri", "ok-numeric-junction.txt", "//Alice//42");
  out.raw("suri", "ok-phrase-alice.txt", phrase + "//Alice");
  out.raw("suri", "ok-phrase-password.txt", phrase + "///secret password");
  out.raw("suri", "ok-phrase-only.txt", phrase);
  out.raw("suri", "ok-seed.txt", seed);
  out.raw("suri", "ok-seed-junction.txt", seed + "//0");
  out.raw("suri", "bad-soft-junction.txt", "//Alice/soft");
  out.raw("suri", "bad-empty-junction.txt", "//Alice//");
  out.raw("suri", "bad-unknown-words.txt", "hello world");
  out.raw("suri", "bad-short-seed.txt", "0x1234");
  out.raw("suri", "bad-checksum.txt", "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon");
}

}  // namespace bazaar::fuzz::gen
