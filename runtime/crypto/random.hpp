#pragma once
// Key-grade randomness from the operating system (/dev/urandom).
//
// Used for secret keys, mnemonics and secp256k1 context blinding. Not for
// anything inside the state-transition function, which must be deterministic.

#include <cstdint>
#include <span>

namespace bazaar::runtime::crypto {

/// Fills `out` with bytes read from /dev/urandom. If the device cannot be
/// opened or read (a broken system, not an input error) the process aborts
/// with a message: producing keys from anything weaker is never acceptable.
void os_random_bytes(std::span<uint8_t> out);

}  // namespace bazaar::runtime::crypto
