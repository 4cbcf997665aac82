#include "node/network/multiaddr.hpp"

#include "node/network/error.hpp"

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <vector>

namespace bazaar::node::network {

namespace {

std::vector<std::string_view> split_parts(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t pos = 1;
  while (pos <= text.size()) {
    auto next = text.find('/', pos);
    if (next == std::string_view::npos) next = text.size();
    parts.push_back(text.substr(pos, next - pos));
    pos = next + 1;
  }
  return parts;
}

bool valid_dns_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<Multiaddr> Multiaddr::parse(std::string_view text) {
  if (text.size() > 512 || text.empty() || text.front() != '/') return NetworkError::InvalidAddress;
  auto parts = split_parts(text);
  if (parts.size() != 4 && parts.size() != 6) return NetworkError::InvalidAddress;

  Multiaddr out;
  auto proto = parts[0];
  if (proto == "ip4") out.kind = Kind::Ip4;
  else if (proto == "ip6") out.kind = Kind::Ip6;
  else if (proto == "dns") out.kind = Kind::Dns;
  else if (proto == "dns4") out.kind = Kind::Dns4;
  else if (proto == "dns6") out.kind = Kind::Dns6;
  else return NetworkError::InvalidAddress;

  std::string host(parts[1]);
  if (out.kind == Kind::Ip4 || out.kind == Kind::Ip6) {
    boost::system::error_code ec;
    if (out.kind == Kind::Ip4) {
      auto a = boost::asio::ip::make_address_v4(host, ec);
      if (ec) return NetworkError::InvalidAddress;
      host = a.to_string();
    } else {
      auto a = boost::asio::ip::make_address_v6(host, ec);
      if (ec) return NetworkError::InvalidAddress;
      host = a.to_string();
    }
  } else if (!valid_dns_name(host)) {
    return NetworkError::InvalidAddress;
  }
  out.host = std::move(host);

  if (parts[2] != "tcp") return NetworkError::InvalidAddress;
  unsigned port = 0;
  auto [end, err] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), port);
  if (err != std::errc() || end != parts[3].data() + parts[3].size() || parts[3].empty() || port > 65535)
    return NetworkError::InvalidAddress;
  out.port = static_cast<uint16_t>(port);

  if (parts.size() == 6) {
    if (parts[4] != "p2p") return NetworkError::InvalidAddress;
    BAZAAR_TRY(auto id, PeerId::parse(parts[5]));
    out.peer = id;
  }
  return out;
}

std::string Multiaddr::to_string() const {
  static constexpr const char* kNames[] = {"ip4", "ip6", "dns", "dns4", "dns6"};
  std::string s = "/";
  s += kNames[static_cast<int>(kind)];
  s += "/" + host + "/tcp/" + std::to_string(port);
  if (peer) s += "/p2p/" + peer->to_string();
  return s;
}

Multiaddr Multiaddr::with_peer(std::optional<PeerId> id) const {
  Multiaddr m = *this;
  m.peer = id;
  return m;
}

bool Multiaddr::is_unspecified() const {
  if (is_dns()) return false;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(host, ec);
  return !ec && a.is_unspecified();
}

}  // namespace bazaar::node::network
