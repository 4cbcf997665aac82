#pragma once
// The runtime APIs by name, as `state_call` reaches them: "<Api>_<method>"
// with SCALE-encoded arguments in, SCALE-encoded result out, exactly as a
// Substrate runtime's wasm exports answer (sp_api's decl_runtime_apis; the
// byte layouts are in /work/shared/spec/polkadot-js-compat.md §2.2, §8).
//
// Served (every API listed in runtime_version().apis has its methods here):
//   Core_version () -> RuntimeVersion
//   Core_execute_block (Block) -> ()                      checks the block on the state at `at` (its parent)
//   Metadata_metadata () -> OpaqueMetadata (Vec<u8>)
//   Metadata_metadata_versions () -> Vec<u32>            [14]
//   Metadata_metadata_at_version (u32) -> Option<OpaqueMetadata>   None for versions other than 14
//   BlockBuilder_apply_extrinsic (Extrinsic) -> ApplyExtrinsicResult   a dry run in the block after `at`
//   BlockBuilder_inherent_extrinsics (InherentData) -> Vec<Extrinsic>
//   TaggedTransactionQueue_validate_transaction (TransactionSource, Extrinsic, H256) -> TransactionValidity
//   AuraApi_slot_duration () -> u64;  AuraApi_authorities () -> Vec<[u8; 33]>
//   AccountNonceApi_account_nonce (AccountId32) -> u32
//   TransactionPaymentApi_query_info (Extrinsic, u32) -> RuntimeDispatchInfo (weight v2, class, partial_fee)
//   TransactionPaymentApi_query_fee_details (Extrinsic, u32) -> FeeDetails
//   TransactionPaymentApi_query_weight_to_fee (Weight) -> u128;  TransactionPaymentApi_query_length_to_fee (u32) -> u128
// An `Extrinsic` argument is the extrinsic's own encoding (with its compact
// length prefix), as in a block body. Core_initialize_block,
// BlockBuilder_finalize_block and BlockBuilder_check_inherents act on a block
// under construction, which a stateless call does not have: not served.

#include "modules/composition/executive.hpp"
#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"
#include "runtime/storage/storage.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bazaar::modules::composition {

/// Why a runtime API call failed.
enum class RuntimeApiError {
  UnknownMethod = 1,  ///< no such "<Api>_<method>"
  BadArguments,       ///< the arguments are not the SCALE encoding the method takes (or have bytes left over)
  ExecutionFailed,    ///< the method ran and failed (an invalid block, ...)
};
const char* to_string(RuntimeApiError e);

/// A failure with a message for the caller ("Failed to decode arguments of X: ...").
struct RuntimeApiFailure {
  RuntimeApiError error = RuntimeApiError::ExecutionFailed;
  std::string message;
};

/// A runtime API answer or its failure (reading the value of a failure terminates: a bug).
template <class T>
using RuntimeApiResult = outcome::result<T, RuntimeApiFailure, outcome::policy::terminate>;

/// The block a runtime API call runs at: its hash and header, and the state after it.
struct RuntimeApiAt {
  const runtime::storage::StorageReader& state;
  H256 hash;
  Header header;
};

/// Calls `method` with SCALE `args` at block `at`. Deterministic and read-only.
RuntimeApiResult<Bytes> call_runtime_api(const RuntimeApiAt& at, std::string_view method,
                                                           ByteSpan args);

/// Every method call_runtime_api serves, sorted.
std::vector<std::string> runtime_api_methods();

/// SCALE of sp_version::RuntimeVersion (Core v4 layout, state_version as u8).
Bytes encode_runtime_version(const RuntimeVersion& version);

/// SCALE of sp_runtime::ApplyExtrinsicResult: Result<Result<(), DispatchError>, TransactionValidityError>.
Bytes encode_apply_result(const ApplyExtrinsicResult& result);

/// SCALE of sp_runtime::TransactionValidity: Result<ValidTransaction, TransactionValidityError>.
Bytes encode_validity(const TransactionValidity& validity);

}  // namespace bazaar::modules::composition

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::modules::composition, RuntimeApiError)
