#pragma once
// A scratch directory for the db tests.

#include <unistd.h>

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace bazaar::node::db::test {

/// A fresh directory under the system temp dir, removed afterwards.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("bazaar-db-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace bazaar::node::db::test
