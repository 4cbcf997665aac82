// Helper process of restart_test.cpp's kill -9 scenario: opens the dev chain
// in DIR and imports the SCALE Vec<Block> in FILE one block at a time,
// printing "imported N" after each, then waits until stdin closes (or it is
// killed). Exit codes: 0 done, 2 usage, 3 open failed, 4 import failed.
//
//   bazaar_chain_import_child DIR FILE

#include "genesis/chain_spec.hpp"
#include "node/chain/chain.hpp"
#include "node/db/leveldb_store.hpp"
#include "node/trie/trie_db.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

using namespace bazaar;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bazaar_chain_import_child DIR FILE\n";
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const runtime::Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto blocks = runtime::codec::decode<std::vector<runtime::Block>>(bytes);
  auto spec = genesis::resolve_chain_spec("dev");
  auto kv = node::db::LevelDbStore::open(argv[1]);
  if (!blocks || !spec || !kv) return 3;
  node::trie::TrieDb trie(*kv.value());
  std::string detail;
  auto chain = node::chain::Chain::open(*kv.value(), trie, spec.value().genesis_storage, {}, &detail);
  if (!chain) {
    std::cerr << detail << "\n";
    return 3;
  }
  for (const auto& block : blocks.value()) {
    auto imported = chain.value()->import_block(block);
    if (!imported) {
      std::cerr << imported.error().message << "\n";
      return 4;
    }
    std::printf("imported %u\n", imported.value().block.number);
    std::fflush(stdout);
  }
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  return 0;
}
