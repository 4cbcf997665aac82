#pragma once
// Runs the real `bazaar-node` binary as a child process for integration tests:
// captures its stdout and stderr, finds the RPC port in the start-up line
// "RPC listening on ws://HOST:PORT", and always kills the process (SIGKILL if it
// does not stop on SIGTERM) and removes the test's temporary directories when
// the guard dies.

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace bazaar::test {

/// A directory removed with its contents when the guard dies.
class ScopedDir {
 public:
  ScopedDir();
  ~ScopedDir();
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

class NodeProcess {
 public:
  /// Starts build/bin/bazaar-node with `args`.
  explicit NodeProcess(std::vector<std::string> args);
  ~NodeProcess();  ///< terminate()s (kill()s if that fails) and reaps the process
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  /// The RPC port from the start-up line; nullopt if it did not appear in time
  /// (or the process exited first).
  std::optional<uint16_t> wait_for_port(std::chrono::milliseconds deadline = std::chrono::seconds(30));
  /// Everything the process wrote so far (stdout and stderr interleaved).
  std::string output() const;
  /// SIGKILL now and reap (idempotent).
  void kill();
  /// SIGTERM and wait up to `deadline` for the exit; its status, or nullopt on timeout.
  std::optional<int> terminate(std::chrono::milliseconds deadline = std::chrono::seconds(20));
  /// Waits for the process to exit on its own; its exit code, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline = std::chrono::seconds(20));
  bool running();

  /// Path of the node binary under test.
  static std::string binary();

 private:
  void read_output(int fd);
  pid_t m_pid = -1;
  std::optional<int> m_status;
  std::thread m_reader;
  mutable std::mutex m_mutex;
  std::condition_variable m_changed;
  std::string m_output;
  bool m_eof = false;
};

/// One HTTP POST to 127.0.0.1:port: the status code and the body.
struct HttpReply {
  int status = 0;
  std::string body;
};
HttpReply http_post(uint16_t port, const std::string& body, const std::string& content_type = "application/json");

/// A JSON-RPC call over HTTP: the whole response object.
nlohmann::json http_rpc(uint16_t port, const std::string& method, const nlohmann::json& params = nlohmann::json::array());

/// Polls `done` every 50 ms until it holds or the deadline passes.
template <class F>
bool eventually(F done, std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace bazaar::test
