#pragma once
// The worker's own record of its tasks, in its own LevelDB (DESIGN.md: "A
// worker keeps its in-flight tasks ... in its own LevelDB, so a crash loses
// nothing"). Every stage is written (synced) before the worker acts on the
// chain, so after kill -9 it resumes a task from its last stage, and the
// chain's state decides what is still to do: a claim or a result is never
// submitted twice for the same task.

#include "modules/task_queue/types.hpp"
#include "node/db/kv_store.hpp"

#include <boost/describe.hpp>

#include <filesystem>
#include <map>
#include <memory>

namespace bazaar::node::offchain {

using modules::task_queue::ResultStatus;
using modules::task_queue::TaskId;

enum class TaskStage : uint8_t {
  Claiming = 0,   ///< a claim_task was (about to be) submitted
  Claimed = 1,    ///< the chain says we hold the claim
  Executed = 2,   ///< the run finished; its result is recorded here
  Submitted = 3,  ///< submit_result landed
  Done = 4,       ///< nothing left to do (completed, or the task went elsewhere)
  Abandoned = 5,  ///< the run hit the wall-clock limit: not deterministic, never submitted, not retried
};
BOOST_DESCRIBE_ENUM(TaskStage, Claiming, Claimed, Executed, Submitted, Done, Abandoned)

struct JournalEntry {
  TaskStage stage = TaskStage::Claiming;
  ResultStatus status = ResultStatus::Ok;
  runtime::Bytes output;
  uint64_t fuel_used = 0;
};
BOOST_DESCRIBE_STRUCT(JournalEntry, (), (stage, status, output, fuel_used))

class TaskJournal {
 public:
  /// Opens (creating) the journal's LevelDB at `dir`. Errors: node::db::DbError.
  static Result<std::unique_ptr<TaskJournal>> open(const std::filesystem::path& dir);

  /// Writes and fsyncs one task's entry.
  Result<void> put(TaskId id, const JournalEntry& entry);
  std::optional<JournalEntry> get(TaskId id) const;
  /// Forgets a task (a claim that never landed), fsynced.
  Result<void> erase(TaskId id);
  /// Every task not yet Done or Abandoned, by id.
  std::map<TaskId, JournalEntry> unfinished() const;

 private:
  explicit TaskJournal(std::unique_ptr<db::KeyValueStore> store) : m_store(std::move(store)) {}
  std::unique_ptr<db::KeyValueStore> m_store;
};

}  // namespace bazaar::node::offchain
