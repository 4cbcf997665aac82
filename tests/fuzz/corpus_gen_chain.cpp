// fuzz_corpus_gen, part two: runtime calls and events (every variant of every
// module, from their declarations, so new calls get seeds without edits),
// trie nodes and read proofs from a real trie.

#include "tests/fuzz/corpus_gen.hpp"

#include "modules/composition/runtime.hpp"
#include "node/db/memory_store.hpp"
#include "node/trie/trie_db.hpp"
#include "runtime/crypto/hash.hpp"
#include "tests/support/vectors.hpp"

#include <boost/mp11/algorithm.hpp>

#include <random>
#include <set>

namespace bazaar::fuzz::gen {

using namespace runtime;
namespace composition = modules::composition;
namespace mp11 = boost::mp11;

namespace {

template <class F>
void for_each_module(F&& f, mp11::mp_list<>) {}
template <class F, class M, class... Ms>
void for_each_module(F&& f, mp11::mp_list<M, Ms...>) {
  f(mp11::mp_identity<M>{});
  for_each_module(f, mp11::mp_list<Ms...>{});
}

composition::RuntimeCall remark_call(std::size_t bytes) {
  return composition::make_call<modules::system::Module>(modules::system::Remark{Bytes(bytes, 0x72)});
}

composition::RuntimeCall wrap_in_sudo(composition::RuntimeCall inner, std::size_t levels) {
  for (std::size_t i = 0; i < levels; ++i)
    inner = composition::make_call<modules::sudo::Module>(modules::sudo::Sudo{codec::Box<composition::RuntimeCall>(inner)});
  return inner;
}

/// Every call of module M, default arguments (sudo's boxed calls get a remark).
template <class M>
void module_calls(CorpusWriter& out) {
  using Call = typename M::Call;
  mp11::mp_for_each<mp11::mp_iota_c<std::variant_size_v<Call>>>([&](auto I) {
    using C = std::variant_alternative_t<I, Call>;
    C c{};
    if constexpr (requires { c.call; }) c.call = codec::Box<composition::RuntimeCall>(remark_call(4));
    auto call = composition::make_call<M>(std::move(c));
    out.hex("runtime_call", "ok-" + composition::call_name(call), codec::encode(call));
  });
}

/// Every event of module M, default fields, as one-record System.Events values.
template <class M>
void module_events(CorpusWriter& out, std::vector<composition::EventRecord>& all) {
  using Event = typename M::Event;
  mp11::mp_for_each<mp11::mp_iota_c<std::variant_size_v<Event>>>([&](auto I) {
    composition::RuntimeEvent event{composition::ModuleEvent<M>{Event{std::in_place_index<I>}}};
    composition::EventRecord record{framework::phase::ApplyExtrinsic{static_cast<uint32_t>(all.size())}, event, {}};
    out.hex("events", "ok-" + composition::event_name(event), codec::encode(std::vector{record}));
    all.push_back(record);
  });
}

}  // namespace

void generate_runtime(CorpusWriter& out) {
  for_each_module([&](auto m) { module_calls<typename decltype(m)::type>(out); }, composition::CallModules{});
  out.hex("runtime_call", "ok-remark-1000-bytes", codec::encode(remark_call(1000)));
  out.hex("runtime_call", "ok-sudo-depth-16", codec::encode(wrap_in_sudo(remark_call(1), 16)));
  // The decoder's depth limit (Decoder::kMaxDepth = 64, three levels per sudo) sits between these two.
  out.hex("runtime_call", "edge-sudo-depth-20", codec::encode(wrap_in_sudo(remark_call(1), 20)));
  out.hex("runtime_call", "edge-sudo-depth-21", codec::encode(wrap_in_sudo(remark_call(1), 21)));
  out.hex("runtime_call", "bad-sudo-depth-200", codec::encode(wrap_in_sudo(remark_call(1), 200)));
  out.hex("runtime_call", "bad-unknown-module-99", Bytes{99, 0x00});
  out.hex("runtime_call", "bad-unknown-call", Bytes{0x00, 0x7f});
  out.hex("runtime_call", "bad-trailing-byte", Bytes{0x00, 0x00, 0x04, 0x61, 0x00});

  std::vector<composition::EventRecord> all;
  for_each_module([&](auto m) { module_events<typename decltype(m)::type>(out, all); }, composition::EventModules{});
  out.hex("events", "ok-all-events", codec::encode(all));
  out.hex("events", "ok-none", Bytes{0x00});
  all.resize(3);
  all[1].phase = framework::phase::Finalization{};
  all[2].phase = framework::phase::Initialization{};
  all[2].topics = {H256{}, crypto::blake2b_256(to_bytes("topic"))};
  out.hex("events", "ok-phases-and-topics", codec::encode(all));
  out.hex("events", "any-polkadotjs-mini-runtime", *from_hex(test::vectors()["system_events"]["encoded"].get<std::string>()));
  out.hex("events", "bad-unknown-module", Bytes{0x04, 0x01, 0x63, 0x00, 0x00});
  out.hex("events", "bad-inflated-count", Bytes{0xfe, 0xff, 0xff, 0xff, 0x01});
}

void generate_trie(CorpusWriter& out) {
  using namespace node::trie;
  node::db::MemoryStore store;
  TrieDb trie(store);
  std::mt19937_64 rng(7);
  runtime::storage::ChangeSet changes;
  std::vector<Bytes> keys;
  for (int i = 0; i < 60; ++i) {
    Bytes key(1 + rng() % 6);
    for (auto& b : key) b = static_cast<uint8_t>(rng() % 4 * 0x11);  // few distinct bytes: deep branching
    keys.push_back(key);
    changes[key] = Bytes(rng() % 3 == 0 ? 40 : rng() % 8, static_cast<uint8_t>(i));
  }
  Bytes long_key(40, 0xee);  // a leaf with a partial key of more than 63 nibbles
  keys.push_back(long_key);
  changes[long_key] = to_bytes("long");
  auto commit = trie.apply(empty_root(), changes).value();
  node::db::WriteBatch batch;
  stage(batch, commit);
  if (!store.write(std::move(batch))) throw std::runtime_error("memory store write failed");

  std::set<std::string> kinds;
  int n = 0;
  for (const auto& [hash, encoded] : commit.inserted_nodes) {
    Node node = decode_node(encoded).value();
    std::string kind = node.is_leaf() ? "leaf" : node.value ? "branch-value" : "branch";
    kind += node.partial.size() >= 63 ? "-long-key" : node.partial.size() % 2 ? "-odd" : "-even";
    if (!kinds.insert(kind).second && n >= 12) continue;
    out.hex("trie_node", "ok-" + kind + "-" + std::to_string(n++), encoded);
    for (std::size_t i = 0; i < 16; ++i)
      if (node.children[i] && !node.children[i]->is_hash())
        out.hex("trie_node", "ok-inline-" + std::to_string(n++), node.children[i]->data());
  }
  out.hex("trie_node", "bad-empty-node", Bytes{0x00});
  out.hex("trie_node", "bad-branch-without-children", Bytes{0x80, 0x00, 0x00});
  out.hex("trie_node", "bad-odd-padding", Bytes{0x41, 0x12, 0x04, 0x01});
  Bytes oversized_child = {0x80, 0x01, 0x00, 0x84};  // branch, child 0: a Vec<u8> of 33 bytes
  oversized_child.resize(oversized_child.size() + 33, 0x42);
  out.hex("trie_node", "bad-inline-child-33-bytes", oversized_child);

  auto proof_input = [&](const Bytes& key, std::vector<Bytes> proof, uint8_t op) {
    return codec::encode(std::tuple<H256, Bytes, std::vector<Bytes>, uint8_t>{commit.new_root, key, proof, op});
  };
  for (std::size_t i : {0u, 5u, 17u, 33u, 60u}) {
    auto proof = trie.read_proof(commit.new_root, {keys[i]}).value();
    out.hex("trie_proof", "ok-present-" + std::to_string(i), proof_input(keys[i], proof, static_cast<uint8_t>(i)));
  }
  Bytes absent = {0x12, 0x34, 0x56};
  auto absent_proof = trie.read_proof(commit.new_root, {absent}).value();
  out.hex("trie_proof", "ok-absent", proof_input(absent, absent_proof, 1));
  auto partial = trie.read_proof(commit.new_root, {keys[17]}).value();
  partial.pop_back();
  out.hex("trie_proof", "bad-incomplete", proof_input(keys[17], partial, 2));
  out.hex("trie_proof", "bad-empty-proof", proof_input(keys[0], {}, 0));
}

}  // namespace bazaar::fuzz::gen
