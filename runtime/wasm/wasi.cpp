#include "runtime/wasm/wasi.hpp"

#include "runtime/crypto/hash.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace bazaar::runtime::wasm {
namespace {

static_assert(std::endian::native == std::endian::little,
              "guest memory is little-endian; the host accessors below copy bytes as they are");

using namespace wasi_errno;

// WASI preview 1 constants (wasi_snapshot_preview1.witx).
constexpr uint8_t kFiletypeUnknown = 0;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdFdstatSetFlags = 1ull << 3;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint64_t kRightPollFdReadwrite = 1ull << 27;
constexpr uint64_t kFdflagAppend = 1 << 0;
constexpr uint64_t kFdflagNonblock = 1 << 2;
constexpr uint64_t kClockThreadCputimeId = 3;  // the highest clock id
constexpr std::size_t kFdstatSize = 24;
constexpr std::size_t kIovecSize = 8;

/// Bounds-checked access to the guest's linear memory.
class Guest {
 public:
  explicit Guest(std::span<uint8_t> memory) : m_memory(memory) {}

  bool fits(uint64_t ptr, uint64_t len) const { return ptr <= m_memory.size() && len <= m_memory.size() - ptr; }
  uint8_t* at(uint64_t ptr) { return m_memory.data() + ptr; }

  bool load_u32(uint64_t ptr, uint32_t& out) {
    if (!fits(ptr, 4)) return false;
    std::memcpy(&out, at(ptr), 4);
    return true;
  }
  template <class T>
  bool store(uint64_t ptr, T value) {
    if (!fits(ptr, sizeof(T))) return false;
    std::memcpy(at(ptr), &value, sizeof(T));
    return true;
  }

 private:
  std::span<uint8_t> m_memory;
};

/// One iovec/ciovec: {u32 buf, u32 buf_len}, checked to lie in memory.
struct Iovec {
  uint64_t buf = 0;
  uint64_t len = 0;
};

bool load_iovec(Guest& guest, uint64_t iovs, uint64_t index, Iovec& out) {
  uint32_t buf = 0, len = 0;
  if (!guest.load_u32(iovs + index * kIovecSize, buf) || !guest.load_u32(iovs + index * kIovecSize + 4, len))
    return false;
  if (!guest.fits(buf, len)) return false;
  out = {buf, len};
  return true;
}

WasmFuncSig sig(std::initializer_list<WasmValType> params, bool returns_errno = true) {
  WasmFuncSig s;
  s.params.assign(params);
  if (returns_errno) s.results.push_back(WasmValType::I32);
  return s;
}

}  // namespace

const std::vector<WasiFunction>& wasi_functions() {
  using E = WasiEnvironment;
  constexpr auto I32 = WasmValType::I32;
  constexpr auto I64 = WasmValType::I64;
  static const std::vector<WasiFunction> functions = {
      {"args_get", sig({I32, I32}), &E::args_get},
      {"args_sizes_get", sig({I32, I32}), &E::args_sizes_get},
      {"clock_res_get", sig({I32, I32}), &E::clock_res_get},
      {"clock_time_get", sig({I32, I64, I32}), &E::clock_time_get},
      {"environ_get", sig({I32, I32}), &E::environ_get},
      {"environ_sizes_get", sig({I32, I32}), &E::environ_sizes_get},
      {"fd_close", sig({I32}), &E::fd_close},
      {"fd_fdstat_get", sig({I32, I32}), &E::fd_fdstat_get},
      {"fd_fdstat_set_flags", sig({I32, I32}), &E::fd_fdstat_set_flags},
      {"fd_prestat_dir_name", sig({I32, I32, I32}), &E::fd_prestat_dir_name},
      {"fd_prestat_get", sig({I32, I32}), &E::fd_prestat_get},
      {"fd_read", sig({I32, I32, I32, I32}), &E::fd_read},
      {"fd_seek", sig({I32, I64, I32, I32}), &E::fd_seek},
      {"fd_write", sig({I32, I32, I32, I32}), &E::fd_write},
      {"poll_oneoff", sig({I32, I32, I32, I32}), &E::poll_oneoff},
      {"proc_exit", sig({I32}, /*returns_errno=*/false), &E::proc_exit},
      {"random_get", sig({I32, I32}), &E::random_get},
      {"sched_yield", sig({}), &E::sched_yield},
  };
  return functions;
}

const WasiFunction* find_wasi_function(std::string_view name) {
  const auto& functions = wasi_functions();
  auto it = std::lower_bound(functions.begin(), functions.end(), name,
                             [](const WasiFunction& f, std::string_view n) { return f.name < n; });
  return it != functions.end() && it->name == name ? &*it : nullptr;
}

WasiEnvironment::WasiEnvironment(WasiOptions options) : m_options(std::move(options)) {}

std::optional<uint32_t> WasiEnvironment::call(const WasiFunction& fn, const uint64_t* args,
                                              std::span<uint8_t> memory) {
  uint32_t result = (this->*fn.handler)(args, memory);
  if (m_stop != WasiStop::None) return std::nullopt;
  return result;
}

uint32_t WasiEnvironment::args_sizes_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  uint64_t buf_size = 0;
  for (const auto& arg : m_options.argv) buf_size += arg.size() + 1;
  if (!guest.store(args[0], static_cast<uint32_t>(m_options.argv.size())) ||
      !guest.store(args[1], static_cast<uint32_t>(buf_size)))
    return kFault;
  return kSuccess;
}

uint32_t WasiEnvironment::args_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  uint64_t argv = args[0], buf = args[1];
  for (const auto& arg : m_options.argv) {
    if (!guest.store(argv, static_cast<uint32_t>(buf)) || !guest.fits(buf, arg.size() + 1)) return kFault;
    std::memcpy(guest.at(buf), arg.data(), arg.size());
    *guest.at(buf + arg.size()) = 0;
    argv += 4;
    buf += arg.size() + 1;
  }
  return kSuccess;
}

uint32_t WasiEnvironment::environ_sizes_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  if (!guest.store(args[0], uint32_t{0}) || !guest.store(args[1], uint32_t{0})) return kFault;
  return kSuccess;
}

uint32_t WasiEnvironment::environ_get(const uint64_t*, std::span<uint8_t>) { return kSuccess; }

uint32_t WasiEnvironment::fd_read(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  const uint64_t fd = args[0], iovs = args[1], iovs_len = args[2], nread_ptr = args[3];
  if (fd != 0 || !is_open(fd)) return kBadf;
  uint64_t total = 0;
  for (uint64_t i = 0; i < iovs_len; ++i) {
    Iovec iov;
    if (!load_iovec(guest, iovs, i, iov)) return kFault;
    std::size_t n = std::min<uint64_t>(iov.len, m_options.input.size() - m_input_pos);
    std::memcpy(guest.at(iov.buf), m_options.input.data() + m_input_pos, n);
    m_input_pos += n;
    total += n;
    if (n < iov.len) break;
  }
  if (!guest.store(nread_ptr, static_cast<uint32_t>(total))) return kFault;
  return kSuccess;
}

uint32_t WasiEnvironment::fd_write(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  const uint64_t fd = args[0], iovs = args[1], iovs_len = args[2], nwritten_ptr = args[3];
  if ((fd != 1 && fd != 2) || !is_open(fd)) return kBadf;
  Bytes& sink = fd == 1 ? m_stdout : m_stderr;
  const std::size_t bound = fd == 1 ? m_options.max_stdout_bytes : m_options.max_stderr_bytes;
  uint64_t total = 0;
  for (uint64_t i = 0; i < iovs_len; ++i) {
    Iovec iov;
    if (!load_iovec(guest, iovs, i, iov)) return kFault;
    const std::size_t room = bound - std::min(bound, sink.size());
    const std::size_t kept = std::min<uint64_t>(iov.len, room);
    sink.insert(sink.end(), guest.at(iov.buf), guest.at(iov.buf) + kept);
    total += iov.len;
    if (kept < iov.len && fd == 1) {
      m_stop = WasiStop::StdoutFull;  // stdout keeps exactly `bound` bytes
      return kSuccess;
    }
  }
  if (!guest.store(nwritten_ptr, static_cast<uint32_t>(total))) return kFault;
  return kSuccess;
}

uint32_t WasiEnvironment::fd_close(const uint64_t* args, std::span<uint8_t>) {
  if (!is_open(args[0])) return kBadf;
  m_closed[args[0]] = true;
  return kSuccess;
}

uint32_t WasiEnvironment::fd_seek(const uint64_t* args, std::span<uint8_t>) {
  return is_open(args[0]) ? kSpipe : kBadf;
}

uint32_t WasiEnvironment::fd_fdstat_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  const uint64_t fd = args[0], ptr = args[1];
  if (!is_open(fd)) return kBadf;
  if (!guest.fits(ptr, kFdstatSize)) return kFault;
  // fdstat: u8 filetype @0, u16 flags @2, u64 rights_base @8, u64 rights_inheriting @16.
  const uint64_t rights = (fd == 0 ? kRightFdRead : kRightFdWrite) | kRightFdFdstatSetFlags | kRightPollFdReadwrite;
  std::memset(guest.at(ptr), 0, kFdstatSize);
  guest.store(ptr, kFiletypeUnknown);
  guest.store(ptr + 8, rights);
  return kSuccess;
}

uint32_t WasiEnvironment::fd_fdstat_set_flags(const uint64_t* args, std::span<uint8_t>) {
  if (!is_open(args[0])) return kBadf;
  const uint64_t flags = args[1] & 0xffff;  // fdflags is a u16
  return (flags & ~(kFdflagAppend | kFdflagNonblock)) == 0 ? kSuccess : kNotsup;
}

uint32_t WasiEnvironment::fd_prestat_get(const uint64_t*, std::span<uint8_t>) { return kBadf; }

uint32_t WasiEnvironment::fd_prestat_dir_name(const uint64_t*, std::span<uint8_t>) { return kBadf; }

uint32_t WasiEnvironment::proc_exit(const uint64_t* args, std::span<uint8_t>) {
  m_stop = WasiStop::Exit;
  m_exit_code = static_cast<int32_t>(static_cast<uint32_t>(args[0]));
  return kSuccess;
}

uint32_t WasiEnvironment::clock_time_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  if (args[0] > kClockThreadCputimeId) return kInval;
  return guest.store(args[2], kFixedTimeNs) ? kSuccess : kFault;
}

uint32_t WasiEnvironment::clock_res_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  if (args[0] > kClockThreadCputimeId) return kInval;
  return guest.store(args[1], kClockResolutionNs) ? kSuccess : kFault;
}

uint32_t WasiEnvironment::random_get(const uint64_t* args, std::span<uint8_t> memory) {
  Guest guest(memory);
  if (!guest.fits(args[0], args[1])) return kFault;
  fill_random(guest.at(args[0]), args[1]);
  return kSuccess;
}

void WasiEnvironment::fill_random(uint8_t* out, std::size_t n) {
  while (n > 0) {
    if (m_random_used == H256::kSize) {
      uint8_t index[8];
      for (int i = 0; i < 8; ++i) index[i] = static_cast<uint8_t>(m_random_block >> (8 * i));
      m_random_buffer = crypto::blake2b_256_concat({m_options.random_seed.span(), ByteSpan(index, 8)});
      ++m_random_block;
      m_random_used = 0;
    }
    const std::size_t take = std::min(n, H256::kSize - m_random_used);
    std::memcpy(out, m_random_buffer.data() + m_random_used, take);
    m_random_used += take;
    out += take;
    n -= take;
  }
}

uint32_t WasiEnvironment::sched_yield(const uint64_t*, std::span<uint8_t>) { return kSuccess; }

uint32_t WasiEnvironment::poll_oneoff(const uint64_t*, std::span<uint8_t>) { return kNotsup; }

}  // namespace bazaar::runtime::wasm
