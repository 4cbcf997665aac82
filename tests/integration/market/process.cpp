#include "tests/integration/market/process.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bazaar::test::market {
namespace {

int open_for_output(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string());
  return fd;
}

/// fork + exec with stdout/stderr redirected to the given descriptors and
/// stdin from /dev/null; the child dies with the parent (PR_SET_PDEATHSIG).
pid_t spawn(const std::filesystem::path& exe, const std::vector<std::string>& args, int out_fd, int err_fd) {
  std::vector<std::string> store{exe.string()};
  store.insert(store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : store) argv.push_back(a.data());
  argv.push_back(nullptr);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (null_fd >= 0) ::close(null_fd);
  return pid;
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  m_path = std::filesystem::temp_directory_path() /
           ("bazaar-market-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::filesystem::path binary(const std::string& name) {
  if (const char* dir = std::getenv("BAZAAR_IT_BIN_DIR"); dir && *dir) return std::filesystem::path(dir) / name;
  return std::filesystem::path(BAZAAR_BINARY_DIR) / "bin" / name;
}

std::filesystem::path task_program(const std::string& name) {
  return std::filesystem::path(BAZAAR_BINARY_DIR) / "tasks" / (name + ".wasm");
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

Process::Process(const std::filesystem::path& exe, const std::vector<std::string>& args,
                 const std::filesystem::path& log)
    : m_log(log) {
  int fd = open_for_output(log);
  try {
    m_pid = spawn(exe, args, fd, fd);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

Process::~Process() {
  terminate(std::chrono::seconds(10));
  kill_hard();
}

bool Process::running() {
  if (m_status || m_pid <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(m_pid, &status, WNOHANG);
  if (r == m_pid) {
    m_status = status;
    return false;
  }
  return r == 0;
}

std::optional<std::string> Process::wait_for_log(const std::regex& pattern, std::chrono::milliseconds deadline) {
  std::optional<std::string> found;
  bool exited = false;
  eventually(
      [&] {
        std::string text = log();
        std::smatch m;
        if (std::regex_search(text, m, pattern)) {
          found = m.size() > 1 ? m[1].str() : m[0].str();
          return true;
        }
        exited = !running();
        return exited;
      },
      deadline);
  if (!found && exited) {
    // It may have written the line just before exiting.
    std::string text = log();
    std::smatch m;
    if (std::regex_search(text, m, pattern)) found = m.size() > 1 ? m[1].str() : m[0].str();
  }
  return found;
}

void Process::kill_hard() {
  if (!running()) return;
  ::kill(m_pid, SIGKILL);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_status = status;
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds deadline) {
  if (!eventually([this] { return !running(); }, deadline)) return std::nullopt;
  if (!m_status) return std::nullopt;
  return exit_code_of(*m_status);
}

std::optional<int> Process::terminate(std::chrono::milliseconds deadline) {
  if (running()) ::kill(m_pid, SIGTERM);
  return wait_exit(deadline);
}

CommandResult run_command(const std::filesystem::path& exe, const std::vector<std::string>& args,
                          const std::filesystem::path& scratch, std::chrono::milliseconds deadline) {
  static std::atomic<unsigned> counter{0};
  auto n = std::to_string(counter++);
  auto out_path = scratch / ("cmd-" + n + ".out");
  auto err_path = scratch / ("cmd-" + n + ".err");
  int out_fd = open_for_output(out_path);
  int err_fd = open_for_output(err_path);
  pid_t pid = -1;
  try {
    pid = spawn(exe, args, out_fd, err_fd);
  } catch (...) {
    ::close(out_fd);
    ::close(err_fd);
    throw;
  }
  ::close(out_fd);
  ::close(err_fd);
  int status = 0;
  bool done = eventually(
      [&] {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        return r == pid || (r < 0 && errno != EINTR);
      },
      deadline);
  CommandResult result;
  if (done) {
    result.exit_code = WIFEXITED(status) ? std::optional<int>(WEXITSTATUS(status)) : std::nullopt;
  } else {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

}  // namespace bazaar::test::market
