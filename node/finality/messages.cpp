#include "node/finality/messages.hpp"

#include "node/finality/error.hpp"
#include "runtime/crypto/hash.hpp"

#include <string_view>

namespace bazaar::node::finality {

namespace codec = runtime::codec;

namespace {

constexpr std::string_view kSigningContext = "bazaar/grandpa";

void append(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

void append_u64(Bytes& out, uint64_t v) {
  const Bytes b = codec::encode(v);
  out.insert(out.end(), b.begin(), b.end());
}

}  // namespace

BlockInfo message_target(const Message& m) {
  return std::visit([](const auto& vote) { return vote.target(); }, m);
}

Bytes signing_payload(const Message& message, RoundNumber round, SetId set_id, const H256& genesis) {
  Bytes out;
  append(out, kSigningContext);
  const Bytes m = codec::encode(message);
  out.insert(out.end(), m.begin(), m.end());
  append_u64(out, round);
  append_u64(out, set_id);
  out.insert(out.end(), genesis.bytes.begin(), genesis.bytes.end());
  return out;
}

SignedMessage sign_message(const runtime::crypto::Keypair& key, Message message, RoundNumber round, SetId set_id,
                           const H256& genesis) {
  const Bytes payload = signing_payload(message, round, set_id, genesis);
  return SignedMessage{std::move(message), key.sign(payload), key.public_key()};
}

bool check_signature(const Message& message, const AuthoritySignature& signature, const AuthorityId& id,
                     RoundNumber round, SetId set_id, const H256& genesis) {
  return runtime::crypto::verify_with_public(signature, signing_payload(message, round, set_id, genesis), id);
}

Bytes encode_gossip(const GossipMessage& message) { return codec::encode(message); }

Result<GossipMessage> decode_gossip(ByteSpan bytes) {
  auto decoded = codec::decode<GossipMessage>(bytes);
  if (!decoded) return FinalityError::Undecodable;
  return std::move(decoded.value());
}

Bytes encode_justification(const Justification& justification) { return codec::encode(justification); }

Result<Justification> decode_justification(ByteSpan bytes) {
  auto decoded = codec::decode<Justification>(bytes);
  if (!decoded) return FinalityError::Undecodable;
  return std::move(decoded.value());
}

H256 round_topic(SetId set_id, RoundNumber round) {
  Bytes in;
  append(in, "bazaar/grandpa/round");
  append_u64(in, set_id);
  append_u64(in, round);
  return runtime::crypto::blake2b_256(in);
}

H256 global_topic(SetId set_id) {
  Bytes in;
  append(in, "bazaar/grandpa/global");
  append_u64(in, set_id);
  return runtime::crypto::blake2b_256(in);
}

}  // namespace bazaar::node::finality
