#pragma once
// Internal to the task_queue module: the call handlers (one .cpp per area:
// programs, providers, tasks) and the pieces of on_initialize.

#include "modules/task_queue/task_queue.hpp"

namespace bazaar::modules::task_queue::detail {

DispatchError error(Error e);
DispatchError overflow();

/// Runs f inside its own storage layer: its writes are kept only if it succeeds
/// (frame_support's with_storage_layer), so multi-step changes are all-or-nothing.
template <class F>
DispatchResult with_layer(Context& ctx, F&& f) {
  ctx.state().start_transaction();
  DispatchResult r = f();
  if (r) {
    ctx.state().commit_transaction();
  } else {
    ctx.state().rollback_transaction();
  }
  return r;
}

// programs.cpp
DispatchResult handle(Context& ctx, const Origin& origin, const UploadProgram& call);

// providers.cpp
DispatchResult handle(Context& ctx, const Origin& origin, const RegisterProvider& call);
DispatchResult handle(Context& ctx, const Origin& origin, const UpdateProvider& call);
DispatchResult handle(Context& ctx, const Origin& origin, const UnregisterProvider& call);
/// Releases the stakes whose unbonding ends at `now` and removes those providers.
void release_unbonded(Context& ctx, BlockNumber now);

// tasks.cpp
DispatchResult handle(Context& ctx, const Origin& origin, const PostTask& call);
DispatchResult handle(Context& ctx, const Origin& origin, const CancelTask& call);
DispatchResult handle(Context& ctx, const Origin& origin, const ClaimTask& call);
DispatchResult handle(Context& ctx, const Origin& origin, const SubmitResult& call);
DispatchResult handle(Context& ctx, const Origin& origin, const AcceptResult& call);
/// Applies the automatic transitions of the tasks in DueTasks under `now`.
void process_due_tasks(Context& ctx, BlockNumber now);

}  // namespace bazaar::modules::task_queue::detail
