#pragma once
// The BIP39 English wordlist (https://github.com/bitcoin/bips/blob/master/bip-0039/english.txt).

#include <array>
#include <cstddef>
#include <string_view>

namespace bazaar::runtime::crypto {

inline constexpr std::size_t kBip39WordCount = 2048;

/// The 2048 words in their standard (sorted) order; index = 11-bit value.
const std::array<std::string_view, kBip39WordCount>& bip39_english_wordlist();

}  // namespace bazaar::runtime::crypto
