#include "rpc/server/log.hpp"

namespace bazaar::rpc {

std::shared_ptr<spdlog::logger> rpc_log() {
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("rpc")) return existing;
    auto sinks = spdlog::default_logger()->sinks();
    auto created = std::make_shared<spdlog::logger>("rpc", sinks.begin(), sinks.end());
    try {
      spdlog::initialize_logger(created);  // registers it and applies the global level
    } catch (const spdlog::spdlog_ex&) {
      if (auto existing = spdlog::get("rpc")) return existing;  // registered concurrently elsewhere
    }
    return created;
  }();
  return logger;
}

}  // namespace bazaar::rpc
