#include "node/service/keystore.hpp"

#include "runtime/crypto/derive.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bazaar::node::service {

namespace {

using K = rpc::PortError::Kind;

std::string hex_without_prefix(runtime::ByteSpan bytes) { return runtime::to_hex(bytes).substr(2); }

/// Writes `text` to a new file readable by its owner only, replacing any old one atomically.
bool write_private(const std::filesystem::path& path, const std::string& text, std::string& error) {
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot create " + tmp.string() + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) ok = false;
  if (!ok) {
    error = "cannot write " + path.string() + ": " + std::strerror(errno);
    std::filesystem::remove(tmp);
  }
  return ok;
}

}  // namespace

std::filesystem::path Keystore::file_of(const rpc::KeyType& key_type, runtime::ByteSpan public_key) const {
  runtime::ByteSpan type(reinterpret_cast<const uint8_t*>(key_type.data()), key_type.size());
  return m_dir / (hex_without_prefix(type) + hex_without_prefix(public_key));
}

rpc::PortResult<void> Keystore::store(const rpc::KeyType& key_type, const std::string& suri,
                                      runtime::ByteSpan public_key) {
  std::lock_guard lock(m_mutex);
  std::error_code ec;
  std::filesystem::create_directories(m_dir, ec);
  if (ec) return rpc::PortError{K::Internal, "cannot create the keystore " + m_dir.string() + ": " + ec.message()};
  std::filesystem::permissions(m_dir, std::filesystem::perms::owner_all, ec);
  std::string error;
  if (!write_private(file_of(key_type, public_key), nlohmann::json(suri).dump(), error))
    return rpc::PortError{K::Internal, error};
  return boost::outcome_v2::success();
}

rpc::PortResult<void> Keystore::insert_key(const rpc::KeyType& key_type, const std::string& suri,
                                           runtime::ByteSpan public_key) {
  auto pair = runtime::crypto::keypair_from_suri(suri);
  if (!pair) return rpc::PortError{K::CallFailed, "the secret URI is invalid: " + pair.error().message()};
  auto derived = pair.value().public_key().span();
  if (!std::equal(derived.begin(), derived.end(), public_key.begin(), public_key.end()))
    return rpc::PortError{K::CallFailed, "the public key " + runtime::to_hex(public_key) +
                                             " is not the one the secret URI derives (" + runtime::to_hex(derived) +
                                             ")"};
  return store(key_type, suri, public_key);
}

std::optional<std::string> Keystore::secret_uri(const rpc::KeyType& key_type, runtime::ByteSpan public_key) const {
  std::ifstream in(file_of(key_type, public_key));
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_string()) return std::nullopt;
  return j.get<std::string>();
}

rpc::PortResult<bool> Keystore::has_key(runtime::ByteSpan public_key, const rpc::KeyType& key_type) const {
  auto suri = secret_uri(key_type, public_key);
  if (!suri) return false;
  // The file must hold the key it is named after.
  auto pair = runtime::crypto::keypair_from_suri(*suri);
  if (!pair) return false;
  auto derived = pair.value().public_key().span();
  return std::equal(derived.begin(), derived.end(), public_key.begin(), public_key.end());
}

rpc::PortResult<runtime::Bytes> Keystore::rotate_keys() {
  runtime::Bytes out;
  for (const auto& type : kSessionKeyTypes) {
    auto phrase = runtime::crypto::generate_mnemonic(12);
    auto pair = runtime::crypto::keypair_from_suri(phrase);
    if (!pair) return rpc::PortError{K::Internal, "a generated phrase does not derive: " + pair.error().message()};
    auto pub = pair.value().public_key().span();
    auto stored = store(type, phrase, pub);
    if (!stored) return stored.error();
    out.insert(out.end(), pub.begin(), pub.end());
  }
  return out;
}

rpc::PortResult<bool> Keystore::has_session_keys(runtime::ByteSpan session_keys) const {
  constexpr std::size_t kKeyLength = 33;  // compressed secp256k1
  if (session_keys.size() != kKeyLength * kSessionKeyTypes.size()) return false;
  for (std::size_t i = 0; i < kSessionKeyTypes.size(); ++i) {
    auto has = has_key(session_keys.subspan(i * kKeyLength, kKeyLength), kSessionKeyTypes[i]);
    if (!has) return has.error();
    if (!has.value()) return false;
  }
  return true;
}

}  // namespace bazaar::node::service
