// Restart: the chain resumes from disk, a database of another chain or a
// corrupt one is a clear error, and a crash in the middle of an import (a
// dropped batch, or kill -9 of a real process) leaves a consistent database.

#include "tests/node/chain/chain_fixture.hpp"

#include "node/consensus/aura_author.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

using namespace bazaar;
using namespace bazaar::test;
using node::chain::ImportError;
using node::db::Column;

namespace {

/// A store that passes everything through until told to drop writes: a
/// process that dies before its batch reaches the disk.
class DroppingStore final : public node::db::KeyValueStore {
 public:
  explicit DroppingStore(node::db::KeyValueStore& inner) : m_inner(inner) {}
  Result<std::optional<runtime::Bytes>> get(Column column, runtime::ByteSpan key) const override {
    return m_inner.get(column, key);
  }
  bool drop_writes = false;

 protected:
  Result<void> do_write(node::db::WriteBatch&& batch, node::db::WriteOptions options) override {
    if (drop_writes) return node::db::DbError::IoError;
    return m_inner.write(std::move(batch), options);
  }
  Result<void> do_iterate(Column column, runtime::ByteSpan prefix, runtime::ByteSpan start,
                          const Visitor& visit) const override {
    return m_inner.iterate(column, prefix, start, visit);
  }

 private:
  node::db::KeyValueStore& m_inner;
};

/// `count` blocks on the best block of `node`, each imported there.
std::vector<Block> extend(TestNode& node, int count, Slot first_slot) {
  std::vector<Block> out;
  node.clock->set(std::max<runtime::Moment>(node.clock->now_ms(), (first_slot + count) * 1000));
  for (int i = 0; i < count; ++i) {
    out.push_back(build_block(*node.chain, node.chain->best(), first_slot + i, dev_key("//Alice")));
    import_ok(*node.chain, out.back());
  }
  return out;
}

}  // namespace

SCENARIO("a restarted node resumes from its database") {
  GIVEN("a node that authored and finalized 3 blocks, then stopped") {
    TempDir dir;
    BlockInfo best;
    {
      auto node = TestNode::open(dir.path());
      node::consensus::AuraAuthor author(*node.chain, nullptr, *node.clock, {.keys = {dev_key("//Alice")}});
      for (Slot slot = kStartSlot; slot < kStartSlot + 3; ++slot) {
        node.clock->set(node::consensus::slot_start(slot, 1000));
        REQUIRE(author.author_slot(slot).value());
      }
      best = node.chain->best();
      REQUIRE(best.number == 3);
    }
    WHEN("it starts again on the same directory") {
      auto node = TestNode::open(dir.path());
      THEN("best and finalized are where they were, and authoring continues on top") {
        node.clock->set(node::consensus::slot_start(kStartSlot + 3, 1000));
        CHECK(node.chain->best() == best);
        CHECK(node.chain->finalized().number == best.number - 1);  // dev finality stays one block behind
        node::consensus::AuraAuthor author(*node.chain, nullptr, *node.clock, {.keys = {dev_key("//Alice")}});
        auto next = author.author_slot(kStartSlot + 3);
        REQUIRE(next.has_value());
        REQUIRE(next.value().has_value());
        CHECK(next.value()->block.number == 4);
        CHECK(node.chain->blocks().header(next.value()->block.hash).value()->parent_hash == best.hash);
      }
    }
    WHEN("it starts with another chain spec") {
      auto [node, message] = TestNode::try_open(dir.path(), "local");
      THEN("start-up fails with GenesisMismatch and says so") {
        CHECK(node.chain == nullptr);
        CHECK_THAT(message, Catch::Contains("genesis"));
      }
    }
  }
  GIVEN("a node with two unfinalized blocks, stopped") {
    TempDir dir;
    BlockInfo best;
    {
      auto node = TestNode::open(dir.path());
      extend(node, 2, kStartSlot);
      best = node.chain->best();
    }
    THEN("it restarts at the same best block with genesis still finalized") {
      auto node = TestNode::open(dir.path());
      CHECK(node.chain->best() == best);
      CHECK(node.chain->finalized() == node.chain->genesis());
    }
  }
}

SCENARIO("a corrupt database is a clear error at start-up, not a crash") {
  GIVEN("a database with 3 blocks") {
    TempDir dir;
    Block third;
    {
      auto node = TestNode::open(dir.path());
      third = extend(node, 3, kStartSlot).back();
    }
    const H256 best_hash = runtime::header_hash(third.header);
    auto reopen_with = [&](const std::function<void(node::db::KeyValueStore&)>& damage) {
      {
        auto kv = node::db::LevelDbStore::open(dir.path()).value();
        damage(*kv);
      }
      auto [node, message] = TestNode::try_open(dir.path());
      CHECK(node.chain == nullptr);
      return message;
    };
    auto put = [](node::db::KeyValueStore& kv, Column column, runtime::ByteSpan key, const runtime::Bytes& value) {
      node::db::WriteBatch batch;
      batch.put(column, key, value);
      REQUIRE(kv.write(std::move(batch)).has_value());
    };
    THEN("a best block whose body was replaced does not re-execute: ResumeCheckFailed") {
      auto message = reopen_with([&](auto& kv) {
        put(kv, Column::Bodies, node::db::block_key(3, best_hash.span()),
            runtime::codec::encode(std::vector<runtime::OpaqueExtrinsic>{}));
      });
      CHECK_THAT(message, Catch::Contains("does not re-execute"));
    }
    THEN("a head entry that does not decode is CorruptDatabase") {
      auto message = reopen_with([&](auto& kv) { put(kv, Column::Meta, runtime::to_bytes("chain:best"), {1, 2}); });
      CHECK_THAT(message, Catch::Contains("corrupt"));
    }
    THEN("a missing best header is CorruptDatabase") {
      auto message = reopen_with([&](auto& kv) {
        node::db::WriteBatch batch;
        batch.del(Column::Headers, node::db::block_key(3, best_hash.span()));
        REQUIRE(kv.write(std::move(batch)).has_value());
      });
      CHECK_THAT(message, Catch::Contains("corrupt"));
    }
    THEN("a best block missing from the hash -> number index is CorruptDatabase") {
      auto message = reopen_with([&](auto& kv) {
        node::db::WriteBatch batch;
        batch.del(Column::HashToNumber, best_hash.span());
        REQUIRE(kv.write(std::move(batch)).has_value());
      });
      CHECK_THAT(message, Catch::Contains("corrupt"));
    }
    THEN("a database in another layout is UnsupportedSchema, with the versions and what to do") {
      auto message = reopen_with([&](auto& kv) {
        put(kv, Column::Meta, runtime::to_bytes("db:schema_version"), runtime::codec::encode(uint32_t{7}));
      });
      CHECK_THAT(message, Catch::Contains("schema version 7") && Catch::Contains("reads version 2 to 3") &&
                              Catch::Contains("sync again"));
    }
    THEN("a database of schema version 2 (written before node logs existed) still opens") {
      {
        auto kv = node::db::LevelDbStore::open(dir.path()).value();
        put(*kv, Column::Meta, runtime::to_bytes("db:schema_version"), runtime::codec::encode(uint32_t{2}));
      }
      auto [node, message] = TestNode::try_open(dir.path());
      REQUIRE(node.chain != nullptr);
      CHECK(node.chain->best().hash == best_hash);
    }
    THEN("a database written before schema versions (version 1) is UnsupportedSchema") {
      auto message = reopen_with([&](auto& kv) {
        node::db::WriteBatch batch;
        batch.del(Column::Meta, runtime::to_bytes("db:schema_version"));
        REQUIRE(kv.write(std::move(batch)).has_value());
      });
      CHECK_THAT(message, Catch::Contains("schema version 1"));
    }
  }
}

SCENARIO("a crash before an import's batch is written loses only that block") {
  GIVEN("a chain at block #2 on a store whose writes can be dropped") {
    TempDir source_dir, dir;
    auto source = TestNode::open(source_dir.path());
    const auto blocks = extend(source, 3, kStartSlot);
    auto kv = node::db::LevelDbStore::open(dir.path()).value();
    DroppingStore dropping(*kv);
    auto trie = std::make_unique<node::trie::TrieDb>(dropping);
    node::chain::ChainOptions options;
    options.import.now_ms = [] { return kStartMs + 60'000; };
    auto chain = Chain::open(dropping, *trie, spec("dev").genesis_storage, options).value();
    import_ok(*chain, blocks[0]);
    const BlockInfo second = import_ok(*chain, blocks[1]);

    WHEN("the batch of block #3 never reaches the disk, and the node restarts") {
      dropping.drop_writes = true;
      auto imported = chain->import_block(blocks[2]);
      const BlockInfo best_before_restart = chain->best();
      chain.reset();
      trie.reset();
      kv.reset();
      auto node = TestNode::open(dir.path());
      node.clock->set(kStartMs + 60'000);

      THEN("the import failed as our own database error, and the restarted chain is consistent at #2") {
        REQUIRE_FALSE(imported.has_value());
        CHECK(imported.error().reason == ImportError::DatabaseError);
        CHECK_FALSE(node::chain::is_bad_block(ImportError::DatabaseError));
        CHECK(best_before_restart == second);
        CHECK(node.chain->best() == second);
        import_ok(*node.chain, blocks[2]);
        CHECK(node.chain->best() == source.chain->best());
      }
    }
  }
}

SCENARIO("kill -9 of a node in the middle of importing leaves a consistent database") {
  GIVEN("30 blocks, and a child process importing them into a fresh database") {
    TempDir source_dir, dir;
    auto source = TestNode::open(source_dir.path());
    const auto blocks = extend(source, 30, kStartSlot);
    const auto blocks_file = dir.path() / "blocks.scale";
    const auto db_dir = dir.path() / "db";
    {
      std::ofstream out(blocks_file, std::ios::binary);
      const auto bytes = runtime::codec::encode(blocks);
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    int out_pipe[2], in_pipe[2];
    REQUIRE(::pipe(out_pipe) == 0);
    REQUIRE(::pipe(in_pipe) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
    const std::string program = BAZAAR_IMPORT_CHILD;
    const std::string db_arg = db_dir.string(), file_arg = blocks_file.string();
    char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>(db_arg.c_str()),
                    const_cast<char*>(file_arg.c_str()), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out_pipe[1]);
    ::close(in_pipe[0]);

    WHEN("it is killed with SIGKILL after it reported 5 imports") {
      FILE* child_out = ::fdopen(out_pipe[0], "r");
      REQUIRE(child_out != nullptr);
      int reported = 0;
      char line[64];
      while (reported < 5 && std::fgets(line, sizeof line, child_out)) ++reported;
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      std::fclose(child_out);
      ::close(in_pipe[1]);
      REQUIRE(reported == 5);
      CHECK(WIFSIGNALED(status));

      THEN("a restart finds a best block it had imported, re-executes it, and the rest imports on top") {
        auto node = TestNode::open(db_dir);
        node.clock->set(kStartMs + 60'000);
        const BlockInfo best = node.chain->best();
        CHECK(best.number >= 5);
        REQUIRE(best.number <= blocks.size());
        CHECK(best == info_of(blocks[best.number - 1]));
        for (std::size_t i = best.number; i < blocks.size(); ++i) import_ok(*node.chain, blocks[i]);
        CHECK(node.chain->best() == source.chain->best());
      }
    }
  }
}
