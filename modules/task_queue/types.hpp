#pragma once
// The TaskQueue module's records and storage items (see task_queue.hpp for the
// module, its calls and life cycle).

#include "modules/credits/credits.hpp"
#include "runtime/framework/module.hpp"

#include <boost/describe.hpp>

#include <optional>

namespace bazaar::modules::task_queue {

using runtime::AccountId32;
using runtime::Balance;
using runtime::BlockNumber;
using runtime::BoundedVec;
using runtime::Bytes;
using runtime::Compact;
using runtime::H256;
using runtime::Weight;
using namespace runtime::framework;

using TaskId = uint64_t;
/// Parts per million (sp_arithmetic::Permill): 1'000'000 = 100%.
using Permill = uint32_t;
inline constexpr Permill kPermillOne = 1'000'000;
/// floor(amount * parts / 10^6), without overflow.
Balance permill_of(Balance amount, Permill parts);

inline constexpr uint32_t kMaxCapabilities = 16;
inline constexpr uint32_t kMaxCapabilityBytes = 32;
inline constexpr uint32_t kMaxEndpointBytes = 256;
/// A capability tag such as "wasm32-wasi" or "mem:4GiB" (free-form bytes for now).
using Capability = BoundedVec<uint8_t, kMaxCapabilityBytes>;
using Capabilities = BoundedVec<Capability, kMaxCapabilities>;
/// How to reach a provider off chain (for example a URL); free-form bytes.
using Endpoint = BoundedVec<uint8_t, kMaxEndpointBytes>;

/// The market's parameters, from the genesis config (`params`). Balances in base units, periods in blocks.
struct Params {
  Balance minimum_stake = 10 * runtime::kUnitsPerCC;  ///< least stake a provider holds
  Balance program_deposit_per_byte = 1'000'000;       ///< held from the uploader per byte of code
  uint32_t max_program_bytes = 2 * 1024 * 1024;       ///< largest program
  uint32_t max_input_bytes = 256 * 1024;              ///< largest inline task input
  uint32_t max_output_bytes = 256 * 1024;             ///< largest inline task output
  Permill protocol_fee = 10'000;                      ///< share of a bounty paid to the treasury (1%)
  BlockNumber acceptance_window = 10;                 ///< blocks a requester has to accept before auto-accept (>= 1)
  BlockNumber claim_timeout = 30;                     ///< blocks a claim lasts at most (>= 1)
  BlockNumber unbonding_period = 20;                  ///< blocks between unregistering and the stake's release
  Permill slash_fraction = 100'000;                   ///< share of the stake slashed per missed claim (10%)
  uint64_t max_fuel = 10'000'000'000;                 ///< largest fuel (instruction) limit of a task
  friend bool operator==(const Params&, const Params&) = default;
};
BOOST_DESCRIBE_STRUCT(Params, (),
                      (minimum_stake, program_deposit_per_byte, max_program_bytes, max_input_bytes, max_output_bytes,
                       protocol_fee, acceptance_window, claim_timeout, unbonding_period, slash_fraction, max_fuel))

/// An uploaded program's record (its code is in ProgramCode).
struct Program {
  AccountId32 owner;
  Balance deposit = 0;  ///< held from the owner as ProgramDeposit
  uint32_t size = 0;    ///< bytes of code
  BlockNumber uploaded_at = 0;
};
BOOST_DESCRIBE_STRUCT(Program, (), (owner, deposit, size, uploaded_at))

enum class ProviderStatus : uint8_t { Active = 0, Unbonding = 1 };
BOOST_DESCRIBE_ENUM(ProviderStatus, Active, Unbonding)

/// Per-provider counters (inputs of the later reputation tiers).
struct ProviderStats {
  uint32_t completed = 0;         ///< accepted results with status Ok
  uint32_t failed = 0;            ///< accepted results with status Trapped or OutOfFuel
  uint32_t missed_deadlines = 0;  ///< claims that expired without a result
  uint32_t in_flight = 0;         ///< claimed or submitted tasks not yet completed
  friend bool operator==(const ProviderStats&, const ProviderStats&) = default;
};
BOOST_DESCRIBE_STRUCT(ProviderStats, (), (completed, failed, missed_deadlines, in_flight))

struct Provider {
  Balance stake = 0;  ///< held as ProviderStake (reduced by slashes)
  Balance price_per_task = 0;
  Capabilities capabilities;
  Endpoint endpoint;
  ProviderStatus status = ProviderStatus::Active;
  BlockNumber unbonding_until = 0;  ///< when status is Unbonding: the block that releases the stake
  BlockNumber registered_at = 0;
  ProviderStats stats;
};
BOOST_DESCRIBE_STRUCT(Provider, (),
                      (stake, price_per_task, capabilities, endpoint, status, unbonding_until, registered_at, stats))

/// How a run ended (the worker's report).
enum class ResultStatus : uint8_t { Ok = 0, Trapped = 1, OutOfFuel = 2 };
BOOST_DESCRIBE_ENUM(ResultStatus, Ok, Trapped, OutOfFuel)

enum class TaskStatus : uint8_t { Open = 0, Claimed = 1, Submitted = 2, Completed = 3, Cancelled = 4, Expired = 5 };
BOOST_DESCRIBE_ENUM(TaskStatus, Open, Claimed, Submitted, Completed, Cancelled, Expired)

struct TaskResult {
  ResultStatus status = ResultStatus::Ok;
  H256 output_hash;  ///< blake2b_256(output); the output itself is in TaskOutputs
  uint32_t output_size = 0;
  uint64_t fuel_used = 0;
  BlockNumber submitted_at = 0;
};
BOOST_DESCRIBE_STRUCT(TaskResult, (), (status, output_hash, output_size, fuel_used, submitted_at))

struct Task {
  AccountId32 requester;
  H256 program;     ///< blake2b_256 of the program's code
  H256 input_hash;  ///< blake2b_256(input); the input itself is in TaskInputs while the task is live
  uint32_t input_size = 0;
  uint64_t fuel_limit = 0;
  Balance bounty = 0;  ///< held from the requester as TaskEscrow until completion or refund
  BlockNumber posted_at = 0;
  BlockNumber deadline = 0;  ///< an Open task still unclaimed at this block is refunded
  TaskStatus status = TaskStatus::Open;
  std::optional<AccountId32> provider;  ///< the claimant (Claimed, Submitted, Completed)
  BlockNumber claimed_at = 0;
  BlockNumber due_at =
      0;  ///< block of the next automatic transition (0 when none): deadline, claim expiry or acceptance
  std::optional<TaskResult> result;
  uint32_t reopened = 0;  ///< times a missed claim re-opened the task
};
BOOST_DESCRIBE_STRUCT(Task, (),
                      (requester, program, input_hash, input_size, fuel_limit, bounty, posted_at, deadline, status,
                       provider, claimed_at, due_at, result, reopened))

// ---- storage ----
using ParamsItem = StorageValue<"TaskQueue", "Params", Params, ValueQuery, "The market's parameters (genesis).">;
using Programs = StorageMap<"TaskQueue", "Programs", Hasher::Identity, H256, Program, OptionQuery,
                            "Uploaded programs by blake2b_256 of their code.">;
using ProgramCode = StorageMap<"TaskQueue", "ProgramCode", Hasher::Identity, H256, Bytes, OptionQuery,
                               "The code of each uploaded program (a wasm32-wasi command module).">;
using Providers = StorageMap<"TaskQueue", "Providers", Hasher::Blake2_128Concat, AccountId32, Provider, OptionQuery,
                             "Registered providers (Active or Unbonding).">;
using NextTaskId = StorageValue<"TaskQueue", "NextTaskId", TaskId, ValueQuery, "The id the next posted task gets.">;
using Tasks = StorageMap<"TaskQueue", "Tasks", Hasher::Twox64Concat, TaskId, Task, OptionQuery, "Every posted task.">;
using TaskInputs = StorageMap<"TaskQueue", "TaskInputs", Hasher::Twox64Concat, TaskId, Bytes, OptionQuery,
                              "The input of each task until it completes, is cancelled or expires.">;
using TaskOutputs = StorageMap<"TaskQueue", "TaskOutputs", Hasher::Twox64Concat, TaskId, Bytes, OptionQuery,
                               "The output submitted for each task.">;
using OpenTasks = StorageMap<"TaskQueue", "OpenTasks", Hasher::Twox64Concat, TaskId, Balance, OptionQuery,
                             "Index of the Open tasks (value: the bounty), for workers' state_getKeysPaged.">;
using RequesterTasks =
    StorageDoubleMap<"TaskQueue", "RequesterTasks", Hasher::Blake2_128Concat, AccountId32, Hasher::Twox64Concat, TaskId,
                     BlockNumber, OptionQuery, "Index of every task by requester (value: the block it was posted).">;
using ProviderTasks =
    StorageDoubleMap<"TaskQueue", "ProviderTasks", Hasher::Blake2_128Concat, AccountId32, Hasher::Twox64Concat, TaskId,
                     BlockNumber, OptionQuery, "A provider's claimed and submitted tasks (value: the claim block).">;
using DueTasks = StorageDoubleMap<"TaskQueue", "DueTasks", Hasher::Twox64Concat, BlockNumber, Hasher::Twox64Concat,
                                  TaskId, TaskStatus, OptionQuery,
                                  "Tasks with an automatic transition at a block (value: the status it applies to).">;
using Unbonding =
    StorageDoubleMap<"TaskQueue", "Unbonding", Hasher::Twox64Concat, BlockNumber, Hasher::Blake2_128Concat, AccountId32,
                     Balance, OptionQuery, "Providers whose stake is released at a block (value: the stake).">;

}  // namespace bazaar::modules::task_queue
