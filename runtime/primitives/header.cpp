#include "runtime/primitives/header.hpp"

#include "runtime/crypto/hash.hpp"

namespace bazaar::runtime {

H256 header_hash(const Header& header) { return crypto::blake2b_256(codec::encode(header)); }

}  // namespace bazaar::runtime
