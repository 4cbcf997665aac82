// Block import verifies signatures on worker threads while the block executes
// (BlockImportOptions::signature_threads): same result as one thread, and a
// bad signature anywhere in a block still rejects it.

#include "tests/node/chain/chain_fixture.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "node/trie/root.hpp"
#include "runtime/primitives/extrinsic.hpp"

#include <chrono>
#include <span>
#include <thread>

using namespace bazaar;
using namespace bazaar::test;
using node::chain::ImportError;
namespace composition = modules::composition;

namespace {

/// A chain on LevelDB in `dir` whose import uses `threads` signature threads.
struct ThreadedNode {
  std::unique_ptr<node::db::LevelDbStore> kv;
  std::unique_ptr<node::trie::TrieDb> trie;
  std::unique_ptr<Chain> chain;
};
ThreadedNode open_node(const std::filesystem::path& dir, std::size_t threads) {
  ThreadedNode node;
  node.kv = node::db::LevelDbStore::open(dir).value();
  node.trie = std::make_unique<node::trie::TrieDb>(*node.kv);
  node::chain::ChainOptions options;
  options.import.now_ms = [] { return kStartMs + 10 * 1000; };  // ten slots on: blocks #1..#10 are not ahead of it
  options.import.signature_threads = threads;
  node.chain = Chain::open(*node.kv, *node.trie, spec("dev").genesis_storage, options).value();
  return node;
}

/// `count` signed transfers of 1 CC from //Alice to //Bob, nonces first_nonce.. first_nonce+count-1.
std::vector<runtime::Bytes> transfers(const Chain& chain, std::size_t count, std::size_t first_nonce = 0) {
  const auto alice = dev_key("//Alice");
  const auto bob = dev_key("//Bob").account_id();
  const auto& version = composition::runtime_version();
  const runtime::AdditionalSigned additional{version.spec_version, version.transaction_version, chain.genesis().hash,
                                             chain.genesis().hash};
  std::vector<runtime::Bytes> out;
  for (std::size_t i = 0; i < count; ++i) {
    auto call = runtime::codec::encode(composition::make_call<modules::credits::Module>(
        modules::credits::TransferKeepAlive{runtime::MultiAddress{runtime::MultiAddressId{bob}}, {runtime::kUnitsPerCC}}));
    runtime::SignedExtra extra{runtime::Era::immortal(), {static_cast<runtime::Nonce>(first_nonce + i)}, {0}};
    out.push_back(runtime::encode_extrinsic(runtime::sign_extrinsic(alice, std::move(call), extra, additional)));
  }
  return out;
}

/// A block on the chain's best block, one slot after it (#1 at kStartSlot), with the timestamp inherent and
/// `signed_extrinsics`, sealed by //Alice.
Block block_with(const Chain& chain, const std::vector<runtime::Bytes>& signed_extrinsics) {
  const auto parent = chain.best();
  return block_with_extrinsics(chain, parent, kStartSlot + parent.number, dev_key("//Alice"), signed_extrinsics);
}

/// `block` with extrinsic `index` replaced by `bytes`, its roots fixed and resealed (the state root stays).
Block with_extrinsic(Block block, std::size_t index, runtime::Bytes bytes) {
  block.extrinsics[index].encoded = std::move(bytes);
  std::vector<runtime::Bytes> all;
  for (const auto& x : block.extrinsics) all.push_back(x.encoded);
  const auto root = node::trie::ordered_trie_root(all);
  return reseal(std::move(block), dev_key("//Alice"), [&](Header& h) { h.extrinsics_root = root; });
}

}  // namespace

SCENARIO("signatures verified on several threads give the same import as one thread") {
  GIVEN("a block with 16 signed transfers") {
    TempDir build_dir;
    auto builder = open_node(build_dir.path(), 1);
    const Block block = block_with(*builder.chain, transfers(*builder.chain, 16));
    for (std::size_t threads : {1, 2, 4, 0}) {
      WHEN("it is imported with " + std::to_string(threads) + " signature threads") {
        TempDir dir;
        auto node = open_node(dir.path(), threads);
        auto imported = node.chain->import_block(block);
        INFO((imported ? std::string() : imported.error().message));
        THEN("it imports as the new best block") {
          REQUIRE(imported.has_value());
          CHECK(node.chain->best().hash == runtime::header_hash(block.header));
        }
      }
    }
  }
}

SCENARIO("a bad signature among many rejects the block whatever the thread count") {
  GIVEN("a block with 16 signed transfers, one of whose signatures is tampered with") {
    TempDir build_dir;
    auto builder = open_node(build_dir.path(), 1);
    const auto xts = transfers(*builder.chain, 16);
    const Block good = block_with(*builder.chain, xts);
    auto decoded = runtime::decode_extrinsic(xts[9]).value();
    std::get<runtime::MultiSignatureEcdsa>(decoded.signature->signature).signature.bytes[5] ^= 0x01;
    const Block flipped = with_extrinsic(good, 10, runtime::encode_extrinsic(decoded));  // [0] is the inherent
    // Extrinsic 3's signature on extrinsic 4's payload: a valid signature, of another payload.
    auto swapped_xt = runtime::decode_extrinsic(xts[3]).value();
    swapped_xt.signature->signature = runtime::decode_extrinsic(xts[2]).value().signature->signature;
    const Block swapped = with_extrinsic(good, 4, runtime::encode_extrinsic(swapped_xt));
    for (std::size_t threads : {1, 2, 4}) {
      WHEN("they are imported with " + std::to_string(threads) + " signature threads") {
        TempDir dir;
        auto node = open_node(dir.path(), threads);
        THEN("both are ExecutionFailed (BadProof) and nothing is stored") {
          for (const Block* bad : {&flipped, &swapped}) {
            auto imported = node.chain->import_block(*bad);
            REQUIRE_FALSE(imported.has_value());
            CHECK(imported.error().reason == ImportError::ExecutionFailed);
            CHECK_THAT(imported.error().message, Catch::Contains("bad signature"));
          }
          CHECK(node.chain->best().hash == node.chain->genesis().hash);
          AND_THEN("the good block still imports") { CHECK(node.chain->import_block(good).has_value()); }
        }
      }
    }
  }
}

SCENARIO("blocks whose signatures were verified ahead import as before, and a bad signature still rejects") {
  GIVEN("a block with 16 signed transfers and a copy with one signature tampered with") {
    TempDir build_dir;
    auto builder = open_node(build_dir.path(), 1);
    const auto xts = transfers(*builder.chain, 16);
    const Block good = block_with(*builder.chain, xts);
    auto decoded = runtime::decode_extrinsic(xts[9]).value();
    std::get<runtime::MultiSignatureEcdsa>(decoded.signature->signature).signature.bytes[5] ^= 0x01;
    const Block flipped = with_extrinsic(good, 10, runtime::encode_extrinsic(decoded));
    TempDir dir;
    auto node = open_node(dir.path(), 2);
    const auto* pipeline = node.chain->importer().signature_pipeline();
    REQUIRE(pipeline != nullptr);
    const auto wait_derived = [pipeline](const Block& block) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!pipeline->ahead_checks(runtime::header_hash(block.header))) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
      }
      return true;
    };

    WHEN("the tampered block is verified ahead and then imported") {
      node.chain->verify_ahead(std::span<const Block>(&flipped, 1));
      REQUIRE(wait_derived(flipped));
      auto imported = node.chain->import_block(flipped);
      THEN("it is rejected for the bad signature and the pipeline is emptied") {
        REQUIRE_FALSE(imported.has_value());
        CHECK(imported.error().reason == ImportError::ExecutionFailed);
        CHECK_THAT(imported.error().message, Catch::Contains("bad signature"));
        CHECK(pipeline->held() == 0);
      }
    }
    WHEN("the good block is verified ahead and then imported") {
      node.chain->verify_ahead(std::span<const Block>(&good, 1));
      REQUIRE(wait_derived(good));
      CHECK(*pipeline->ahead_checks(runtime::header_hash(good.header)) == 16);
      auto imported = node.chain->import_block(good);
      THEN("it imports as the new best block, its signatures verified by the worker, and nothing stays held") {
        REQUIRE(imported.has_value());
        CHECK(node.chain->best().hash == runtime::header_hash(good.header));
        CHECK(pipeline->verified_by_workers() + pipeline->verified_by_callers() == 16);
        CHECK(pipeline->held() == 0);
      }
    }
  }
}

SCENARIO("a range verified ahead from genesis has every block's checks derived before its import") {
  GIVEN("blocks #1..#3 with 8 signed transfers each, and a fresh node with a signature worker") {
    TempDir build_dir;
    auto builder = open_node(build_dir.path(), 1);
    std::vector<Block> range;
    for (std::size_t b = 0; b < 3; ++b) {
      range.push_back(block_with(*builder.chain, transfers(*builder.chain, 8, 8 * b)));
      REQUIRE(builder.chain->import_block(range.back()).has_value());
    }
    TempDir dir;
    auto node = open_node(dir.path(), 2);
    const auto* pipeline = node.chain->importer().signature_pipeline();
    REQUIRE(pipeline != nullptr);

    WHEN("the range is verified ahead on the genesis state") {
      node.chain->verify_ahead(range);
      // Blocks #2 and #3 name their era birth (genesis, BlockHash(0)) through
      // the range: block #1's initialize writes it, the genesis state lacks it.
      THEN("each block's 8 checks are derived, not only #1's") {
        for (const auto& block : range) {
          const auto key = runtime::header_hash(block.header);
          REQUIRE(eventually([&] { return pipeline->ahead_checks(key).has_value(); }));
          CHECK(*pipeline->ahead_checks(key) == 8);
        }
        AND_THEN("the blocks import with each signature verified once") {
          for (const auto& block : range) REQUIRE(node.chain->import_block(block).has_value());
          CHECK(node.chain->best().hash == runtime::header_hash(range.back().header));
          CHECK(pipeline->verified_by_workers() + pipeline->verified_by_callers() == 24);
          CHECK(pipeline->held() == 0);
        }
      }
    }
  }
}
