#pragma once
// A fresh directory under the system's temporary directory, removed with
// everything in it when the object dies (--tmp).

#include "runtime/result.hpp"

#include <filesystem>
#include <string_view>

namespace bazaar::node::service {

class TempDir {
 public:
  /// Creates <tmp>/<prefix>XXXXXX (mkdtemp). Errors: the OS error.
  static Result<TempDir> create(std::string_view prefix);
  TempDir(TempDir&& o) noexcept : m_path(std::exchange(o.m_path, {})) {}
  TempDir& operator=(TempDir&& o) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { remove(); }

  const std::filesystem::path& path() const { return m_path; }

 private:
  explicit TempDir(std::filesystem::path p) : m_path(std::move(p)) {}
  void remove() noexcept;
  std::filesystem::path m_path;
};

}  // namespace bazaar::node::service
