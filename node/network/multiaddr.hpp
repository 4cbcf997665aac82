#pragma once
// Multiaddresses, the textual subset Bazaar dials and listens on (libp2p's
// format, https://github.com/multiformats/multiaddr):
//
//   /ip4/A.B.C.D/tcp/PORT[/p2p/PEERID]
//   /ip6/ADDR/tcp/PORT[/p2p/PEERID]
//   /dns/HOST/tcp/PORT[/p2p/PEERID]     (also /dns4 and /dns6: resolve to that family only)
//
// PORT is 0..65535 (0 only makes sense for listening: the OS picks one);
// PEERID is the base58 text of peer_id.hpp. When dialing an address with a
// peer id, a peer that proves another id is refused.

#include "node/network/peer_id.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bazaar::node::network {

struct Multiaddr {
  enum class Kind : uint8_t { Ip4, Ip6, Dns, Dns4, Dns6 };
  Kind kind = Kind::Ip4;
  std::string host;  ///< dotted IPv4, IPv6 text (no brackets) or a DNS name
  uint16_t port = 0;
  std::optional<PeerId> peer;

  /// Parses the forms above. Errors: InvalidAddress (unknown protocol, bad IP,
  /// bad port, missing parts, trailing parts), InvalidPeerId.
  static Result<Multiaddr> parse(std::string_view text);
  /// The canonical text form (IP addresses normalised).
  std::string to_string() const;
  /// The same address with the /p2p part replaced (or removed with nullopt).
  Multiaddr with_peer(std::optional<PeerId> id) const;
  bool is_dns() const { return kind == Kind::Dns || kind == Kind::Dns4 || kind == Kind::Dns6; }
  /// An IP address of all zeros (0.0.0.0 or ::): "every interface", not dialable.
  bool is_unspecified() const;

  friend bool operator==(const Multiaddr&, const Multiaddr&) = default;
};

}  // namespace bazaar::node::network
