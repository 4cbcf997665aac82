// upload_program: content-addressed program storage with a deposit per byte.

#include "modules/task_queue/handlers.hpp"

#include "runtime/crypto/hash.hpp"
#include "runtime/wasm/program.hpp"

#include <limits>

namespace bazaar::modules::task_queue::detail {
namespace {

Error to_module_error(runtime::wasm::ProgramError e) {
  using runtime::wasm::ProgramError;
  switch (e) {
    case ProgramError::TooLarge: return Error::ProgramTooLarge;
    case ProgramError::ForbiddenImport: return Error::ForbiddenImport;
    case ProgramError::MissingStart:
    case ProgramError::MissingMemory: return Error::MissingExport;
    case ProgramError::MemoryTooLarge:
    case ProgramError::TableTooLarge:
    case ProgramError::TooManyLocals: return Error::ProgramLimitsExceeded;
    case ProgramError::Malformed:
    case ProgramError::StartSection: break;
  }
  return Error::InvalidProgram;
}

}  // namespace

DispatchResult handle(Context& ctx, const Origin& origin, const UploadProgram& call) {
  BAZAAR_TRY(auto owner, ensure_signed(origin));
  auto& s = ctx.state();
  const H256 hash = runtime::crypto::blake2b_256(call.code);
  if (Programs::contains(s, hash)) return outcome::success();  // the same code is already stored

  const Params p = params(s);
  runtime::wasm::ProgramLimits limits;
  limits.max_code_bytes = p.max_program_bytes;
  runtime::wasm::ProgramRejection rejection;
  if (!runtime::wasm::validate_program(call.code, limits, &rejection)) return error(to_module_error(rejection.code));

  const auto size = static_cast<uint32_t>(call.code.size());  // <= max_program_bytes (u32)
  if (p.program_deposit_per_byte != 0 && size > std::numeric_limits<Balance>::max() / p.program_deposit_per_byte)
    return overflow();
  const Balance deposit = p.program_deposit_per_byte * size;
  BAZAAR_TRY(credits::hold(ctx, credits::HoldReason::ProgramDeposit, owner, deposit));
  Programs::put(s, hash, Program{owner, deposit, size, ctx.block_number()});
  ProgramCode::put(s, hash, call.code);
  deposit_event<Module>(ctx, ProgramUploaded{hash, owner, size, deposit, ctx.block_number()});
  return outcome::success();
}

}  // namespace bazaar::modules::task_queue::detail
