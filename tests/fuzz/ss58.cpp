// Fuzz target: SS58 addresses and account text (runtime/crypto/ss58.hpp),
// typed by users and sent in RPC parameters and chain specs. Checks: a decoded
// address re-encodes to an address that decodes to the same account and
// prefix (and to the very same text when the prefix is in its canonical
// one-byte form); parse_account agrees with ss58_decode; base58 round-trips.

#include "runtime/crypto/ss58.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {

void fuzz_ss58(const uint8_t* data, std::size_t size) {
  using namespace runtime::crypto;
  std::string_view text = as_text(data, size);

  auto address = ss58_decode(text);
  auto account = parse_account(text);
  if (address) {
    note_accepted();
    const auto& a = address.value();
    FUZZ_CHECK(a.prefix <= kMaxSs58Prefix && a.prefix != 46 && a.prefix != 47);
    std::string again = ss58_encode(a.account, a.prefix);
    auto back = ss58_decode(again);
    FUZZ_CHECK(back && back.value() == a);
    // Prefixes below 64 also have a two-byte spelling, which re-encodes in the
    // one-byte form; any other address is re-produced exactly.
    auto raw = base58_decode(text);
    FUZZ_CHECK(raw && !raw.value().empty());
    bool canonical = raw.value()[0] < 64 || a.prefix >= 64;
    if (canonical) FUZZ_CHECK(again == text);
    FUZZ_CHECK(account && account.value() == a.account);
  } else {
    check_error_message(address.error());
    if (!text.starts_with("0x")) FUZZ_CHECK(!account && account.error() == address.error());
  }

  // base58 alone (bounded: its cost is quadratic in the length).
  std::string_view head = text.substr(0, std::min<std::size_t>(text.size(), 128));
  if (auto bytes = base58_decode(head)) {
    FUZZ_CHECK(base58_encode(bytes.value()) == head);
  }
  runtime::Bytes raw(data, data + std::min<std::size_t>(size, 96));
  auto decoded = base58_decode(base58_encode(raw));
  FUZZ_CHECK(decoded && decoded.value() == raw);

  // Encode side: an account and prefix from the input bytes (checksums make
  // mutated addresses fail early, so this reaches the success path too).
  if (size >= 34) {
    auto prefix = static_cast<uint16_t>((data[0] | data[1] << 8) % (kMaxSs58Prefix + 1));
    if (prefix == 46 || prefix == 47) prefix = 42;
    auto account = runtime::AccountId32::from_span({data + 2, 32});
    auto back = ss58_decode(ss58_encode(account, prefix));
    FUZZ_CHECK(back && back.value() == (Ss58Address{account, prefix}));
  }
}

}  // namespace bazaar::fuzz
