// Fuzz target: secret URIs and BIP39 phrases (runtime/crypto/derive.hpp), as
// typed into the wallet and `bazaar-node --key`. Checks: parse_suri splits
// phrase / path / password as documented; an accepted phrase's entropy maps
// back to the same words; keypair_from_suri accepts exactly the URIs whose
// parts are valid (a 0x seed or a checksummed phrase, hard junctions only).

#include "runtime/codec/bytes.hpp"
#include "runtime/crypto/derive.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace bazaar::fuzz {
namespace {

/// The phrase's words joined by single spaces (how entropy_to_mnemonic writes them).
std::string normalized_words(std::string_view phrase) {
  std::istringstream in{std::string(phrase)};
  std::string word, out;
  while (in >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

}  // namespace

void fuzz_suri(const uint8_t* data, std::size_t size) {
  using namespace runtime::crypto;
  std::string_view text = as_text(data, size);

  auto uri = parse_suri(text);
  auto pair = keypair_from_suri(text);
  if (!uri) {
    check_error_message(uri.error());
    FUZZ_CHECK(!pair);
    return;
  }
  std::string_view rest = text.substr(0, text.find("///"));
  std::string_view phrase = rest.substr(0, rest.find('/'));
  FUZZ_CHECK(uri.value().phrase == (phrase.empty() ? kDevPhrase : phrase));
  FUZZ_CHECK(uri.value().junctions.size() <= static_cast<std::size_t>(std::ranges::count(rest, '/')));
  if (text.find("///") != std::string_view::npos) FUZZ_CHECK(uri.value().password == text.substr(text.find("///") + 3));

  bool phrase_ok = false;
  const std::string& p = uri.value().phrase;
  if (p.starts_with("0x")) {
    auto seed = runtime::from_hex(p);
    phrase_ok = seed && seed->size() == 32;
  } else if (auto entropy = mnemonic_to_entropy(p)) {
    phrase_ok = true;
    auto words = entropy_to_mnemonic(entropy.value());
    FUZZ_CHECK(words && words.value() == normalized_words(p));
  }
  bool all_hard = std::ranges::all_of(uri.value().junctions, [](const DeriveJunction& j) { return j.hard; });
  if (pair) {
    note_accepted();
    FUZZ_CHECK(phrase_ok && all_hard);
  } else {
    check_error_message(pair.error());
    // A valid phrase and path can only fail on a secret outside the curve order (never seen in practice).
    if (phrase_ok && all_hard) FUZZ_CHECK(pair.error() == CryptoError::InvalidSecretKey);
  }
}

}  // namespace bazaar::fuzz
