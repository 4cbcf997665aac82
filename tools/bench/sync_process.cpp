#include "tools/bench/sync_process.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bazaar::tools::bench {

std::optional<ScratchDir> ScratchDir::create(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) return std::nullopt;
  return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& o) noexcept : m_path(std::exchange(o.m_path, {})) {}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
}

std::optional<ChildProcess> ChildProcess::start(const std::filesystem::path& binary,
                                                const std::vector<std::string>& args,
                                                const std::filesystem::path& log, std::string& error) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot open " + log.string();
    return std::nullopt;
  }
  std::vector<std::string> argv_storage{binary.string()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    error = "fork failed";
    return std::nullopt;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the benchmark died before prctl
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : m_pid(std::exchange(o.m_pid, -1)), m_status(std::exchange(o.m_status, std::nullopt)) {}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() {
  if (m_pid <= 0 || m_status) return false;
  int status = 0;
  // Without WUNTRACED (and WCONTINUED) waitpid reports only an exit: a paused
  // child gives 0, "still running", as it should.
  const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
  if (r == 0) return true;
  m_status = (r == m_pid && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  return false;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (running()) {
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return m_status;
}

void ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return;
  ::kill(m_pid, SIGTERM);
  ::kill(m_pid, SIGCONT);  // a paused process acts on SIGTERM only once it runs again
  if (wait_exit(grace)) return;
  ::kill(m_pid, SIGKILL);
  int status = 0;
  ::waitpid(m_pid, &status, 0);
  m_status = -1;
}

namespace {

/// utime + stime of a /proc stat file, seconds (0 if unreadable).
double stat_cpu_seconds(const std::filesystem::path& stat) {
  const std::string text = read_text(stat);
  // Fields after the parenthesised command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// The state letter of a /proc stat file (field 3: R, S, D, T, t, Z, ...); '?' if unreadable.
char stat_state(const std::filesystem::path& stat) {
  const std::string text = read_text(stat);
  const auto close = text.rfind(')');
  return close == std::string::npos || close + 2 >= text.size() ? '?' : text[close + 2];
}

enum class StopState { Stopped, NotYet, Exited };

/// Whether every thread of `pid` is stopped (a thread that is gone meanwhile counts as stopped).
StopState stop_state(pid_t pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  const char leader = stat_state(proc / "stat");
  if (leader == 'Z' || leader == 'X' || leader == '?') return StopState::Exited;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc / "task", ec)) {
    const char state = stat_state(task.path() / "stat");
    if (state != 'T' && state != 't' && state != '?') return StopState::NotYet;
  }
  return ec ? StopState::Exited : StopState::Stopped;
}

}  // namespace

bool ChildProcess::pause(std::string& error, std::chrono::milliseconds deadline) {
  if (!running() || ::kill(m_pid, SIGSTOP) != 0) {
    error = "process " + std::to_string(m_pid) + " has exited";
    return false;
  }
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    const StopState state = stop_state(m_pid);
    if (state == StopState::Stopped) return true;
    if (state == StopState::Exited) {
      error = "process " + std::to_string(m_pid) + " exited while being paused";
      return false;
    }
    if (std::chrono::steady_clock::now() >= until) {
      resume();
      error = "process " + std::to_string(m_pid) + " did not stop within " + std::to_string(deadline.count()) + " ms";
      return false;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

bool ChildProcess::resume() { return running() && ::kill(m_pid, SIGCONT) == 0; }

double ChildProcess::cpu_seconds() const {
  if (m_pid <= 0 || m_status) return 0;
  return stat_cpu_seconds("/proc/" + std::to_string(m_pid) + "/stat");
}

std::vector<double> ChildProcess::thread_cpu_seconds() const {
  std::vector<double> out;
  if (m_pid <= 0 || m_status) return out;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(m_pid) + "/task", ec))
    out.push_back(stat_cpu_seconds(task.path() / "stat"));
  std::sort(out.begin(), out.end(), std::greater<>());
  return out;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string tail_file(const std::filesystem::path& path, std::size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(std::move(line));
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& line : last) out += line + "\n";
  return out;
}

}  // namespace bazaar::tools::bench
