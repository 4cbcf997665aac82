#include "modules/composition/runtime_api.hpp"

#include "modules/composition/metadata.hpp"
#include "modules/composition/runtime.hpp"
#include "runtime/codec/scale.hpp"
#include "runtime/primitives/arithmetic.hpp"

#include <algorithm>
#include <functional>
#include <map>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::modules::composition, RuntimeApiError, "runtime-api", to_string)

namespace bazaar::modules::composition {

const char* to_string(RuntimeApiError e) {
  switch (e) {
    case RuntimeApiError::UnknownMethod: return "unknown runtime API method";
    case RuntimeApiError::BadArguments: return "malformed runtime API arguments";
    case RuntimeApiError::ExecutionFailed: return "runtime API call failed";
  }
  return "unknown runtime API error";
}

namespace {

namespace codec = runtime::codec;
using runtime::InvalidTransaction;
using runtime::TransactionValidityError;
using runtime::UnknownTransaction;

/// The metadata versions this runtime has (Metadata_metadata_versions).
constexpr uint32_t kMetadataVersion = 14;

/// sp_inherents::InherentIdentifier of the timestamp inherent.
constexpr std::array<uint8_t, 8> kTimestampInherent = {'t', 'i', 'm', 's', 't', 'a', 'p', '0'};

using Failure = RuntimeApiFailure;
using ApiResult = RuntimeApiResult<Bytes>;
using Handler = std::function<ApiResult(const RuntimeApiAt&, codec::Decoder&)>;

/// Decodes one argument of `method`; BadArguments with the codec's reason otherwise.
template <class T>
RuntimeApiResult<T> arg(codec::Decoder& d, std::string_view method, const char* name) {
  T value{};
  if (auto r = codec::decode_from(d, value); !r)
    return Failure{RuntimeApiError::BadArguments, "failed to decode argument '" + std::string(name) + "' of " +
                                                      std::string(method) + ": " + r.error().message()};
  return value;
}

/// An extrinsic argument: its own encoding (compact length, then the body), kept whole.
RuntimeApiResult<Bytes> extrinsic_arg(codec::Decoder& d, std::string_view method) {
  auto xt = arg<runtime::OpaqueExtrinsic>(d, method, "extrinsic");
  if (!xt) return xt.error();
  return std::move(xt).value().encoded;
}

template <class T>
Bytes encoded(const T& v) {
  return codec::encode(v);
}

void encode_validity_error(codec::Encoder& e, const TransactionValidityError& err) {
  e.push(static_cast<uint8_t>(err.error.index()));  // 0 Invalid, 1 Unknown
  std::visit(
      [&](auto inner) {
        e.push(static_cast<uint8_t>(inner));
        // Custom(u8) carries a byte; ours never sets one.
        if constexpr (std::is_same_v<decltype(inner), InvalidTransaction>) {
          if (inner == InvalidTransaction::Custom) e.push(0);
        } else {
          if (inner == UnknownTransaction::Custom) e.push(0);
        }
      },
      err.error);
}

ApiResult core_version(const RuntimeApiAt&, codec::Decoder&) { return encode_runtime_version(runtime_version()); }

ApiResult core_execute_block(const RuntimeApiAt& at, codec::Decoder& d) {
  auto block = arg<Block>(d, "Core_execute_block", "block");
  if (!block) return block.error();
  if (block.value().header.parent_hash != at.hash)
    return Failure{RuntimeApiError::ExecutionFailed, "the block's parent is not the block the call runs at"};
  auto changes = execute_block(at.state, block.value());
  if (!changes) return Failure{RuntimeApiError::ExecutionFailed, "invalid block: " + changes.error()};
  return Bytes{};
}

ApiResult metadata_metadata(const RuntimeApiAt&, codec::Decoder&) { return encoded(metadata_v14_bytes()); }

ApiResult metadata_versions(const RuntimeApiAt&, codec::Decoder&) {
  return encoded(std::vector<uint32_t>{kMetadataVersion});
}

ApiResult metadata_at_version(const RuntimeApiAt&, codec::Decoder& d) {
  auto version = arg<uint32_t>(d, "Metadata_metadata_at_version", "version");
  if (!version) return version.error();
  std::optional<Bytes> out;
  if (version.value() == kMetadataVersion) out = metadata_v14_bytes();
  return encoded(out);
}

ApiResult apply_extrinsic(const RuntimeApiAt& at, codec::Decoder& d) {
  auto xt = extrinsic_arg(d, "BlockBuilder_apply_extrinsic");
  if (!xt) return xt.error();
  return encode_apply_result(dry_run_extrinsic(at.state, at.hash, xt.value()));
}

ApiResult inherent_extrinsics(const RuntimeApiAt& at, codec::Decoder& d) {
  using Data = std::vector<std::pair<std::array<uint8_t, 8>, Bytes>>;  // BTreeMap<InherentIdentifier, Vec<u8>>
  auto data = arg<Data>(d, "BlockBuilder_inherent_extrinsics", "inherent_data");
  if (!data) return data.error();
  auto it = std::find_if(data.value().begin(), data.value().end(),
                         [](const auto& entry) { return entry.first == kTimestampInherent; });
  if (it == data.value().end())
    return Failure{RuntimeApiError::ExecutionFailed, "the inherent data has no timestamp (\"timstap0\")"};
  auto moment = codec::decode<runtime::Moment>(it->second);
  if (!moment)
    return Failure{RuntimeApiError::BadArguments, "the timestamp inherent is not a u64: " + moment.error().message()};
  Header next;
  next.parent_hash = at.hash;
  next.number.value = at.header.number.value + 1;
  BlockExecutor executor(at.state, next);
  std::vector<runtime::OpaqueExtrinsic> out;
  for (auto& xt : executor.create_inherents(InherentData{moment.value()})) out.push_back({std::move(xt)});
  return encoded(out);
}

ApiResult validate(const RuntimeApiAt& at, codec::Decoder& d) {
  constexpr std::string_view kMethod = "TaggedTransactionQueue_validate_transaction";
  auto source = arg<uint8_t>(d, kMethod, "source");
  if (!source) return source.error();
  if (source.value() > static_cast<uint8_t>(TransactionSource::External))
    return Failure{RuntimeApiError::BadArguments,
                   "failed to decode argument 'source' of " + std::string(kMethod) + ": no TransactionSource " +
                       std::to_string(source.value())};
  auto xt = extrinsic_arg(d, kMethod);
  if (!xt) return xt.error();
  auto block_hash = arg<H256>(d, kMethod, "block_hash");
  if (!block_hash) return block_hash.error();
  return encode_validity(validate_transaction(at.state, static_cast<TransactionSource>(source.value()), xt.value(),
                                              block_hash.value()));
}

ApiResult aura_slot_duration(const RuntimeApiAt& at, codec::Decoder&) {
  return encoded(slot_duration_ms(at.state));
}

ApiResult aura_authorities_api(const RuntimeApiAt& at, codec::Decoder&) {
  return encoded(aura_authorities(at.state));
}

ApiResult account_nonce_api(const RuntimeApiAt& at, codec::Decoder& d) {
  auto who = arg<AccountId32>(d, "AccountNonceApi_account_nonce", "account");
  if (!who) return who.error();
  return encoded(account_nonce(at.state, who.value()));
}

ApiResult payment_query_info(const RuntimeApiAt& at, codec::Decoder& d) {
  auto xt = extrinsic_arg(d, "TransactionPaymentApi_query_info");
  if (!xt) return xt.error();
  auto len = arg<uint32_t>(d, "TransactionPaymentApi_query_info", "len");
  if (!len) return len.error();
  auto info = query_info(at.state, xt.value(), len.value());
  if (!info) return Failure{RuntimeApiError::ExecutionFailed, info.error()};
  codec::Encoder e;  // RuntimeDispatchInfo {weight, class, partial_fee}
  codec::encode_to(e, info.value().weight);
  codec::encode_to(e, info.value().dispatch_class);
  codec::encode_to(e, info.value().partial_fee);
  return e.take();
}

ApiResult payment_fee_details(const RuntimeApiAt& at, codec::Decoder& d) {
  auto xt = extrinsic_arg(d, "TransactionPaymentApi_query_fee_details");
  if (!xt) return xt.error();
  auto len = arg<uint32_t>(d, "TransactionPaymentApi_query_fee_details", "len");
  if (!len) return len.error();
  auto details = query_fee_details(at.state, xt.value(), len.value());
  if (!details) return Failure{RuntimeApiError::ExecutionFailed, details.error()};
  codec::Encoder e;  // FeeDetails {inclusion_fee: Option<InclusionFee>, tip}
  const auto& fee = details.value().inclusion_fee;
  e.push(fee ? 1 : 0);
  if (fee) {
    codec::encode_to(e, fee->base_fee);
    codec::encode_to(e, fee->len_fee);
    codec::encode_to(e, fee->adjusted_weight_fee);
  }
  codec::encode_to(e, details.value().tip);
  return e.take();
}

ApiResult payment_weight_to_fee(const RuntimeApiAt& at, codec::Decoder& d) {
  auto weight = arg<runtime::Weight>(d, "TransactionPaymentApi_query_weight_to_fee", "weight");
  if (!weight) return weight.error();
  auto p = transaction_payment::Params::get(at.state);
  return encoded(runtime::saturating_mul(p.weight_fee, runtime::Balance{weight.value().ref_time}) / 1'000'000);
}

ApiResult payment_length_to_fee(const RuntimeApiAt& at, codec::Decoder& d) {
  auto length = arg<uint32_t>(d, "TransactionPaymentApi_query_length_to_fee", "length");
  if (!length) return length.error();
  auto p = transaction_payment::Params::get(at.state);
  return encoded(runtime::saturating_mul(p.byte_fee, runtime::Balance{length.value()}));
}

const std::map<std::string, Handler, std::less<>>& handlers() {
  static const std::map<std::string, Handler, std::less<>> table = {
      {"Core_version", core_version},
      {"Core_execute_block", core_execute_block},
      {"Metadata_metadata", metadata_metadata},
      {"Metadata_metadata_versions", metadata_versions},
      {"Metadata_metadata_at_version", metadata_at_version},
      {"BlockBuilder_apply_extrinsic", apply_extrinsic},
      {"BlockBuilder_inherent_extrinsics", inherent_extrinsics},
      {"TaggedTransactionQueue_validate_transaction", validate},
      {"AuraApi_slot_duration", aura_slot_duration},
      {"AuraApi_authorities", aura_authorities_api},
      {"AccountNonceApi_account_nonce", account_nonce_api},
      {"TransactionPaymentApi_query_info", payment_query_info},
      {"TransactionPaymentApi_query_fee_details", payment_fee_details},
      {"TransactionPaymentApi_query_weight_to_fee", payment_weight_to_fee},
      {"TransactionPaymentApi_query_length_to_fee", payment_length_to_fee},
  };
  return table;
}

}  // namespace

RuntimeApiResult<Bytes> call_runtime_api(const RuntimeApiAt& at, std::string_view method,
                                                           ByteSpan args) {
  const auto& table = handlers();
  auto it = table.find(method);
  if (it == table.end())
    return Failure{RuntimeApiError::UnknownMethod, "exported method " + std::string(method) + " is not found"};
  codec::Decoder d(args);
  auto out = it->second(at, d);
  if (!out) return out;
  if (!d.at_end())
    return Failure{RuntimeApiError::BadArguments, "bad arguments to " + std::string(method) + ": " +
                                                      std::to_string(d.remaining()) + " bytes left over"};
  return out;
}

std::vector<std::string> runtime_api_methods() {
  std::vector<std::string> out;
  for (const auto& [name, handler] : handlers()) out.push_back(name);
  return out;
}

Bytes encode_runtime_version(const RuntimeVersion& v) {
  codec::Encoder e;
  codec::encode_to(e, v.spec_name);
  codec::encode_to(e, v.impl_name);
  codec::encode_to(e, v.authoring_version);
  codec::encode_to(e, v.spec_version);
  codec::encode_to(e, v.impl_version);
  codec::encode_to(e, v.apis);
  codec::encode_to(e, v.transaction_version);
  codec::encode_to(e, v.state_version);
  return e.take();
}

Bytes encode_apply_result(const ApplyExtrinsicResult& result) {
  codec::Encoder e;
  if (const auto* outcome = std::get_if<DispatchOutcome>(&result)) {
    e.push(0);
    e.push(*outcome ? 1 : 0);
    if (*outcome) codec::encode_to(e, **outcome);
  } else {
    e.push(1);
    encode_validity_error(e, std::get<TransactionValidityError>(result));
  }
  return e.take();
}

Bytes encode_validity(const TransactionValidity& validity) {
  codec::Encoder e;
  if (const auto* valid = std::get_if<runtime::ValidTransaction>(&validity)) {
    e.push(0);
    codec::encode_to(e, valid->priority);
    codec::encode_to(e, valid->requires_tags);
    codec::encode_to(e, valid->provides_tags);
    codec::encode_to(e, valid->longevity);
    codec::encode_to(e, valid->propagate);
  } else {
    e.push(1);
    encode_validity_error(e, std::get<TransactionValidityError>(validity));
  }
  return e.take();
}

}  // namespace bazaar::modules::composition
