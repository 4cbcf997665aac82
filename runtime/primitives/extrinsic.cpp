#include "runtime/primitives/extrinsic.hpp"

#include "runtime/crypto/hash.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime, ExtrinsicError, "extrinsic", to_string)

namespace bazaar::runtime {

const char* to_string(ExtrinsicError e) {
  switch (e) {
    case ExtrinsicError::BadLengthPrefix: return "Invalid length prefix";
    case ExtrinsicError::UnsupportedVersion: return "Invalid transaction version";
    case ExtrinsicError::EmptyCall: return "extrinsic has no call";
    case ExtrinsicError::InvalidEra: return "Invalid period and phase";
  }
  return "unknown extrinsic error";
}

Bytes encode_extrinsic(const UncheckedExtrinsic& xt) {
  codec::Encoder body;
  if (xt.signature) {
    body.push(kSignedExtrinsicVersion);
    codec::encode_to(body, xt.signature->signer);
    codec::encode_to(body, xt.signature->signature);
    codec::encode_to(body, xt.signature->extra);
  } else {
    body.push(kBareExtrinsicVersion);
  }
  body.write(xt.call);
  codec::Encoder out;
  codec::encode_compact(out, body.size());
  out.write(body.bytes());
  return out.take();
}

Result<UncheckedExtrinsic> decode_extrinsic(ByteSpan full) {
  codec::Decoder d(full);
  BAZAAR_TRY(auto len, codec::decode_length(d));
  if (len != d.remaining()) return ExtrinsicError::BadLengthPrefix;
  BAZAAR_TRY(auto version, d.read_byte());
  UncheckedExtrinsic xt;
  if (version == kSignedExtrinsicVersion) {
    UncheckedExtrinsic::SignaturePart part;
    BAZAAR_TRY(codec::decode_from(d, part.signer));
    BAZAAR_TRY(codec::decode_from(d, part.signature));
    BAZAAR_TRY(codec::decode_from(d, part.extra));
    xt.signature = std::move(part);
  } else if (version != kBareExtrinsicVersion) {
    return ExtrinsicError::UnsupportedVersion;
  }
  if (d.at_end()) return ExtrinsicError::EmptyCall;
  auto call = d.rest();
  xt.call.assign(call.begin(), call.end());
  return xt;
}

H256 extrinsic_hash(ByteSpan full_encoding) { return crypto::blake2b_256(full_encoding); }

Bytes signing_payload(ByteSpan call, const SignedExtra& extra, const AdditionalSigned& additional) {
  codec::Encoder e;
  e.write(call);
  codec::encode_to(e, extra);
  codec::encode_to(e, additional);
  if (e.size() > kMaxUnhashedPayload) {
    auto h = crypto::blake2b_256(e.bytes());
    return Bytes(h.begin(), h.end());
  }
  return e.take();
}

UncheckedExtrinsic sign_extrinsic(const crypto::Keypair& pair, Bytes call, SignedExtra extra,
                                  const AdditionalSigned& additional) {
  auto signature = pair.sign(signing_payload(call, extra, additional));
  UncheckedExtrinsic xt;
  xt.signature = UncheckedExtrinsic::SignaturePart{
      MultiAddressId{pair.account_id()}, MultiSignatureEcdsa{signature}, std::move(extra)};
  xt.call = std::move(call);
  return xt;
}

bool verify_extrinsic_signature(const UncheckedExtrinsic& xt, const AdditionalSigned& additional) {
  if (!xt.signature) return false;
  const auto* who = std::get_if<MultiAddressId>(&xt.signature->signer);
  const auto* sig = std::get_if<MultiSignatureEcdsa>(&xt.signature->signature);
  if (!who || !sig) return false;
  return crypto::verify(sig->signature, signing_payload(xt.call, xt.signature->extra, additional), who->account);
}

std::optional<AccountId32> signer_account(const UncheckedExtrinsic& xt) {
  if (!xt.signature) return std::nullopt;
  const auto* who = std::get_if<MultiAddressId>(&xt.signature->signer);
  if (!who) return std::nullopt;
  return who->account;
}

}  // namespace bazaar::runtime
