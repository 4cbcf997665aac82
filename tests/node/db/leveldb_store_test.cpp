#include "node/db/leveldb_store.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <leveldb/env.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include "runtime/codec/scale.hpp"
#include "tests/node/db/temp_dir.hpp"

extern char** environ;

using namespace bazaar::node::db;
using bazaar::runtime::to_bytes;
namespace fs = std::filesystem;

namespace {

using bazaar::node::db::test::TempDir;

/// Starts this test binary running only the hidden test case `name`, with
/// extra environment variables; returns its pid.
pid_t spawn_self(const std::string& name, const std::vector<std::string>& extra_env) {
  std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::vector<std::string> env_strings(extra_env);
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string arg = name;
  char* argv[] = {exe.data(), arg.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, envp.data());
  REQUIRE(rc == 0);
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

constexpr int kCrashKeys = 100;
constexpr std::size_t kCrashFiller = 1500;  // 150 KB per batch: larger than LevelDB's 64 KB write buffer

Bytes crash_key(int i) { return bazaar::runtime::codec::encode(static_cast<uint32_t>(i)); }

/// A database at `dir` holding 200 keys (crash_key(i) -> 100 bytes of 7), closed, its batch still in the log.
void write_damage_fixture(const fs::path& dir) {
  auto store = LevelDbStore::open(dir);
  REQUIRE(store.has_value());
  WriteBatch batch;
  for (int i = 0; i < 200; ++i) batch.put(Column::Aux, crash_key(i), Bytes(100, 7));
  REQUIRE(store.value()->write(std::move(batch), WriteOptions{.sync = true}).has_value());
}

}  // namespace

// ---- helper processes (hidden; started by the scenarios below) --------------

TEST_CASE("leveldb lock probe", "[.]") {
  const char* dir = std::getenv("BAZAAR_DB_PROBE_DIR");
  REQUIRE(dir != nullptr);
  auto opened = LevelDbStore::open(dir);
  REQUIRE_FALSE(opened.has_value());
  REQUIRE(opened.error() == make_error_code(DbError::Locked));
}

LevelDbOptions with_node_log() {
  LevelDbOptions options;
  options.trie_node_log = true;
  return options;
}

/// The trie node the crash writer puts in `round` at index i: 32-byte key, 300-byte value.
Bytes crash_node_key(uint32_t round, int i) {
  Bytes k = bazaar::runtime::codec::encode(round);
  k.push_back(static_cast<uint8_t>(i));
  k.resize(NodeLog::kKeySize, 0xab);
  return k;
}
Bytes crash_node_value(uint32_t round, int i) { return Bytes(300, static_cast<uint8_t>(round * 31 + i)); }
constexpr int kCrashNodes = 40;

TEST_CASE("leveldb crash writer", "[.]") {
  const char* dir = std::getenv("BAZAAR_DB_PROBE_DIR");
  const char* ready = std::getenv("BAZAAR_DB_READY_FILE");
  const bool nodes = std::getenv("BAZAAR_DB_NODE_LOG") != nullptr;
  REQUIRE(dir != nullptr);
  REQUIRE(ready != nullptr);
  // With a node log of small segments, so that batches rotate and merge them.
  auto store = LevelDbStore::open(dir, {.node_log = {.segment_bytes = 32 << 10}, .trie_node_log = nodes});
  REQUIRE(store.has_value());
  for (uint32_t round = 1;; ++round) {
    WriteBatch batch;
    for (int i = 0; i < kCrashKeys; ++i) {
      Bytes value = bazaar::runtime::codec::encode(round);
      value.resize(4 + kCrashFiller, static_cast<uint8_t>(round));
      batch.put(Column::Aux, crash_key(i), value);
    }
    // Each round's nodes replace the last round's.
    for (int i = 0; nodes && i < kCrashNodes; ++i) {
      batch.put(Column::TrieNodes, crash_node_key(round, i), crash_node_value(round, i));
      if (round > 1) batch.del(Column::TrieNodes, crash_node_key(round - 1, i));
    }
    REQUIRE(store.value()->write(std::move(batch)).has_value());
    if (round == 1) std::ofstream(ready) << "ready";
  }
}

// ---- scenarios -----------------------------------------------------------------

SCENARIO("a LevelDB store persists batches across reopening") {
  GIVEN("a new database directory") {
    TempDir dir;
    WHEN("a batch is written and the store is closed and reopened") {
      {
        auto store = LevelDbStore::open(dir.path / "db");
        REQUIRE(store.has_value());
        WriteBatch batch;
        batch.put(Column::Headers, to_bytes("h1"), to_bytes("header one"));
        batch.put(Column::Meta, to_bytes("best"), to_bytes("h1"));
        batch.put(Column::Meta, to_bytes("tmp"), to_bytes("x"));
        batch.del(Column::Meta, to_bytes("tmp"));
        REQUIRE(store.value()->write(std::move(batch), WriteOptions{.sync = true}).has_value());
      }
      auto store = LevelDbStore::open(dir.path / "db");
      REQUIRE(store.has_value());
      THEN("every operation of the batch is there") {
        CHECK(store.value()->get(Column::Headers, to_bytes("h1")).value() == to_bytes("header one"));
        CHECK(store.value()->get(Column::Meta, to_bytes("best")).value() == to_bytes("h1"));
        CHECK_FALSE(store.value()->get(Column::Meta, to_bytes("tmp")).value().has_value());
        CHECK_FALSE(store.value()->get(Column::Headers, to_bytes("best")).value().has_value());
      }
      THEN("iteration stays inside the column and the prefix") {
        std::vector<Bytes> keys;
        REQUIRE(store.value()
                    ->iterate(Column::Meta, {},
                              [&](ByteSpan k, ByteSpan) {
                                keys.emplace_back(k.begin(), k.end());
                                return true;
                              })
                    .has_value());
        CHECK(keys == std::vector<Bytes>{to_bytes("best")});
      }
    }
  }
}

SCENARIO("a LevelDB directory can be open only once") {
  GIVEN("an open database") {
    TempDir dir;
    auto first = LevelDbStore::open(dir.path);
    REQUIRE(first.has_value());
    WHEN("the same process opens it again") {
      std::string detail;
      auto second = LevelDbStore::open(dir.path, {}, &detail);
      THEN("it fails with Locked and LevelDB's reason") {
        REQUIRE_FALSE(second.has_value());
        CHECK(second.error() == make_error_code(DbError::Locked));
        CHECK(detail.find("lock") != std::string::npos);
      }
    }
    WHEN("another process opens it") {
      pid_t pid = spawn_self("leveldb lock probe", {"BAZAAR_DB_PROBE_DIR=" + dir.path.string()});
      THEN("that process gets Locked") { CHECK(wait_exit(pid) == 0); }
    }
    WHEN("the first store is closed") {
      first.value().reset();
      THEN("the directory opens again") { CHECK(LevelDbStore::open(dir.path).has_value()); }
    }
  }
}

namespace {

/// Whether a thread of this process is named `name` (/proc/self/task/*/comm).
bool has_thread_named(const std::string& name) {
  for (const auto& task : fs::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("LevelDB's background thread is named for it once a store opens") {
  TempDir dir;
  REQUIRE(LevelDbStore::open(dir.path).has_value());  // the thread outlives the store: it serves the process
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!has_thread_named(kBackgroundThreadName) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(has_thread_named(kBackgroundThreadName));
}

TEST_CASE("the store's Env buffers table files until Sync and flushes the log at every Flush") {
  TempDir dir;
  leveldb::Env* env = store_env();
  const std::string data(1000, 'x');
  auto open_file = [&](const std::string& name) {
    leveldb::WritableFile* raw = nullptr;
    REQUIRE(env->NewWritableFile((dir.path / name).string(), &raw).ok());
    return std::unique_ptr<leveldb::WritableFile>(raw);
  };
  SECTION("table files, named as LevelDB names them since 1.14 and before") {
    for (const std::string name : {"000005.ldb", "000006.sst"}) {
      auto file = open_file(name);
      REQUIRE(file->Append(data).ok());
      REQUIRE(file->Flush().ok());
      CHECK(fs::file_size(dir.path / name) == 0);
      REQUIRE(file->Sync().ok());
      CHECK(fs::file_size(dir.path / name) == data.size());
      REQUIRE(file->Append(data).ok());
      REQUIRE(file->Close().ok());
      CHECK(fs::file_size(dir.path / name) == 2 * data.size());
    }
  }
  SECTION("the write-ahead log and the manifest") {
    for (const std::string name : {"000007.log", "MANIFEST-000008"}) {
      auto file = open_file(name);
      REQUIRE(file->Append(data).ok());
      REQUIRE(file->Flush().ok());
      CHECK(fs::file_size(dir.path / name) == data.size());
      REQUIRE(file->Close().ok());
    }
  }
}

SCENARIO("data that went through many table files and compactions reads back after reopening") {
  GIVEN("a store with a 64 KiB write buffer that took 3 MB in 300 batches") {
    TempDir dir;
    LevelDbOptions options;
    options.write_buffer_size = 64 << 10;
    options.max_file_size = 256 << 10;
    auto value = [](int i) { return Bytes(1000, static_cast<uint8_t>(i * 7)); };
    {
      auto store = LevelDbStore::open(dir.path, options);
      REQUIRE(store.has_value());
      for (int b = 0; b < 300; ++b) {
        WriteBatch batch;
        for (int k = 0; k < 10; ++k) batch.put(Column::TrieNodes, crash_key(b * 10 + k), value(b * 10 + k));
        REQUIRE(store.value()->write(std::move(batch)).has_value());
      }
    }
    WHEN("it is opened again") {
      auto store = LevelDbStore::open(dir.path, options);
      REQUIRE(store.has_value());
      THEN("the data is in table files, and every key reads its value") {
        int tables = 0;
        for (const auto& entry : fs::directory_iterator(dir.path)) tables += entry.path().extension() == ".ldb";
        CHECK(tables > 1);
        int wrong = 0;
        for (int i = 0; i < 3000; ++i) {
          auto v = store.value()->get(Column::TrieNodes, crash_key(i));
          if (!v.has_value() || !v.value() || *v.value() != value(i)) ++wrong;
        }
        CHECK(wrong == 0);
      }
    }
  }
}

SCENARIO("a store created with a trie-node log keeps trie nodes there, in the same atomic batch") {
  GIVEN("a new store with trie_node_log") {
    TempDir dir;
    const Bytes node_a(32, 0x01), node_b(32, 0x70);
    const Bytes short_key = to_bytes("abc");  // 0x61...: between the two nodes
    {
      auto store = LevelDbStore::open(dir.path / "db", with_node_log());
      REQUIRE(store.has_value());
      REQUIRE(store.value()->node_log() != nullptr);
      WriteBatch batch;
      batch.put(Column::TrieNodes, node_a, to_bytes("node a"));
      batch.put(Column::TrieNodes, node_b, to_bytes("node b"));
      batch.put(Column::TrieNodes, short_key, to_bytes("not a node"));
      batch.put(Column::Aux, node_a, to_bytes("aux"));
      REQUIRE(store.value()->write(std::move(batch)).has_value());
      CHECK(store.value()->node_log()->size() == 2);
    }
    WHEN("it is reopened without the option") {
      auto store = LevelDbStore::open(dir.path / "db");
      REQUIRE(store.has_value());
      THEN("it still keeps trie nodes in the log, and every value reads back") {
        REQUIRE(store.value()->node_log() != nullptr);
        CHECK(store.value()->node_log()->size() == 2);
        CHECK(fs::exists(dir.path / "db" / "nodes" / "0000000000.seg"));
        CHECK(store.value()->get(Column::TrieNodes, node_a).value() == to_bytes("node a"));
        CHECK(store.value()->get(Column::TrieNodes, short_key).value() == to_bytes("not a node"));
        CHECK(store.value()->get(Column::Aux, node_a).value() == to_bytes("aux"));
      }
      THEN("iterating the column merges the log's keys with LevelDB's, in order") {
        std::vector<Bytes> keys;
        REQUIRE(store.value()
                    ->iterate(Column::TrieNodes, {},
                              [&](ByteSpan k, ByteSpan) {
                                keys.emplace_back(k.begin(), k.end());
                                return true;
                              })
                    .has_value());
        CHECK(keys == std::vector<Bytes>{node_a, short_key, node_b});
        keys.clear();
        REQUIRE(store.value()
                    ->iterate(Column::TrieNodes, {}, short_key,
                              [&](ByteSpan k, ByteSpan) {
                                keys.emplace_back(k.begin(), k.end());
                                return false;
                              })
                    .has_value());
        CHECK(keys == std::vector<Bytes>{short_key});
      }
      THEN("visiting the column's keys gives each key once: the log's and LevelDB's") {
        std::vector<Bytes> keys;
        REQUIRE(store.value()
                    ->for_each_key(Column::TrieNodes,
                                   [&](ByteSpan k) {
                                     keys.emplace_back(k.begin(), k.end());
                                     return true;
                                   })
                    .has_value());
        std::sort(keys.begin(), keys.end());
        CHECK(keys == std::vector<Bytes>{node_a, short_key, node_b});
        int visited = 0;
        REQUIRE(store.value()->for_each_key(Column::TrieNodes, [&](ByteSpan) { return ++visited < 2; }).has_value());
        CHECK(visited == 2);
      }
      THEN("a deleted node stays deleted after reopening") {
        WriteBatch batch;
        batch.del(Column::TrieNodes, node_a);
        REQUIRE(store.value()->write(std::move(batch), WriteOptions{.sync = true}).has_value());
        CHECK_FALSE(store.value()->get(Column::TrieNodes, node_a).value().has_value());
        store.value().reset();
        auto again = LevelDbStore::open(dir.path / "db");
        REQUIRE(again.has_value());
        CHECK_FALSE(again.value()->get(Column::TrieNodes, node_a).value().has_value());
        CHECK(again.value()->get(Column::TrieNodes, node_b).value() == to_bytes("node b"));
      }
    }
  }
  GIVEN("a store created without the option") {
    TempDir dir;
    const Bytes node(32, 0x05);
    {
      auto store = LevelDbStore::open(dir.path / "db");
      REQUIRE(store.has_value());
      WriteBatch batch;
      batch.put(Column::TrieNodes, node, to_bytes("in leveldb"));
      REQUIRE(store.value()->write(std::move(batch)).has_value());
    }
    THEN("reopening with it starts no log: the nodes stay in LevelDB") {
      auto store = LevelDbStore::open(dir.path / "db", with_node_log());
      REQUIRE(store.has_value());
      CHECK(store.value()->node_log() == nullptr);
      CHECK_FALSE(fs::exists(dir.path / "db" / "nodes"));
      CHECK(store.value()->get(Column::TrieNodes, node).value() == to_bytes("in leveldb"));
    }
  }
  GIVEN("a store whose node log lost a committed segment") {
    TempDir dir;
    {
      auto store = LevelDbStore::open(dir.path / "db", with_node_log());
      REQUIRE(store.has_value());
      WriteBatch batch;
      batch.put(Column::TrieNodes, Bytes(32, 0x05), to_bytes("node"));
      REQUIRE(store.value()->write(std::move(batch)).has_value());
    }
    fs::resize_file(dir.path / "db" / "nodes" / "0000000000.seg", 10);
    THEN("opening is Corruption with the node log's reason") {
      std::string detail;
      auto store = LevelDbStore::open(dir.path / "db", {}, &detail);
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error() == DbError::Corruption);
      CHECK_THAT(detail, Catch::Contains("node log") && Catch::Contains("were committed"));
    }
  }
}

SCENARIO("a batch is atomic across a crash of the writing process") {
  GIVEN("a process writing 150 KB batches that each rewrite the same 100 keys (and, with a node log, replace "
        "40 trie nodes)") {
    const bool nodes = GENERATE(false, true);
    WHEN("it is killed at random moments and the database is reopened") {
      THEN("every key holds the value of one and the same batch, and the trie nodes are that batch's") {
        INFO("node log: " << nodes);
        std::mt19937 rng(1234);
        for (int attempt = 0; attempt < 3; ++attempt) {
          TempDir dir;
          fs::path ready = dir.path / "ready";
          std::vector<std::string> env{"BAZAAR_DB_PROBE_DIR=" + (dir.path / "db").string(),
                                       "BAZAAR_DB_READY_FILE=" + ready.string()};
          if (nodes) env.push_back("BAZAAR_DB_NODE_LOG=1");
          pid_t pid = spawn_self("leveldb crash writer", env);
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
          while (!fs::exists(ready) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          REQUIRE(fs::exists(ready));
          // The crash point: a random moment while the writer is busy.
          std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
          ::kill(pid, SIGKILL);
          REQUIRE(wait_exit(pid) == -1);

          auto store = LevelDbStore::open(dir.path / "db");
          REQUIRE(store.has_value());
          std::optional<Bytes> first;
          for (int i = 0; i < kCrashKeys; ++i) {
            auto v = store.value()->get(Column::Aux, crash_key(i));
            REQUIRE(v.has_value());
            REQUIRE(v.value().has_value());
            if (!first) first = v.value();
            REQUIRE(*v.value() == *first);
          }
          if (!nodes) continue;
          REQUIRE(store.value()->node_log() != nullptr);
          const uint32_t round = bazaar::runtime::codec::decode<uint32_t>(ByteSpan(first->data(), 4)).value();
          for (int i = 0; i < kCrashNodes; ++i) {
            CHECK(store.value()->get(Column::TrieNodes, crash_node_key(round, i)).value() == crash_node_value(round, i));
            CHECK_FALSE(store.value()->get(Column::TrieNodes, crash_node_key(round - 1, i)).value().has_value());
            CHECK_FALSE(store.value()->get(Column::TrieNodes, crash_node_key(round + 1, i)).value().has_value());
          }
          CHECK(store.value()->node_log()->size() == kCrashNodes);
        }
      }
    }
  }
}

SCENARIO("a corrupt or unusable database is reported, not crashed on") {
  GIVEN("a database whose log file is overwritten with garbage") {
    TempDir dir;
    write_damage_fixture(dir.path);
    for (const auto& entry : fs::directory_iterator(dir.path)) {
      if (entry.path().extension() != ".log") continue;
      std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(fs::file_size(entry.path()) / 2));
      std::string garbage(64, '\xAB');
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    WHEN("it is opened") {
      std::string detail;
      auto store = LevelDbStore::open(dir.path, {}, &detail);
      THEN("the open fails with Corruption") {
        REQUIRE_FALSE(store.has_value());
        CHECK(store.error() == make_error_code(DbError::Corruption));
        CHECK_FALSE(detail.empty());
      }
    }
  }
  GIVEN("a database whose table file has a damaged block") {
    TempDir dir;
    write_damage_fixture(dir.path);
    REQUIRE(LevelDbStore::open(dir.path).has_value());  // replays the log into a table file
    int tables = 0;
    for (const auto& entry : fs::directory_iterator(dir.path)) {
      if (entry.path().extension() != ".ldb") continue;
      ++tables;
      std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(fs::file_size(entry.path()) / 4));
      std::string garbage(64, '\xAB');
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    REQUIRE(tables == 1);
    WHEN("it is opened and every key read") {
      auto store = LevelDbStore::open(dir.path);
      REQUIRE(store.has_value());  // tables are not read at open
      int corrupt = 0;
      for (int i = 0; i < 200; ++i) {
        auto v = store.value()->get(Column::Aux, crash_key(i));
        if (!v) {
          CHECK(v.error() == make_error_code(DbError::Corruption));
          ++corrupt;
        } else {
          CHECK(v.value() == Bytes(100, 7));
        }
      }
      THEN("the keys in the damaged block fail with Corruption, the others read") {
        CHECK(corrupt > 0);
        CHECK(corrupt < 200);
      }
    }
  }
  GIVEN("a path that is a regular file") {
    TempDir dir;
    std::ofstream(dir.path / "file") << "not a database";
    THEN("opening it fails with OpenFailed") {
      auto store = LevelDbStore::open(dir.path / "file");
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error() == make_error_code(DbError::OpenFailed));
    }
  }
  GIVEN("a missing directory and create_if_missing off") {
    TempDir dir;
    LevelDbOptions options;
    options.create_if_missing = false;
    THEN("opening it fails with OpenFailed") {
      auto store = LevelDbStore::open(dir.path / "absent", options);
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error() == make_error_code(DbError::OpenFailed));
    }
  }
}
