// fuzz_corpus_gen: regenerates tests/fuzz/corpus. Usage:
//   fuzz_corpus_gen <repo>/tests/fuzz/corpus
// SCALE, primitives (extrinsics, headers, blocks, digests) and main(); the
// other generators are in corpus_gen_chain.cpp.

#include "tests/fuzz/corpus_gen.hpp"

#include "node/chain/aura_digest.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/primitives/block.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/fuzz/constants.hpp"
#include "tests/fuzz/scale_struct.hpp"
#include "tests/support/vectors.hpp"

#include <cstdio>
#include <fstream>

namespace bazaar::fuzz::gen {

using namespace runtime;

void CorpusWriter::hex(const std::string& target, const std::string& name, ByteSpan bytes) {
  std::string text = to_hex(bytes).substr(2);
  std::string lines;
  for (std::size_t i = 0; i < text.size(); i += 64) lines += text.substr(i, 64) + "\n";
  raw(target, name + ".hex", lines);
}

void CorpusWriter::raw(const std::string& target, const std::string& name, std::string_view bytes) {
  auto dir = m_root / target;
  std::filesystem::create_directories(dir);
  std::ofstream f(dir / name, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
  ++m_written;
}

namespace {

Bytes hex_of(const nlohmann::json& j) { return *from_hex(j.get<std::string>()); }

Bytes concat(std::initializer_list<ByteSpan> parts) {
  Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

crypto::Keypair alice() { return crypto::keypair_from_suri("//Alice").value(); }

Bytes signed_xt(Bytes call, Era era, Nonce nonce, Balance tip) {
  SignedExtra extra{era, {nonce}, {tip}};
  return encode_extrinsic(sign_extrinsic(alice(), std::move(call), extra, seed_additional_signed()));
}

Header sample_header(BlockNumber number) {
  Header h;
  h.parent_hash.bytes.fill(0x22);
  h.number.value = number;
  h.state_root.bytes.fill(0x33);
  h.extrinsics_root.bytes.fill(0x44);
  h.digest.logs.push_back(node::chain::aura_pre_digest(1'700'000'000 + number));
  return h;
}

}  // namespace

void generate_scale(CorpusWriter& out) {
  for (const auto& item : test::vectors()["scale_compact"]["items"])
    out.hex("scale_compact", "ok-vector-" + item["value"].get<std::string>(), hex_of(item["encoded"]));
  out.hex("scale_compact", "bad-noncanonical-two-byte-1", Bytes{0x05, 0x00});
  out.hex("scale_compact", "bad-noncanonical-big-mode", Bytes{0x03, 0xff, 0xff, 0xff, 0x00});
  out.hex("scale_compact", "bad-truncated-four-byte", Bytes{0x02, 0x00});
  Bytes seventeen(18, 0xff);
  seventeen[0] = (13 << 2) | 3;
  out.hex("scale_compact", "bad-17-byte-integer", seventeen);

  out.hex("scale_bytes", "ok-empty", Bytes{0x00});
  out.hex("scale_bytes", "ok-hello", codec::encode(to_bytes("hello")));
  out.hex("scale_bytes", "ok-100-bytes", codec::encode(Bytes(100, 0xab)));
  out.hex("scale_bytes", "ok-compacts",
          codec::encode(std::vector<Compact<uint32_t>>{{1}, {300}, {70000}, {1u << 31}}));
  out.hex("scale_bytes", "ok-nested", codec::encode(std::vector<Bytes>{{1, 2}, {}, {3}}));
  out.hex("scale_bytes", "bad-inflated-length", Bytes{0xfe, 0xff, 0xff, 0xff, 0x01, 0x02});
  out.hex("scale_bytes", "bad-u32-max-length", Bytes{0x03, 0xff, 0xff, 0xff, 0xff, 0x07});

  out.hex("scale_string", "ok-empty", Bytes{0x00});
  out.hex("scale_string", "ok-hello", codec::encode(std::string("hello")));
  out.hex("scale_string", "ok-multibyte", codec::encode(std::string("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x92\xb0")));
  out.hex("scale_string", "bad-overlong-nul", Bytes{0x08, 0xc0, 0x80});
  out.hex("scale_string", "bad-surrogate", Bytes{0x0c, 0xed, 0xa0, 0x80});
  out.hex("scale_string", "bad-truncated-sequence", Bytes{0x08, 0x41, 0xe2});
  out.hex("scale_string", "bad-above-max-code-point", Bytes{0x10, 0xf4, 0x90, 0x80, 0x80});

  using namespace scale_struct;
  Inner inner{{7}, std::string("label"), true, Kind::Huge};
  Tree deep;
  for (int i = 0; i < 10; ++i) deep = Tree{{static_cast<u128>(i) << 70}, {Choice{Empty{}}}, Box<Tree>(deep)};
  Outer outer;
  outer.version = 1;
  outer.choice = WithItems{2, {inner, Inner{}}};
  outer.maybe = inner;
  outer.pair = {u128{1} << 100, {1'000'000'000'000}};
  outer.fixed = {1, 2, 3};
  outer.hash.bytes.fill(0x5a);
  outer.result = ScaleResult<uint32_t, std::string>{std::string("failed")};
  outer.list = {std::nullopt, Choice{WithBounded{{{1, 2, 3}}, std::optional<bool>{false}}}, Choice{Empty{}}};
  outer.tree = deep;
  out.hex("scale_struct", "ok-outer", codec::encode(outer));
  out.hex("scale_struct", "ok-outer-default", codec::encode(Outer{}));
  out.hex("scale_struct", "ok-tree-depth-10", codec::encode(deep));
  out.hex("scale_struct", "ok-choice-bounded", codec::encode(Choice{WithBounded{{{9}}, std::nullopt}}));
  Tree too_deep;
  for (int i = 0; i < 100; ++i) too_deep = Tree{{1}, {}, Box<Tree>(too_deep)};
  out.hex("scale_struct", "bad-tree-depth-100", codec::encode(too_deep));
  out.hex("scale_struct", "bad-bounded-9-items", concat({Bytes{0x07}, codec::encode(Bytes(9, 1)), Bytes{0x00}}));
}

void generate_primitives(CorpusWriter& out) {
  Bytes remark = {0x00, 0x00, 0x10, 'f', 'u', 'z', 'z'};                 // System.remark(b"fuzz")
  Bytes big_remark = concat({Bytes{0x00, 0x00}, codec::encode(Bytes(300, 0x61))});  // payload > 256: hashed
  Bytes timestamp_set = {0x01, 0x00, 0x0b, 0x00, 0x20, 0x4a, 0xa9, 0xd1, 0x01};  // Timestamp.set(compact)
  out.hex("extrinsic", "ok-remark-immortal", signed_xt(remark, Era::immortal(), 0, 0));
  out.hex("extrinsic", "ok-remark-mortal-64", signed_xt(remark, Era::mortal(64, 1000), 5, 1'000'000));
  out.hex("extrinsic", "ok-remark-mortal-65536", signed_xt(remark, Era::mortal(65536, 123456), 1u << 20, 0));
  out.hex("extrinsic", "ok-big-remark-hashed-payload", signed_xt(big_remark, Era::immortal(), 1, 0));
  out.hex("extrinsic", "ok-bare-timestamp", encode_extrinsic(UncheckedExtrinsic{std::nullopt, timestamp_set}));
  int n = 0;
  for (const auto& item : test::vectors()["extrinsics"]["items"])
    out.hex("extrinsic", "ok-polkadotjs-" + std::to_string(n++), hex_of(item["extrinsic"]));
  Bytes good = signed_xt(remark, Era::immortal(), 0, 0);
  Bytes wrong_version = good;
  wrong_version[2] = 0x85;
  out.hex("extrinsic", "bad-version-0x85", wrong_version);
  Bytes short_prefix = good;
  short_prefix[0] -= 4;
  out.hex("extrinsic", "bad-length-prefix", short_prefix);
  out.hex("extrinsic", "bad-bare-without-call", Bytes{0x04, 0x04});
  Bytes era_2 = concat({Bytes{kSignedExtrinsicVersion}, codec::encode(MultiAddress{MultiAddressId{alice().account_id()}}),
                        codec::encode(MultiSignature{MultiSignatureEcdsa{}}), Bytes{0x10, 0x00, 0x00, 0x00}, remark});
  out.hex("extrinsic", "bad-era-period-2", concat({codec::encode(Compact<uint32_t>{static_cast<uint32_t>(era_2.size())}), era_2}));

  Header plain = sample_header(42);
  out.hex("header", "ok-vector", hex_of(test::vectors()["header"]["encoded"]));
  out.hex("header", "ok-aura-pre-digest", codec::encode(plain));
  out.hex("header", "ok-sealed-by-alice", codec::encode(node::chain::seal_header(plain, alice())));
  Header all_items = sample_header(1u << 31);
  all_items.digest.logs.push_back(DigestOther{{1, 2, 3}});
  all_items.digest.logs.push_back(DigestConsensus{kAuraEngineId, {4, 5}});
  all_items.digest.logs.push_back(DigestRuntimeEnvironmentUpdated{});
  all_items.digest.logs.push_back(DigestSeal{kAuraEngineId, Bytes(65, 0x01)});
  out.hex("header", "ok-every-digest-kind", codec::encode(all_items));
  out.hex("header", "ok-genesis-no-digest", codec::encode(Header{}));
  Bytes truncated = codec::encode(plain);
  truncated.pop_back();
  out.hex("header", "bad-truncated", truncated);

  Block block{node::chain::seal_header(sample_header(7), alice()), {}};
  block.extrinsics.push_back(
      OpaqueExtrinsic{encode_extrinsic(UncheckedExtrinsic{std::nullopt, timestamp_set})});
  block.extrinsics.push_back(OpaqueExtrinsic{signed_xt(remark, Era::mortal(64, 7), 0, 0)});
  block.extrinsics.push_back(OpaqueExtrinsic{signed_xt(big_remark, Era::immortal(), 1, 5)});
  out.hex("block", "ok-three-extrinsics", codec::encode(block));
  out.hex("block", "ok-empty", codec::encode(Block{sample_header(1), {}}));
  Block junk{sample_header(2), {OpaqueExtrinsic{codec::encode(Bytes{0xde, 0xad})}}};
  out.hex("block", "ok-opaque-junk-extrinsic", codec::encode(junk));
  Bytes block_bytes = codec::encode(block);
  block_bytes.resize(block_bytes.size() - 10);
  out.hex("block", "bad-truncated", block_bytes);

  out.hex("digest_item", "ok-pre-runtime", codec::encode(node::chain::aura_pre_digest(99)));
  out.hex("digest_item", "ok-seal", codec::encode(DigestItem{DigestSeal{kAuraEngineId, Bytes(65, 7)}}));
  out.hex("digest_item", "ok-consensus", codec::encode(DigestItem{DigestConsensus{{'B', 'A', 'B', 'E'}, {1}}}));
  out.hex("digest_item", "ok-other", codec::encode(DigestItem{DigestOther{{1, 2, 3}}}));
  out.hex("digest_item", "ok-runtime-updated", codec::encode(DigestItem{DigestRuntimeEnvironmentUpdated{}}));
  out.hex("digest_item", "ok-digest-vector", codec::encode(Digest{{node::chain::aura_pre_digest(5)}}));
  for (uint8_t index : {1, 2, 3, 7, 9, 255})
    out.hex("digest_item", "bad-index-" + std::to_string(index), Bytes{index, 0x00});
  out.hex("digest_item", "bad-truncated-engine", Bytes{0x06, 'a', 'u'});
}

}  // namespace bazaar::fuzz::gen

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <repo>/tests/fuzz/corpus\n", argv[0]);
    return 2;
  }
  try {
    bazaar::fuzz::gen::CorpusWriter out(argv[1]);
    bazaar::fuzz::gen::generate_scale(out);
    bazaar::fuzz::gen::generate_primitives(out);
    bazaar::fuzz::gen::generate_runtime(out);
    bazaar::fuzz::gen::generate_trie(out);
    bazaar::fuzz::gen::generate_text(out);
    std::printf("wrote %zu seed files under %s\n", out.written(), argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_corpus_gen: %s\n", e.what());
    return 1;
  }
  return 0;
}
