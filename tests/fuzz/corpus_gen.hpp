#pragma once
// The corpus generator (fuzz_corpus_gen): writes the seed corpus of every
// fuzz target from valid encodings built with the real code (signed
// extrinsics, sealed headers, tries and proofs, wasm modules) and from
// tests/fixtures/vectors.json. Seeds named "ok-" must be accepted and "bad-"
// rejected by their target (driver.hpp); others may go either way.

#include "runtime/codec/bytes.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace bazaar::fuzz::gen {

using runtime::Bytes;
using runtime::ByteSpan;

class CorpusWriter {
 public:
  explicit CorpusWriter(std::filesystem::path root) : m_root(std::move(root)) {}
  /// Writes corpus/<target>/<name>.hex (hex text, 64 digits per line).
  void hex(const std::string& target, const std::string& name, ByteSpan bytes);
  /// Writes corpus/<target>/<name> as is (text formats, wasm binaries).
  void raw(const std::string& target, const std::string& name, std::string_view bytes);
  std::size_t written() const { return m_written; }

 private:
  std::filesystem::path m_root;
  std::size_t m_written = 0;
};

/// Compact, Vec<u8>, String and the composite struct seeds.
void generate_scale(CorpusWriter& out);
/// Extrinsics, headers, blocks, digest items.
void generate_primitives(CorpusWriter& out);
/// Runtime calls (every call of every module, nested sudo) and System.Events.
void generate_runtime(CorpusWriter& out);
/// Trie nodes and read proofs from a real trie.
void generate_trie(CorpusWriter& out);
/// Wasm modules, chain specs, SS58 addresses and secret URIs.
void generate_text(CorpusWriter& out);

}  // namespace bazaar::fuzz::gen
