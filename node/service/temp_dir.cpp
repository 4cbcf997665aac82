#include "node/service/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace bazaar::node::service {

Result<TempDir> TempDir::create(std::string_view prefix) {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) return boost::system::error_code(ec.value(), boost::system::generic_category());
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) return boost::system::error_code(errno, boost::system::generic_category());
  return TempDir(std::filesystem::path(buf.data()));
}

TempDir& TempDir::operator=(TempDir&& o) noexcept {
  if (this != &o) {
    remove();
    m_path = std::exchange(o.m_path, {});
  }
  return *this;
}

void TempDir::remove() noexcept {
  if (m_path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
  m_path.clear();
}

}  // namespace bazaar::node::service
