#pragma once
// The TaskQueue module (index 5): the compute marketplace's first part.
// Requesters upload WebAssembly programs (content-addressed, deposit per
// byte), post tasks with an escrowed bounty; registered, staked providers
// claim them, run them off chain and submit the result; the requester accepts
// (or the acceptance window passes) and the provider is paid the bounty minus
// the protocol fee, which goes to the treasury. A claim that misses its
// deadline is slashed and the task re-opened or refunded.
//
// Task life cycle (every arrow emits an event; the automatic ones happen in
// on_initialize at the block stored in Task::due_at):
//
//   Open --claim_task--> Claimed --submit_result--> Submitted --accept_result / window ends--> Completed
//   Open --cancel_task--> Cancelled            Open --deadline--> Expired (refund)
//   Claimed --claim expires--> (slash) Open again if the deadline is ahead, else Expired (refund)
//
// Money moves only through the credits module: stakes are held as
// ProviderStake, bounties as TaskEscrow, program deposits as ProgramDeposit.
// Later issues add auctions, leases, reputation tiers and disputes; the
// storage keeps per-task and per-provider records and indices (OpenTasks,
// RequesterTasks, ProviderTasks, DueTasks, Unbonding) so that nothing ever
// scans all tasks.

#include "modules/task_queue/types.hpp"
#include "runtime/framework/json.hpp"

namespace bazaar::modules::task_queue {

// ---- constants ----
using MaxCapabilities = ConstantDecl<"MaxCapabilities", uint32_t, kMaxCapabilities, "Capability tags per provider.">;
using MaxCapabilityBytes =
    ConstantDecl<"MaxCapabilityBytes", uint32_t, kMaxCapabilityBytes, "Bytes per capability tag.">;
using MaxEndpointBytes = ConstantDecl<"MaxEndpointBytes", uint32_t, kMaxEndpointBytes, "Bytes of a provider endpoint.">;

// ---- calls ----
struct UploadProgram {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "upload_program";
  static constexpr std::string_view kDocs =
      "Store a wasm32-wasi program, content-addressed by blake2b-256, holding a deposit per byte. "
      "Uploading a program that already exists does nothing.";
  Bytes code;
  Weight weight() const { return {30'000'000 + 5'000 * code.size(), code.size()}; }
};
BOOST_DESCRIBE_STRUCT(UploadProgram, (), (code))

struct RegisterProvider {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "register_provider";
  static constexpr std::string_view kDocs = "Become a provider, holding `stake` (at least the minimum stake).";
  static constexpr Weight kWeight{50'000'000, 4'000};
  Compact<Balance> stake;
  Compact<Balance> price_per_task;
  Capabilities capabilities;
  Endpoint endpoint;
};
BOOST_DESCRIBE_STRUCT(RegisterProvider, (), (stake, price_per_task, capabilities, endpoint))

struct UpdateProvider {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "update_provider";
  static constexpr std::string_view kDocs = "Change price, capabilities and endpoint; optionally hold more stake.";
  static constexpr Weight kWeight{45'000'000, 4'000};
  Compact<Balance> price_per_task;
  Capabilities capabilities;
  Endpoint endpoint;
  std::optional<Compact<Balance>> stake_top_up;
};
BOOST_DESCRIBE_STRUCT(UpdateProvider, (), (price_per_task, capabilities, endpoint, stake_top_up))

struct UnregisterProvider {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "unregister_provider";
  static constexpr std::string_view kDocs =
      "Stop providing (no task may be in flight); the stake is released after the unbonding period.";
  static constexpr Weight kWeight{35'000'000, 4'000};
};
BOOST_DESCRIBE_STRUCT(UnregisterProvider, (), ())

struct PostTask {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "post_task";
  static constexpr std::string_view kDocs =
      "Post a task: run `program_hash` on `input` with at most `fuel_limit` instructions; `bounty` is held "
      "until completion; unclaimed after `deadline_blocks` blocks it is refunded.";
  H256 program_hash;
  Bytes input;
  Compact<uint64_t> fuel_limit;
  Compact<Balance> bounty;
  BlockNumber deadline_blocks = 0;
  Weight weight() const { return {60'000'000 + 1'000 * input.size(), 6'000 + input.size()}; }
};
BOOST_DESCRIBE_STRUCT(PostTask, (), (program_hash, input, fuel_limit, bounty, deadline_blocks))

struct CancelTask {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "cancel_task";
  static constexpr std::string_view kDocs = "The requester cancels an unclaimed task; the bounty is refunded.";
  static constexpr Weight kWeight{45'000'000, 6'000};
  TaskId task_id = 0;
};
BOOST_DESCRIBE_STRUCT(CancelTask, (), (task_id))

struct ClaimTask {
  static constexpr uint8_t kIndex = 6;
  static constexpr std::string_view kName = "claim_task";
  static constexpr std::string_view kDocs =
      "An active provider whose price is at most the bounty claims an open task; it must submit the result "
      "within the claim timeout and before the task's deadline.";
  static constexpr Weight kWeight{50'000'000, 8'000};
  TaskId task_id = 0;
};
BOOST_DESCRIBE_STRUCT(ClaimTask, (), (task_id))

struct SubmitResult {
  static constexpr uint8_t kIndex = 7;
  static constexpr std::string_view kName = "submit_result";
  static constexpr std::string_view kDocs =
      "The claimant submits the run's status, output and fuel used; the acceptance window starts.";
  TaskId task_id = 0;
  ResultStatus status = ResultStatus::Ok;
  Bytes output;
  Compact<uint64_t> fuel_used;
  Weight weight() const { return {50'000'000 + 1'000 * output.size(), 8'000 + output.size()}; }
};
BOOST_DESCRIBE_STRUCT(SubmitResult, (), (task_id, status, output, fuel_used))

struct AcceptResult {
  static constexpr uint8_t kIndex = 8;
  static constexpr std::string_view kName = "accept_result";
  static constexpr std::string_view kDocs =
      "The requester accepts a submitted result: the provider is paid the bounty minus the protocol fee.";
  static constexpr Weight kWeight{80'000'000, 12'000};
  TaskId task_id = 0;
};
BOOST_DESCRIBE_STRUCT(AcceptResult, (), (task_id))

using Call = std::variant<UploadProgram, RegisterProvider, UpdateProvider, UnregisterProvider, PostTask, CancelTask,
                          ClaimTask, SubmitResult, AcceptResult>;

// ---- events (each carries the block it happened in) ----
struct ProgramUploaded {
  static constexpr uint8_t kIndex = 0;
  static constexpr std::string_view kName = "ProgramUploaded";
  static constexpr std::string_view kDocs = "A program was stored; `deposit` is held from `owner`.";
  H256 program;
  AccountId32 owner;
  uint32_t size = 0;
  Balance deposit = 0;
  BlockNumber block = 0;
};
struct ProviderRegistered {
  static constexpr uint8_t kIndex = 1;
  static constexpr std::string_view kName = "ProviderRegistered";
  static constexpr std::string_view kDocs = "A provider registered, holding `stake`.";
  AccountId32 provider;
  Balance stake = 0;
  Balance price_per_task = 0;
  BlockNumber block = 0;
};
struct ProviderUpdated {
  static constexpr uint8_t kIndex = 2;
  static constexpr std::string_view kName = "ProviderUpdated";
  static constexpr std::string_view kDocs = "A provider changed its offer; `stake` is its stake now.";
  AccountId32 provider;
  Balance stake = 0;
  Balance price_per_task = 0;
  BlockNumber block = 0;
};
struct ProviderUnbonding {
  static constexpr uint8_t kIndex = 3;
  static constexpr std::string_view kName = "ProviderUnbonding";
  static constexpr std::string_view kDocs = "A provider unregistered; its stake is released at block `release_at`.";
  AccountId32 provider;
  Balance stake = 0;
  BlockNumber release_at = 0;
  BlockNumber block = 0;
};
struct ProviderUnregistered {
  static constexpr uint8_t kIndex = 4;
  static constexpr std::string_view kName = "ProviderUnregistered";
  static constexpr std::string_view kDocs =
      "A provider's unbonding ended: `stake` was released and the record removed.";
  AccountId32 provider;
  Balance stake = 0;
  BlockNumber block = 0;
};
struct TaskPosted {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "TaskPosted";
  static constexpr std::string_view kDocs = "A task was posted; `bounty` is held from `requester`.";
  TaskId task_id = 0;
  AccountId32 requester;
  H256 program;
  Balance bounty = 0;
  uint64_t fuel_limit = 0;
  uint32_t input_size = 0;
  BlockNumber deadline = 0;
  BlockNumber block = 0;
};
struct TaskCancelled {
  static constexpr uint8_t kIndex = 6;
  static constexpr std::string_view kName = "TaskCancelled";
  static constexpr std::string_view kDocs = "The requester cancelled an open task; `refund` was released to it.";
  TaskId task_id = 0;
  AccountId32 requester;
  Balance refund = 0;
  BlockNumber block = 0;
};
struct TaskClaimed {
  static constexpr uint8_t kIndex = 7;
  static constexpr std::string_view kName = "TaskClaimed";
  static constexpr std::string_view kDocs = "A provider claimed a task; the result is due before block `expires_at`.";
  TaskId task_id = 0;
  AccountId32 provider;
  AccountId32 requester;
  Balance bounty = 0;
  BlockNumber expires_at = 0;
  BlockNumber block = 0;
};
struct ResultSubmitted {
  static constexpr uint8_t kIndex = 8;
  static constexpr std::string_view kName = "ResultSubmitted";
  static constexpr std::string_view kDocs =
      "The claimant submitted a result; it is accepted automatically at block `accept_by`.";
  TaskId task_id = 0;
  AccountId32 provider;
  AccountId32 requester;
  ResultStatus status = ResultStatus::Ok;
  H256 output_hash;
  uint64_t fuel_used = 0;
  BlockNumber accept_by = 0;
  BlockNumber block = 0;
};
struct TaskCompleted {
  static constexpr uint8_t kIndex = 9;
  static constexpr std::string_view kName = "TaskCompleted";
  static constexpr std::string_view kDocs =
      "A result was accepted (by the requester, or automatically): `payout` went to the provider and "
      "`protocol_fee` to the treasury, both from the escrowed bounty.";
  TaskId task_id = 0;
  AccountId32 requester;
  AccountId32 provider;
  Balance payout = 0;
  Balance protocol_fee = 0;
  bool auto_accepted = false;
  BlockNumber block = 0;
};
struct ClaimExpired {
  static constexpr uint8_t kIndex = 10;
  static constexpr std::string_view kName = "ClaimExpired";
  static constexpr std::string_view kDocs =
      "A claim expired without a result: `slashed` of the provider's stake went to the treasury.";
  TaskId task_id = 0;
  AccountId32 provider;
  Balance slashed = 0;
  BlockNumber block = 0;
};
struct TaskReopened {
  static constexpr uint8_t kIndex = 11;
  static constexpr std::string_view kName = "TaskReopened";
  static constexpr std::string_view kDocs = "After an expired claim the task is open again until `deadline`.";
  TaskId task_id = 0;
  BlockNumber deadline = 0;
  BlockNumber block = 0;
};
struct TaskExpired {
  static constexpr uint8_t kIndex = 12;
  static constexpr std::string_view kName = "TaskExpired";
  static constexpr std::string_view kDocs =
      "A task reached its deadline without a result; `refund` went back to the requester.";
  TaskId task_id = 0;
  AccountId32 requester;
  Balance refund = 0;
  BlockNumber block = 0;
};
struct TransitionFailed {
  static constexpr uint8_t kIndex = 13;
  static constexpr std::string_view kName = "TransitionFailed";
  static constexpr std::string_view kDocs =
      "An automatic transition of a task failed (a broken invariant) and was rolled back; the task keeps its state.";
  TaskId task_id = 0;
  DispatchError error;
  BlockNumber block = 0;
};
BOOST_DESCRIBE_STRUCT(ProgramUploaded, (), (program, owner, size, deposit, block))
BOOST_DESCRIBE_STRUCT(ProviderRegistered, (), (provider, stake, price_per_task, block))
BOOST_DESCRIBE_STRUCT(ProviderUpdated, (), (provider, stake, price_per_task, block))
BOOST_DESCRIBE_STRUCT(ProviderUnbonding, (), (provider, stake, release_at, block))
BOOST_DESCRIBE_STRUCT(ProviderUnregistered, (), (provider, stake, block))
BOOST_DESCRIBE_STRUCT(TaskPosted, (), (task_id, requester, program, bounty, fuel_limit, input_size, deadline, block))
BOOST_DESCRIBE_STRUCT(TaskCancelled, (), (task_id, requester, refund, block))
BOOST_DESCRIBE_STRUCT(TaskClaimed, (), (task_id, provider, requester, bounty, expires_at, block))
BOOST_DESCRIBE_STRUCT(ResultSubmitted, (),
                      (task_id, provider, requester, status, output_hash, fuel_used, accept_by, block))
BOOST_DESCRIBE_STRUCT(TaskCompleted, (), (task_id, requester, provider, payout, protocol_fee, auto_accepted, block))
BOOST_DESCRIBE_STRUCT(ClaimExpired, (), (task_id, provider, slashed, block))
BOOST_DESCRIBE_STRUCT(TaskReopened, (), (task_id, deadline, block))
BOOST_DESCRIBE_STRUCT(TaskExpired, (), (task_id, requester, refund, block))
BOOST_DESCRIBE_STRUCT(TransitionFailed, (), (task_id, error, block))
using Event = std::variant<ProgramUploaded, ProviderRegistered, ProviderUpdated, ProviderUnbonding,
                           ProviderUnregistered, TaskPosted, TaskCancelled, TaskClaimed, ResultSubmitted, TaskCompleted,
                           ClaimExpired, TaskReopened, TaskExpired, TransitionFailed>;

// ---- errors ----
enum class Error : uint8_t {
  InvalidProgram = 0,
  ProgramTooLarge = 1,
  ForbiddenImport = 2,
  MissingExport = 3,
  ProgramLimitsExceeded = 4,
  ProgramNotFound = 5,
  AlreadyRegistered = 6,
  NotRegistered = 7,
  StakeTooLow = 8,
  ProviderNotActive = 9,
  TasksInFlight = 10,
  InputTooLarge = 11,
  OutputTooLarge = 12,
  InvalidFuelLimit = 13,
  ZeroBounty = 14,
  InvalidDeadline = 15,
  TaskNotFound = 16,
  TaskNotOpen = 17,
  NotRequester = 18,
  PriceAboveBounty = 19,
  OwnTask = 20,
  NotClaimant = 21,
  TaskNotClaimed = 22,
  FuelUsedExceedsLimit = 23,
  ResultNotSubmitted = 24,
};
BOOST_DESCRIBE_ENUM(Error, InvalidProgram, ProgramTooLarge, ForbiddenImport, MissingExport, ProgramLimitsExceeded,
                    ProgramNotFound, AlreadyRegistered, NotRegistered, StakeTooLow, ProviderNotActive, TasksInFlight,
                    InputTooLarge, OutputTooLarge, InvalidFuelLimit, ZeroBounty, InvalidDeadline, TaskNotFound,
                    TaskNotOpen, NotRequester, PriceAboveBounty, OwnTask, NotClaimant, TaskNotClaimed,
                    FuelUsedExceedsLimit, ResultNotSubmitted)
/// What each error means: the docs of the Error variants in the runtime metadata.
constexpr std::string_view metadata_docs(Error e) {
  switch (e) {
    case Error::InvalidProgram: return "Not a valid WebAssembly module, or it has a start section.";
    case Error::ProgramTooLarge: return "More code than params.max_program_bytes.";
    case Error::ForbiddenImport: return "Imports something outside the deterministic WASI subset.";
    case Error::MissingExport: return "No `_start` () -> () or no exported `memory`.";
    case Error::ProgramLimitsExceeded: return "Initial memory, a table or a function's locals above the limits.";
    case Error::ProgramNotFound: return "No program with that hash.";
    case Error::AlreadyRegistered: return "The signer is already a provider (or still unbonding).";
    case Error::NotRegistered: return "The signer is not a provider.";
    case Error::StakeTooLow: return "A stake below params.minimum_stake.";
    case Error::ProviderNotActive: return "The provider is unbonding.";
    case Error::TasksInFlight: return "The provider still has claimed or submitted tasks.";
    case Error::InputTooLarge: return "Input above params.max_input_bytes.";
    case Error::OutputTooLarge: return "Output above params.max_output_bytes.";
    case Error::InvalidFuelLimit: return "A fuel limit of 0 or above params.max_fuel.";
    case Error::ZeroBounty: return "A task must pay something.";
    case Error::InvalidDeadline: return "Zero deadline blocks, or a deadline past the last block number.";
    case Error::TaskNotFound: return "No task with that id.";
    case Error::TaskNotOpen: return "The task is not open (claimed, finished, or past its deadline).";
    case Error::NotRequester: return "Only the requester may do this.";
    case Error::PriceAboveBounty: return "The provider's price is above the task's bounty.";
    case Error::OwnTask: return "A provider cannot claim its own task.";
    case Error::NotClaimant: return "Only the provider that claimed the task may submit.";
    case Error::TaskNotClaimed: return "The task is not in the Claimed state.";
    case Error::FuelUsedExceedsLimit: return "Reported fuel above the task's limit.";
    case Error::ResultNotSubmitted: return "The task has no result awaiting acceptance.";
  }
  return "";
}

/// Genesis: {"params": {...}} with every field of Params (lowerCamelCase).
struct GenesisConfig {
  Params params;
};
BOOST_DESCRIBE_STRUCT(GenesisConfig, (), (params))

struct Module {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "TaskQueue";
  using Call = task_queue::Call;
  using Event = task_queue::Event;
  using Error = task_queue::Error;
  using Storage = std::tuple<ParamsItem, Programs, ProgramCode, Providers, NextTaskId, Tasks, TaskInputs, TaskOutputs,
                             OpenTasks, RequesterTasks, ProviderTasks, DueTasks, Unbonding>;
  using Constants = std::tuple<MaxCapabilities, MaxCapabilityBytes, MaxEndpointBytes>;
  using GenesisConfig = task_queue::GenesisConfig;
  static DispatchResult dispatch(Context& ctx, const Origin& origin, const Call& call);
  /// Stores the params. Precondition: validate_genesis(config) succeeded.
  static void build_genesis(runtime::storage::Overlay& state, const GenesisConfig& config);
  /// Rejects fractions above 100%, a zero acceptance window, claim timeout or max fuel, and zero byte
  /// bounds; the message names the field ("params.protocolFee: above 1000000 (100%)").
  static json::JsonResult validate_genesis(const GenesisConfig& config);
};

/// The automatic transitions of block `now`, called by the executive at the start of every block:
/// releases the stakes whose unbonding ends, expires unclaimed tasks at their deadline (refund),
/// slashes claims past their expiry (then re-opens or refunds the task), and completes submitted
/// tasks whose acceptance window ended. Touches only the tasks indexed under `now` in DueTasks and
/// Unbonding. Each transition runs in its own storage layer; one that fails (a broken invariant,
/// e.g. a missing treasury) is rolled back and reported with a TransitionFailed event.
void on_initialize(Context& ctx, BlockNumber now);

/// The stored params (the defaults of Params before genesis).
Params params(const runtime::storage::StorageReader& state);

}  // namespace bazaar::modules::task_queue
