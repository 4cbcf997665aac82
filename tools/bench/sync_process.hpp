#pragma once
// Child processes and scratch space for bazaar-bench-sync: a node process
// whose output goes to a log file, which dies with the benchmark (SIGKILL via
// PR_SET_PDEATHSIG even if the benchmark itself is killed) and is stopped
// (SIGTERM, then SIGKILL) when its guard dies, and can be paused (SIGSTOP)
// and resumed (SIGCONT); a temporary directory removed with its contents; a
// process's CPU time.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace bazaar::tools::bench {

/// A fresh directory under the system temp dir, removed with its contents.
class ScratchDir {
 public:
  /// nullopt if it cannot be created.
  static std::optional<ScratchDir> create(const std::string& prefix);
  ScratchDir(ScratchDir&& o) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir();
  const std::filesystem::path& path() const { return m_path; }

 private:
  explicit ScratchDir(std::filesystem::path p) : m_path(std::move(p)) {}
  std::filesystem::path m_path;
};

class ChildProcess {
 public:
  /// Starts `binary` with `args`, its stdout and stderr appended to `log`.
  /// nullopt (with `error` set) if the log cannot be opened or fork fails.
  static std::optional<ChildProcess> start(const std::filesystem::path& binary, const std::vector<std::string>& args,
                                           const std::filesystem::path& log, std::string& error);
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ~ChildProcess();  ///< stop()s

  pid_t pid() const { return m_pid; }
  /// Whether it has not exited (reaps it if it did). A paused process counts as running.
  bool running();
  /// SIGSTOP, then returns once every one of its threads is stopped (state T
  /// in /proc/PID/task/*/stat), polling for at most `deadline`. False (with
  /// `error` set) if it exited or did not stop in time; then it was resumed.
  bool pause(std::string& error, std::chrono::milliseconds deadline = std::chrono::seconds(2));
  /// SIGCONT: lets a paused process run again. False if it has exited.
  bool resume();
  /// Its exit code once it exited on its own (-1 if killed by a signal), waiting at most `deadline`.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline);
  /// SIGTERM (and SIGCONT, should it be paused), up to `grace` for the exit,
  /// then SIGKILL; reaps it (idempotent).
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  /// User + system CPU seconds it used so far (/proc/PID/stat); 0 once reaped.
  double cpu_seconds() const;
  /// The same per thread (/proc/PID/task/*/stat), largest first; empty once reaped.
  std::vector<double> thread_cpu_seconds() const;

 private:
  explicit ChildProcess(pid_t pid) : m_pid(pid) {}
  pid_t m_pid = -1;
  std::optional<int> m_status;
};

/// The whole text file `path` (empty if unreadable).
std::string read_text(const std::filesystem::path& path);

/// The last `lines` lines of the text file `path` (empty if unreadable).
std::string tail_file(const std::filesystem::path& path, std::size_t lines);

}  // namespace bazaar::tools::bench
