#pragma once
// Child processes for the marketplace integration tests: the real
// bazaar-node, bazaar-worker, bazaar (wallet) and bazaar-image-info binaries.
// Each process writes its stdout and stderr to files; the guards kill and reap
// their process and remove their temporary directories when they die (RAII),
// and every wait polls with a deadline (never a fixed sleep).

#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace bazaar::test::market {

/// A fresh directory under the system's temp dir, removed with its contents by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

/// build/bin/<name>: a binary of the build under test. BAZAAR_IT_BIN_DIR overrides the directory.
std::filesystem::path binary(const std::string& name);
/// build/tasks/<name>.wasm: an example task of the build under test.
std::filesystem::path task_program(const std::string& name);

/// Reads a whole file ("" when it does not exist).
std::string read_text(const std::filesystem::path& path);
/// Writes `text` to `path` (replacing it).
void write_text(const std::filesystem::path& path, const std::string& text);

/// A long-running child (node, worker). Its stdout goes to `stdout_path` and its
/// stderr to `stderr_path` (both may be the same file). The child gets SIGKILL
/// if the test process dies. The destructor stops it: SIGTERM, then SIGKILL
/// after a grace period, and reaps it.
class Process {
 public:
  Process(const std::filesystem::path& exe, const std::vector<std::string>& args, const std::filesystem::path& log);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return m_pid; }
  /// Everything the process wrote so far (stdout and stderr).
  std::string log() const { return read_text(m_log); }
  const std::filesystem::path& log_path() const { return m_log; }
  /// Still running (reaps it when it has exited).
  bool running();
  /// Polls the log until `pattern` matches; the first capture group (or the
  /// whole match), or nullopt when the deadline passes or the process exits first.
  std::optional<std::string> wait_for_log(const std::regex& pattern, std::chrono::milliseconds deadline);
  /// SIGKILL now and reap (idempotent).
  void kill_hard();
  /// SIGTERM and wait up to `deadline`: the exit code (128 + signal when killed), nullopt on timeout.
  std::optional<int> terminate(std::chrono::milliseconds deadline = std::chrono::seconds(15));
  /// Waits for the process to end on its own: its exit code, or nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);

 private:
  pid_t m_pid = -1;
  std::optional<int> m_status;  ///< waitpid status once reaped
  std::filesystem::path m_log;
};

/// The outcome of a command run to completion.
struct CommandResult {
  std::optional<int> exit_code;  ///< nullopt: killed at the deadline (or by a signal)
  std::string out;               ///< stdout
  std::string err;               ///< stderr
};

/// Runs `exe args...` to completion, its stdout and stderr captured in files in
/// `scratch`; kills it if it outlives `deadline`.
CommandResult run_command(const std::filesystem::path& exe, const std::vector<std::string>& args,
                          const std::filesystem::path& scratch,
                          std::chrono::milliseconds deadline = std::chrono::seconds(60));

/// Polls `done` every 50 ms until it returns true or the deadline passes.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace bazaar::test::market
