#include "node/network/peer_id.hpp"

#include "node/network/error.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"

#include <algorithm>
#include <array>

namespace bazaar::node::network {

namespace {
// varint(0xb220) ++ varint(32): the multihash prefix of a blake2b-256 digest.
constexpr std::array<uint8_t, 4> kMultihashPrefix{0xa0, 0xe4, 0x02, 0x20};
}  // namespace

PeerId PeerId::from_public(const runtime::crypto::EcdsaPublic& key) {
  return PeerId(runtime::crypto::blake2b_256(key.span()));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  auto raw = runtime::crypto::base58_decode(text);
  if (!raw || raw.value().size() != kMultihashPrefix.size() + 32 ||
      !std::equal(kMultihashPrefix.begin(), kMultihashPrefix.end(), raw.value().begin()))
    return NetworkError::InvalidPeerId;
  return PeerId(H256::from_span(ByteSpan(raw.value()).subspan(kMultihashPrefix.size())));
}

std::string PeerId::to_string() const {
  Bytes raw(kMultihashPrefix.begin(), kMultihashPrefix.end());
  raw.insert(raw.end(), m_digest.begin(), m_digest.end());
  return runtime::crypto::base58_encode(raw);
}

std::string PeerId::short_string() const {
  auto s = to_string();
  // Every id starts with the same prefix characters; the tail tells peers apart.
  return s.size() > 8 ? "…" + s.substr(s.size() - 8) : s;
}

}  // namespace bazaar::node::network
