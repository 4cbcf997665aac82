// state_call, state_getMetadata and the methods answered by runtime API calls
// (payment_*, system_dryRun). JSON shapes as Substrate's RPC serializes them:
// pallet-transaction-payment-rpc (RuntimeDispatchInfo with partialFee as a
// decimal string; FeeDetails with hex balances and no tip) and
// substrate/client/rpc/src/system (system_dryRun: hex of ApplyExtrinsicResult).

#include "rpc/methods/json_format.hpp"
#include "rpc/methods/methods.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/primitives/types.hpp"

#include <fmt/format.h>

namespace bazaar::rpc {

namespace {

using runtime::Bytes;
using runtime::H256;
using runtime::to_hex;
namespace codec = runtime::codec;

/// The runtime API call's SCALE result, or its error in JSON-RPC terms.
RpcResult<Bytes> call_at(ChainPort& chain, StatePort& state, const std::optional<H256>& at, const std::string& method,
                         runtime::ByteSpan args) {
  auto out = state.call(at ? *at : chain.best_hash(), method, args);
  if (!out) return port_error_to_rpc(out.error());
  return std::move(out).value();
}

/// Extrinsic bytes ++ u32 LE length: the arguments of TransactionPaymentApi_query_*.
Bytes fee_query_args(const Bytes& extrinsic) {
  codec::Encoder e;
  e.write(extrinsic);
  codec::encode_to(e, static_cast<uint32_t>(extrinsic.size()));
  return e.take();
}

/// A u128 as NumberOrHex::Hex serializes it: "0x" + lowercase hex without leading zeros.
std::string balance_hex(runtime::u128 v) {
  if (v == 0) return "0x0";
  std::string digits;
  while (v != 0) {
    digits.insert(digits.begin(), "0123456789abcdef"[static_cast<unsigned>(v & 0xf)]);
    v >>= 4;
  }
  return "0x" + digits;
}

RpcError undecodable(const char* what, const boost::system::error_code& ec) {
  return RpcError::internal(fmt::format("the runtime's {} does not decode: {}", what, ec.message()));
}

/// RuntimeDispatchInfo {weight, class, partial_fee} from SCALE to Substrate's JSON.
RpcResult<nlohmann::json> dispatch_info_json(const Bytes& scale) {
  codec::Decoder d(scale);
  runtime::Weight weight;
  uint8_t dispatch_class = 0;
  runtime::u128 fee = 0;
  if (auto r = codec::decode_from(d, weight); !r) return undecodable("RuntimeDispatchInfo", r.error());
  if (auto r = codec::decode_from(d, dispatch_class); !r) return undecodable("RuntimeDispatchInfo", r.error());
  if (auto r = codec::decode_from(d, fee); !r) return undecodable("RuntimeDispatchInfo", r.error());
  static constexpr const char* kClasses[] = {"normal", "operational", "mandatory"};
  if (dispatch_class > 2) return RpcError::internal("the runtime returned an unknown dispatch class");
  return nlohmann::json{{"weight", {{"ref_time", weight.ref_time}, {"proof_size", weight.proof_size}}},
                        {"class", kClasses[dispatch_class]},
                        {"partialFee", runtime::u128_to_string(fee)}};
}

/// FeeDetails {inclusion_fee: Option<{base_fee, len_fee, adjusted_weight_fee}>, tip} to JSON (tip not serialized).
RpcResult<nlohmann::json> fee_details_json(const Bytes& scale) {
  codec::Decoder d(scale);
  std::optional<std::tuple<runtime::u128, runtime::u128, runtime::u128>> inclusion;
  if (auto r = codec::decode_from(d, inclusion); !r) return undecodable("FeeDetails", r.error());
  if (!inclusion) return nlohmann::json{{"inclusionFee", nullptr}};
  const auto& [base, len, weight] = *inclusion;
  return nlohmann::json{
      {"inclusionFee",
       {{"baseFee", balance_hex(base)}, {"lenFee", balance_hex(len)}, {"adjustedWeightFee", balance_hex(weight)}}}};
}

}  // namespace

void register_runtime_methods(MethodRegistry& registry, ChainPort& chain, StatePort& state) {
  registry.add("state_call",
               "Calls a runtime API (\"Core_version\", \"Metadata_metadata_at_version\", ...) with SCALE arguments "
               "at a block (best if omitted); its SCALE result as hex",
               {"name", "bytes", "hash?"},
               [&chain, &state](const std::string& name, HexBytes bytes,
                                std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(auto out, call_at(chain, state, hash, name, bytes.bytes));
                 return nlohmann::json(to_hex(out));
               });
  registry.alias("state_callAt", "state_call");

  registry.add("state_getMetadata",
               "The runtime's metadata at a block (best if omitted): RuntimeMetadataPrefixed (\"meta\", version 14, "
               "body) as hex, not length-prefixed",
               {"hash?"}, [&chain, &state](std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 auto out = state.metadata(hash ? *hash : chain.best_hash());
                 if (!out) return port_error_to_rpc(out.error());
                 return nlohmann::json(to_hex(out.value()));
               });

  registry.add("payment_queryInfo",
               "Weight, class and fee (without tip) of an encoded extrinsic at a block (best if omitted): "
               "{weight: {ref_time, proof_size}, class, partialFee}",
               {"extrinsic", "hash?"},
               [&chain, &state](HexBytes extrinsic, std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(auto out, call_at(chain, state, hash, "TransactionPaymentApi_query_info",
                                              fee_query_args(extrinsic.bytes)));
                 return dispatch_info_json(out);
               });

  registry.add("payment_queryFeeDetails",
               "The parts of an encoded extrinsic's fee at a block (best if omitted): {inclusionFee: null | "
               "{baseFee, lenFee, adjustedWeightFee}} (hex balances)",
               {"extrinsic", "hash?"},
               [&chain, &state](HexBytes extrinsic, std::optional<H256> hash) -> RpcResult<nlohmann::json> {
                 BAZAAR_TRY(auto out, call_at(chain, state, hash, "TransactionPaymentApi_query_fee_details",
                                              fee_query_args(extrinsic.bytes)));
                 return fee_details_json(out);
               });

  registry.add(
      "system_dryRun",
      "Applies an encoded extrinsic in a scratch block on top of a block (best if omitted) and discards the "
      "result: hex of the SCALE ApplyExtrinsicResult",
      {"extrinsic", "at?"},
      [&chain, &state](HexBytes extrinsic, std::optional<H256> at) -> RpcResult<nlohmann::json> {
        BAZAAR_TRY(auto out, call_at(chain, state, at, "BlockBuilder_apply_extrinsic", extrinsic.bytes));
        return nlohmann::json(to_hex(out));
      },
      MethodSafety::Unsafe);
  registry.alias("system_dryRunAt", "system_dryRun");
}

}  // namespace bazaar::rpc
