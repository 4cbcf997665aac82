// The task life cycle: post, cancel, claim, submit, accept, and the automatic
// transitions of on_initialize (deadline, claim expiry, acceptance window).
// Each task has at most one DueTasks entry, at Task::due_at; schedule() keeps
// the two in step, so on_initialize reads only the tasks due in its block.

#include "modules/task_queue/handlers.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/primitives/arithmetic.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace bazaar::modules::task_queue::detail {
namespace {

using credits::HoldReason;

using runtime::saturating_add;

DispatchResultWith<Task> get_task(const runtime::storage::StorageReader& s, TaskId id) {
  auto task = Tasks::get(s, id);
  if (!task) return error(Error::TaskNotFound);
  return *task;
}

/// Moves the task's DueTasks entry to block `at` (0: none), for its current status.
void schedule(runtime::storage::Overlay& s, TaskId id, Task& task, BlockNumber at) {
  if (task.due_at != 0) DueTasks::remove(s, task.due_at, id);
  task.due_at = at;
  if (at != 0) DueTasks::put(s, at, id, task.status);
}

/// Bounty back to the requester; the task ends Expired.
DispatchResult expire(Context& ctx, TaskId id, Task task) {
  auto& s = ctx.state();
  BAZAAR_TRY(credits::release(ctx, HoldReason::TaskEscrow, task.requester, task.bounty));
  task.status = TaskStatus::Expired;
  schedule(s, id, task, 0);
  OpenTasks::remove(s, id);
  TaskInputs::remove(s, id);
  Tasks::put(s, id, task);
  deposit_event<Module>(ctx, TaskExpired{id, task.requester, task.bounty, ctx.block_number()});
  return outcome::success();
}

/// Pays the provider the bounty minus the protocol fee, and the fee to the treasury.
DispatchResult complete(Context& ctx, TaskId id, Task task, bool auto_accepted) {
  auto& s = ctx.state();
  const AccountId32 provider = *task.provider;
  const Balance fee = permill_of(task.bounty, params(s).protocol_fee);
  const Balance payout = task.bounty - fee;
  BAZAAR_TRY(credits::transfer_on_hold(ctx, HoldReason::TaskEscrow, task.requester, provider, payout));
  BAZAAR_TRY(credits::transfer_on_hold(ctx, HoldReason::TaskEscrow, task.requester, credits::treasury_account(), fee));
  const bool ok = task.result && task.result->status == ResultStatus::Ok;
  Providers::mutate(s, provider, [&](std::optional<Provider>& p) {
    if (!p) return;
    if (p->stats.in_flight > 0) --p->stats.in_flight;
    ++(ok ? p->stats.completed : p->stats.failed);
  });
  ProviderTasks::remove(s, provider, id);
  task.status = TaskStatus::Completed;
  schedule(s, id, task, 0);
  TaskInputs::remove(s, id);
  Tasks::put(s, id, task);
  deposit_event<Module>(ctx,
                        TaskCompleted{id, task.requester, provider, payout, fee, auto_accepted, ctx.block_number()});
  return outcome::success();
}

/// A claim expired without a result: slash the provider, then re-open or refund the task.
DispatchResult miss(Context& ctx, TaskId id, Task task) {
  auto& s = ctx.state();
  const BlockNumber now = ctx.block_number();
  const AccountId32 provider = *task.provider;
  auto record = Providers::get(s, provider);
  const Balance to_slash = record ? permill_of(record->stake, params(s).slash_fraction) : 0;
  BAZAAR_TRY(auto slashed,
             credits::slash_held(ctx, HoldReason::ProviderStake, provider, to_slash, credits::treasury_account()));
  if (record) {
    record->stake -= slashed;
    ++record->stats.missed_deadlines;
    if (record->stats.in_flight > 0) --record->stats.in_flight;
    Providers::put(s, provider, *record);
  }
  ProviderTasks::remove(s, provider, id);
  deposit_event<Module>(ctx, ClaimExpired{id, provider, slashed, now});

  task.provider.reset();
  task.claimed_at = 0;
  if (task.deadline <= now) return expire(ctx, id, task);
  task.status = TaskStatus::Open;
  ++task.reopened;
  schedule(s, id, task, task.deadline);
  OpenTasks::put(s, id, task.bounty);
  Tasks::put(s, id, task);
  deposit_event<Module>(ctx, TaskReopened{id, task.deadline, now});
  return outcome::success();
}

DispatchResult transition(Context& ctx, TaskId id, const Task& task) {
  switch (task.status) {
    case TaskStatus::Open: return expire(ctx, id, task);
    case TaskStatus::Claimed: return miss(ctx, id, task);
    case TaskStatus::Submitted: return complete(ctx, id, task, /*auto_accepted=*/true);
    default: return outcome::success();  // finished tasks have no due entry
  }
}

}  // namespace

DispatchResult handle(Context& ctx, const Origin& origin, const PostTask& call) {
  BAZAAR_TRY(auto requester, ensure_signed(origin));
  auto& s = ctx.state();
  const Params p = params(s);
  const BlockNumber now = ctx.block_number();
  if (!Programs::contains(s, call.program_hash)) return error(Error::ProgramNotFound);
  if (call.input.size() > p.max_input_bytes) return error(Error::InputTooLarge);
  if (call.fuel_limit.value == 0 || call.fuel_limit.value > p.max_fuel) return error(Error::InvalidFuelLimit);
  if (call.bounty.value == 0) return error(Error::ZeroBounty);
  if (call.deadline_blocks == 0 || call.deadline_blocks > std::numeric_limits<BlockNumber>::max() - now)
    return error(Error::InvalidDeadline);
  const TaskId id = NextTaskId::get(s);
  if (id == std::numeric_limits<TaskId>::max()) return overflow();
  BAZAAR_TRY(credits::hold(ctx, HoldReason::TaskEscrow, requester, call.bounty.value));

  Task task;
  task.requester = requester;
  task.program = call.program_hash;
  task.input_hash = runtime::crypto::blake2b_256(call.input);
  task.input_size = static_cast<uint32_t>(call.input.size());
  task.fuel_limit = call.fuel_limit.value;
  task.bounty = call.bounty.value;
  task.posted_at = now;
  task.deadline = now + call.deadline_blocks;
  task.status = TaskStatus::Open;
  schedule(s, id, task, task.deadline);
  Tasks::put(s, id, task);
  TaskInputs::put(s, id, call.input);
  OpenTasks::put(s, id, task.bounty);
  RequesterTasks::put(s, requester, id, now);
  NextTaskId::put(s, id + 1);
  deposit_event<Module>(
      ctx, TaskPosted{id, requester, task.program, task.bounty, task.fuel_limit, task.input_size, task.deadline, now});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const CancelTask& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  BAZAAR_TRY(auto task, get_task(s, call.task_id));
  if (task.requester != who) return error(Error::NotRequester);
  if (task.status != TaskStatus::Open) return error(Error::TaskNotOpen);
  BAZAAR_TRY(credits::release(ctx, HoldReason::TaskEscrow, who, task.bounty));
  task.status = TaskStatus::Cancelled;
  schedule(s, call.task_id, task, 0);
  OpenTasks::remove(s, call.task_id);
  TaskInputs::remove(s, call.task_id);
  Tasks::put(s, call.task_id, task);
  deposit_event<Module>(ctx, TaskCancelled{call.task_id, who, task.bounty, ctx.block_number()});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const ClaimTask& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  const Params p = params(s);
  const BlockNumber now = ctx.block_number();
  auto provider = Providers::get(s, who);
  if (!provider) return error(Error::NotRegistered);
  if (provider->status != ProviderStatus::Active) return error(Error::ProviderNotActive);
  if (provider->stake < p.minimum_stake) return error(Error::StakeTooLow);
  BAZAAR_TRY(auto task, get_task(s, call.task_id));
  if (task.status != TaskStatus::Open || task.deadline <= now) return error(Error::TaskNotOpen);
  if (task.requester == who) return error(Error::OwnTask);
  if (provider->price_per_task > task.bounty) return error(Error::PriceAboveBounty);

  const BlockNumber expires_at =
      std::min(saturating_add(now, std::max<BlockNumber>(p.claim_timeout, 1)), task.deadline);
  task.status = TaskStatus::Claimed;
  task.provider = who;
  task.claimed_at = now;
  schedule(s, call.task_id, task, expires_at);
  Tasks::put(s, call.task_id, task);
  OpenTasks::remove(s, call.task_id);
  ProviderTasks::put(s, who, call.task_id, now);
  ++provider->stats.in_flight;
  Providers::put(s, who, *provider);
  deposit_event<Module>(ctx, TaskClaimed{call.task_id, who, task.requester, task.bounty, expires_at, now});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const SubmitResult& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  auto& s = ctx.state();
  const Params p = params(s);
  const BlockNumber now = ctx.block_number();
  BAZAAR_TRY(auto task, get_task(s, call.task_id));
  if (task.status != TaskStatus::Claimed) return error(Error::TaskNotClaimed);
  if (task.provider != who) return error(Error::NotClaimant);
  if (call.output.size() > p.max_output_bytes) return error(Error::OutputTooLarge);
  if (call.fuel_used.value > task.fuel_limit) return error(Error::FuelUsedExceedsLimit);

  const BlockNumber accept_by = saturating_add(now, std::max<BlockNumber>(p.acceptance_window, 1));
  const H256 output_hash = runtime::crypto::blake2b_256(call.output);
  task.result =
      TaskResult{call.status, output_hash, static_cast<uint32_t>(call.output.size()), call.fuel_used.value, now};
  task.status = TaskStatus::Submitted;
  schedule(s, call.task_id, task, accept_by);
  Tasks::put(s, call.task_id, task);
  TaskOutputs::put(s, call.task_id, call.output);
  deposit_event<Module>(ctx, ResultSubmitted{call.task_id, who, task.requester, call.status, output_hash,
                                             call.fuel_used.value, accept_by, now});
  return outcome::success();
}

DispatchResult handle(Context& ctx, const Origin& origin, const AcceptResult& call) {
  BAZAAR_TRY(auto who, ensure_signed(origin));
  BAZAAR_TRY(auto task, get_task(ctx.state(), call.task_id));
  if (task.requester != who) return error(Error::NotRequester);
  if (task.status != TaskStatus::Submitted) return error(Error::ResultNotSubmitted);
  return with_layer(ctx, [&] { return complete(ctx, call.task_id, task, /*auto_accepted=*/false); });
}

void process_due_tasks(Context& ctx, BlockNumber now) {
  auto& s = ctx.state();
  std::vector<TaskId> due;
  DueTasks::for_each_in(s, now, [&](TaskId id, TaskStatus) {
    due.push_back(id);
    return true;
  });
  for (TaskId id : due) {
    auto task = Tasks::get(s, id);
    if (!task || task->due_at != now) continue;
    auto r = with_layer(ctx, [&] { return transition(ctx, id, *task); });
    if (!r) deposit_event<Module>(ctx, TransitionFailed{id, r.error(), now});
  }
  DueTasks::remove_prefix(s, now);
}

}  // namespace bazaar::modules::task_queue::detail
