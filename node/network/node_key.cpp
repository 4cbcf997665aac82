#include "node/network/node_key.hpp"

#include "node/network/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <string>

namespace bazaar::node::network {

using runtime::crypto::Keypair;

std::filesystem::path default_node_key_path(const std::filesystem::path& base_path) {
  return base_path / "network" / "secret_secp256k1";
}

namespace {

/// The pair of a 32-byte secret, which is wiped afterwards.
Result<Keypair> from_secret(Bytes& secret) {
  auto pair = Keypair::from_secret(secret);
  std::fill(secret.begin(), secret.end(), 0);
  if (!pair) return NetworkError::InvalidNodeKey;
  return std::move(pair).value();
}

}  // namespace

Result<Keypair> parse_node_key(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  auto last = text.find_last_not_of(" \t\r\n");
  if (first == std::string_view::npos) return NetworkError::InvalidNodeKey;
  auto hex = runtime::from_hex(text.substr(first, last - first + 1));
  if (!hex || hex->size() != 32) {
    if (hex) std::fill(hex->begin(), hex->end(), 0);
    return NetworkError::InvalidNodeKey;
  }
  return from_secret(*hex);
}

Result<Keypair> load_node_key(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NetworkError::NodeKeyIo;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return NetworkError::NodeKeyIo;
  if (text.size() != 32) {
    auto key = parse_node_key(text);
    std::fill(text.begin(), text.end(), '0');
    return key;
  }
  Bytes secret(text.begin(), text.end());
  std::fill(text.begin(), text.end(), '0');
  return from_secret(secret);
}

Result<void> write_node_key(const std::filesystem::path& path, const Keypair& key) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return NetworkError::NodeKeyIo;
  }
  std::string hex = runtime::to_hex(ByteSpan(key.secret()));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return NetworkError::NodeKeyIo;
  // An existing file keeps its mode through O_CREAT; tighten it explicitly.
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t written = 0;
  while (ok && written < hex.size()) {
    auto n = ::write(fd, hex.data() + written, hex.size() - written);
    if (n <= 0) ok = false;
    else written += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  std::fill(hex.begin(), hex.end(), '0');
  if (!ok) return NetworkError::NodeKeyIo;
  return success();
}

Result<Keypair> load_or_generate_node_key(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return load_node_key(path);
  if (ec) return NetworkError::NodeKeyIo;
  auto key = Keypair::generate();
  BAZAAR_TRY(write_node_key(path, key));
  return key;
}

}  // namespace bazaar::node::network
