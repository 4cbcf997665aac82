#include "node/db/node_log.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <fstream>
#include <random>
#include <thread>

#include "tests/node/db/temp_dir.hpp"

using namespace bazaar::node::db;
namespace fs = std::filesystem;

namespace {

using bazaar::node::db::test::TempDir;

/// A 32-byte key: `i` in its first bytes, `tag` after (keys that share their
/// first 8 bytes differ only in the tag).
Bytes key(uint32_t i, uint8_t tag = 0) {
  Bytes k(NodeLog::kKeySize, tag);
  for (int b = 0; b < 4; ++b) k[b] = static_cast<uint8_t>(i >> (8 * b));
  return k;
}
Bytes value(uint32_t i, std::size_t size = 100) { return Bytes(size, static_cast<uint8_t>(i * 13 + 1)); }

/// One batch of puts (value given) and deletes (nullopt).
using Batch = std::vector<std::pair<Bytes, std::optional<Bytes>>>;

/// Appends and publishes `batch` as a committing owner would; returns the head.
NodeLogHead commit(NodeLog& log, const Batch& batch) {
  std::vector<NodeLog::Op> ops;
  for (const auto& [k, v] : batch) ops.push_back({k, v ? &*v : nullptr});
  auto head = log.append(ops);
  REQUIRE(head.has_value());
  log.publish();
  return head.value();
}

std::unique_ptr<NodeLog> open_log(const fs::path& dir, const NodeLogHead& head, uint32_t segment_bytes = 64u << 20) {
  std::string detail;
  auto log = NodeLog::open(dir, head, NodeLogOptions{.segment_bytes = segment_bytes}, &detail);
  INFO(detail);
  REQUIRE(log.has_value());
  return std::move(log).value();
}

std::optional<Bytes> read(const NodeLog& log, const Bytes& k) {
  auto v = log.get(k);
  REQUIRE(v.has_value());
  return v.value();
}

std::string open_error(const fs::path& dir, const NodeLogHead& head) {
  std::string detail;
  auto log = NodeLog::open(dir, head, {}, &detail);
  REQUIRE_FALSE(log.has_value());
  CHECK(log.error() == DbError::Corruption);
  return detail;
}

int segment_files(const fs::path& dir) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".seg";
  return n;
}

}  // namespace

SCENARIO("a node log keeps values across reopening at the committed head") {
  GIVEN("a new log that committed one batch of three puts") {
    TempDir dir;
    auto log = open_log(dir.path, {});
    const auto head = commit(*log, {{key(1), value(1)}, {key(2), value(2, 0)}, {key(3), value(3, 70000)}});
    CHECK(head == NodeLogHead{0, 0, static_cast<uint32_t>(log->file_bytes())});
    THEN("every value reads back, and absent keys read nothing") {
      CHECK(read(*log, key(1)) == value(1));
      CHECK(read(*log, key(2)) == value(2, 0));
      CHECK(read(*log, key(3)) == value(3, 70000));
      CHECK_FALSE(read(*log, key(4)));
      CHECK(log->size() == 3);
      CHECK(log->live_bytes() == log->file_bytes());
    }
    WHEN("a key already stored is put again") {
      const auto again = commit(*log, {{key(1), value(1)}});
      THEN("nothing is appended") { CHECK(again == head); }
    }
    WHEN("the log is reopened at that head") {
      log.reset();
      log = open_log(dir.path, head);
      THEN("the values are all there") {
        CHECK(read(*log, key(1)) == value(1));
        CHECK(read(*log, key(3)) == value(3, 70000));
        CHECK(log->size() == 3);
      }
    }
    WHEN("a batch deletes one key, and puts, deletes and puts another") {
      const auto later = commit(*log, {{key(1), std::nullopt}, {key(5), value(5)}, {key(5), std::nullopt},
                                       {key(5), value(5)}, {key(9), std::nullopt}});
      THEN("the last operation on each key wins, now and after reopening") {
        for (int reopened = 0; reopened < 2; ++reopened) {
          CHECK_FALSE(read(*log, key(1)));
          CHECK(read(*log, key(5)) == value(5));
          CHECK(read(*log, key(2)) == value(2, 0));
          CHECK_FALSE(read(*log, key(9)));
          CHECK(log->keys() == std::vector<NodeLog::Key>{
                                   [] { NodeLog::Key k{}; k[0] = 2; return k; }(),
                                   [] { NodeLog::Key k{}; k[0] = 3; return k; }(),
                                   [] { NodeLog::Key k{}; k[0] = 5; return k; }()});
          log.reset();
          log = open_log(dir.path, later);
        }
      }
    }
    WHEN("a batch deletes a key: until publish it still reads") {
      const Bytes k1 = key(1);
      const std::vector<NodeLog::Op> ops{{k1, nullptr}};
      REQUIRE(log->append(ops).has_value());
      CHECK(read(*log, key(1)) == value(1));
      log->publish();
      CHECK_FALSE(read(*log, key(1)));
    }
  }
}

SCENARIO("keys that share their first bytes are kept apart") {
  GIVEN("a log with two keys equal but for their last bytes") {
    TempDir dir;
    auto log = open_log(dir.path, {});
    const auto head = commit(*log, {{key(7, 1), value(1)}, {key(7, 2), value(2)}});
    THEN("each reads its own value, and deleting one keeps the other") {
      CHECK(read(*log, key(7, 1)) == value(1));
      CHECK(read(*log, key(7, 2)) == value(2));
      commit(*log, {{key(7, 1), std::nullopt}});
      CHECK_FALSE(read(*log, key(7, 1)));
      CHECK(read(*log, key(7, 2)) == value(2));
    }
  }
}

SCENARIO("what the owner did not commit is not kept") {
  GIVEN("a log with a committed batch") {
    TempDir dir;
    auto log = open_log(dir.path, {});
    const auto committed = commit(*log, {{key(1), value(1)}, {key(2), value(2)}});
    WHEN("a second batch is appended and the owner's commit fails") {
      const Bytes k2 = key(2), k3 = key(3);
      const Bytes v3 = value(3);
      const std::vector<NodeLog::Op> ops{{k2, nullptr}, {k3, &v3}};
      REQUIRE(log->append(ops).has_value());
      CHECK(read(*log, key(3)) == value(3));  // puts read at once
      log->abort();
      THEN("the batch is undone: its put is gone, its delete never happened, the file is as before") {
        CHECK_FALSE(read(*log, key(3)));
        CHECK(read(*log, key(2)) == value(2));
        CHECK(log->head() == committed);
        CHECK(fs::file_size(dir.path / "0000000000.seg") == committed.end);
        CHECK(log->file_bytes() == committed.end);
      }
      AND_THEN("the next batch is appended where the failed one started") {
        const auto next = commit(*log, {{key(4), value(4)}});
        log.reset();
        log = open_log(dir.path, next);
        CHECK(read(*log, key(4)) == value(4));
        CHECK_FALSE(read(*log, key(3)));
      }
    }
    WHEN("the owner's commit of a second batch fails in a way that may have committed (abandon)") {
      const Bytes k3 = key(3);
      const Bytes v3 = value(3);
      const std::vector<NodeLog::Op> ops{{k3, &v3}};
      auto appended = log->append(ops);
      REQUIRE(appended.has_value());
      log->abandon();
      THEN("the log refuses further writes") {
        auto refused = log->append(ops);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error() == DbError::IoError);
        CHECK_FALSE(log->wants_merge());
      }
      THEN("its records stay for the next open, which keeps or cuts them by the head the owner recovered") {
        log.reset();
        log = open_log(dir.path, appended.value());
        CHECK(read(*log, key(3)) == value(3));
        log.reset();
        log = open_log(dir.path, committed);
        CHECK_FALSE(read(*log, key(3)));
        CHECK(read(*log, key(2)) == value(2));
      }
    }
    WHEN("a second batch reached the file but the process died before the owner committed it") {
      commit(*log, {{key(3), value(3)}, {key(1), std::nullopt}});
      log.reset();
      log = open_log(dir.path, committed);
      THEN("reopening at the committed head cuts it off") {
        CHECK_FALSE(read(*log, key(3)));
        CHECK(read(*log, key(1)) == value(1));
        CHECK(fs::file_size(dir.path / "0000000000.seg") == committed.end);
      }
    }
  }
}

SCENARIO("a damaged log is reported as corruption") {
  GIVEN("a committed log of two batches") {
    TempDir dir;
    NodeLogHead head;
    {
      auto log = open_log(dir.path, {});
      commit(*log, {{key(1), value(1)}});
      head = commit(*log, {{key(2), value(2)}});
    }
    const fs::path segment = dir.path / "0000000000.seg";
    WHEN("a byte of a value is changed") {
      {
        std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(60);
        f.put('\x5a');
      }
      THEN("opening names the segment and the offset") {
        CHECK_THAT(open_error(dir.path, head), Catch::Contains("segment 0 at offset 0") && Catch::Contains("checksum"));
      }
    }
    WHEN("the file is shorter than the committed head") {
      fs::resize_file(segment, head.end - 1);
      THEN("opening says what is missing") {
        CHECK_THAT(open_error(dir.path, head), Catch::Contains("were committed"));
      }
    }
    WHEN("the head names a segment that is not there") {
      THEN("opening says which") {
        CHECK_THAT(open_error(dir.path, NodeLogHead{0, 1, 10}), Catch::Contains("segment 1 is missing"));
      }
    }
    WHEN("a value changes while the log is open") {
      auto log = open_log(dir.path, head);
      {
        std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(60);
        f.put('\x5a');
      }
      THEN("reading it is Corruption, other values still read") {
        auto v = log->get(key(1));
        REQUIRE_FALSE(v.has_value());
        CHECK(v.error() == DbError::Corruption);
        CHECK(read(*log, key(2)) == value(2));
      }
    }
  }
  GIVEN("encoded heads") {
    THEN("only 12 bytes with the first segment not after the current one decode") {
      const NodeLogHead h{2, 5, 77};
      CHECK(NodeLogHead::decode(h.encode()) == h);
      CHECK_FALSE(NodeLogHead::decode(Bytes(11)));
      CHECK_FALSE(NodeLogHead::decode(NodeLogHead{6, 5, 0}.encode()));
    }
  }
}

SCENARIO("merging reclaims the space of deleted values") {
  GIVEN("a log with 4 KiB segments where 40 batches each put 10 values and delete the last batch's") {
    TempDir dir;
    auto log = open_log(dir.path, {}, 4096);
    NodeLogHead head;
    for (uint32_t b = 0; b < 40; ++b) {
      Batch batch;
      for (uint32_t i = 0; i < 10; ++i) {
        batch.emplace_back(key(b * 10 + i), value(b * 10 + i));
        if (b > 0) batch.emplace_back(key((b - 1) * 10 + i), std::nullopt);
      }
      // Values put by the first batch and never deleted.
      if (b == 0)
        for (uint32_t i = 0; i < 5; ++i) batch.emplace_back(key(1000 + i, 9), value(1000 + i));
      head = commit(*log, batch);
    }
    REQUIRE(head.segment > 3);
    REQUIRE(log->wants_merge());
    const uint64_t before = log->file_bytes();
    WHEN("the oldest segments are merged until no merge is due") {
      int merges = 0;
      while (log->wants_merge()) {
        auto merged = log->merge_oldest();
        REQUIRE(merged.has_value());
        head = merged.value();
        log->publish();
        ++merges;
      }
      THEN("the files shrank, the merged segments are gone, and every live value reads") {
        CHECK(merges > 0);
        CHECK(log->file_bytes() < before);
        CHECK(head.first_segment > 0);
        CHECK_FALSE(fs::exists(dir.path / "0000000000.seg"));
        CHECK(segment_files(dir.path) == static_cast<int>(head.segment - head.first_segment + 1));
        for (uint32_t i = 0; i < 5; ++i) CHECK(read(*log, key(1000 + i, 9)) == value(1000 + i));
        for (uint32_t i = 0; i < 10; ++i) CHECK(read(*log, key(390 + i)) == value(390 + i));
        CHECK_FALSE(read(*log, key(0)));
        CHECK(log->size() == 15);
      }
      AND_THEN("reopening at the merged head finds the same values, and no deleted one comes back") {
        log.reset();
        log = open_log(dir.path, head, 4096);
        CHECK(log->size() == 15);
        for (uint32_t i = 0; i < 5; ++i) CHECK(read(*log, key(1000 + i, 9)) == value(1000 + i));
        for (uint32_t k = 0; k < 390; ++k) CHECK_FALSE(read(*log, key(k)));
      }
    }
    WHEN("a merge is not committed by the owner") {
      REQUIRE(log->merge_oldest().has_value());
      log->abort();
      THEN("the oldest segment stays and everything reads as before, also after reopening") {
        // (A segment the merge started may stay, empty, to be appended to next.)
        CHECK(log->head().first_segment == 0);
        CHECK(fs::exists(dir.path / "0000000000.seg"));
        CHECK(log->file_bytes() == before);
        for (uint32_t i = 0; i < 5; ++i) CHECK(read(*log, key(1000 + i, 9)) == value(1000 + i));
        log.reset();
        log = open_log(dir.path, head, 4096);
        CHECK(log->file_bytes() == before);
        for (uint32_t i = 0; i < 5; ++i) CHECK(read(*log, key(1000 + i, 9)) == value(1000 + i));
      }
    }
    WHEN("a merge is committed but the process dies before removing the segment") {
      auto merged = log->merge_oldest();
      REQUIRE(merged.has_value());
      log.reset();
      log = open_log(dir.path, merged.value(), 4096);
      THEN("opening removes it") {
        CHECK_FALSE(fs::exists(dir.path / "0000000000.seg"));
        for (uint32_t i = 0; i < 5; ++i) CHECK(read(*log, key(1000 + i, 9)) == value(1000 + i));
      }
    }
  }
}

SCENARIO("readers see every live value while a writer appends, deletes and merges") {
  GIVEN("a log with 8 KiB segments holding 20 values that stay") {
    TempDir dir;
    auto log = open_log(dir.path, {}, 8192);
    Batch first;
    for (uint32_t i = 0; i < 20; ++i) first.emplace_back(key(100000 + i, 3), value(i));
    commit(*log, first);
    WHEN("two threads read them while the writer churns through 300 batches") {
      std::atomic<bool> done{false};
      std::atomic<int> wrong{0};
      std::vector<std::thread> readers;
      for (int t = 0; t < 2; ++t)
        readers.emplace_back([&] {
          while (!done)
            for (uint32_t i = 0; i < 20; ++i) {
              auto v = log->get(key(100000 + i, 3));
              if (!v.has_value() || !v.value() || *v.value() != value(i)) ++wrong;
            }
        });
      int merges = 0;
      for (uint32_t b = 0; b < 300; ++b) {
        Batch batch;
        for (uint32_t i = 0; i < 8; ++i) {
          batch.emplace_back(key(b * 8 + i), value(b, 200));
          if (b > 0) batch.emplace_back(key((b - 1) * 8 + i), std::nullopt);
        }
        commit(*log, batch);
        if (log->wants_merge()) {
          REQUIRE(log->merge_oldest().has_value());
          log->publish();
          ++merges;
        }
      }
      done = true;
      for (auto& r : readers) r.join();
      THEN("no read missed or misread a value") {
        CHECK(merges > 10);
        CHECK(wrong == 0);
      }
    }
  }
}
