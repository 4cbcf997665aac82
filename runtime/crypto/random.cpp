#include "runtime/crypto/random.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace bazaar::runtime::crypto {

void os_random_bytes(std::span<uint8_t> out) {
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "fatal: cannot open /dev/urandom: %s\n", std::strerror(errno));
    std::abort();
  }
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::fprintf(stderr, "fatal: cannot read /dev/urandom: %s\n", n < 0 ? std::strerror(errno) : "end of file");
      ::close(fd);
      std::abort();
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace bazaar::runtime::crypto
