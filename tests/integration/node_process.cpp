#include "tests/integration/node_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <random>
#include <regex>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bazaar::test {

ScopedDir::ScopedDir() {
  std::random_device rd;
  m_path = std::filesystem::temp_directory_path() /
           ("bazaar-it-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(m_path);
}

ScopedDir::~ScopedDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string NodeProcess::binary() { return std::string(BAZAAR_BINARY_DIR) + "/bin/bazaar-node"; }

NodeProcess::NodeProcess(std::vector<std::string> args) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> argv_store{binary()};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  m_pid = ::fork();
  if (m_pid < 0) throw std::runtime_error("fork failed");
  if (m_pid == 0) {
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  m_reader = std::thread([this, fd = pipe_fds[0]] { read_output(fd); });
}

NodeProcess::~NodeProcess() {
  // A clean stop lets the node remove its --tmp directory; SIGKILL if it does not stop in time.
  terminate(std::chrono::seconds(10));
  kill();
  if (m_reader.joinable()) m_reader.join();
}

void NodeProcess::read_output(int fd) {
  char buf[4096];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(m_mutex);
    m_output.append(buf, static_cast<std::size_t>(n));
    m_changed.notify_all();
  }
  ::close(fd);
  std::lock_guard lock(m_mutex);
  m_eof = true;
  m_changed.notify_all();
}

std::optional<uint16_t> NodeProcess::wait_for_port(std::chrono::milliseconds deadline) {
  static const std::regex kLine(R"(RPC listening on ws://[^:\s]+:(\d+))");
  std::unique_lock lock(m_mutex);
  std::smatch match;
  bool found = m_changed.wait_for(lock, deadline, [&] { return std::regex_search(m_output, match, kLine) || m_eof; });
  if (!found || !std::regex_search(m_output, match, kLine)) return std::nullopt;
  return static_cast<uint16_t>(std::stoi(match[1].str()));
}

std::string NodeProcess::output() const {
  std::lock_guard lock(m_mutex);
  return m_output;
}

bool NodeProcess::running() {
  if (m_status || m_pid <= 0) return false;
  int status = 0;
  if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
    m_status = status;
    return false;
  }
  return true;
}

void NodeProcess::kill() {
  if (!running()) return;
  ::kill(m_pid, SIGKILL);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_status = status;
}

std::optional<int> NodeProcess::wait_exit(std::chrono::milliseconds deadline) {
  if (!eventually([this] { return !running(); }, deadline)) return std::nullopt;
  if (m_status && WIFEXITED(*m_status)) return WEXITSTATUS(*m_status);
  return m_status ? std::optional<int>(128 + WTERMSIG(*m_status)) : std::nullopt;
}

std::optional<int> NodeProcess::terminate(std::chrono::milliseconds deadline) {
  if (running()) ::kill(m_pid, SIGTERM);
  return wait_exit(deadline);
}

HttpReply http_post(uint16_t port, const std::string& body, const std::string& content_type) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::verb::post, "/", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, content_type);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  if (ec) return {0, ec.message()};
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

nlohmann::json http_rpc(uint16_t port, const std::string& method, const nlohmann::json& params) {
  nlohmann::json req{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
  auto reply = http_post(port, req.dump());
  if (reply.status != 200) return {{"http_status", reply.status}, {"body", reply.body}};
  return nlohmann::json::parse(reply.body, nullptr, false);
}

}  // namespace bazaar::test
