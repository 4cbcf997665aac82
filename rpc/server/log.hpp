#pragma once
// The "rpc" log target (STYLE.md: one logger per component, per-target levels).

#include <spdlog/spdlog.h>

#include <memory>

namespace bazaar::rpc {

/// The spdlog logger named "rpc": the one registered under that name, or one
/// created on first use that writes to the default logger's sinks.
std::shared_ptr<spdlog::logger> rpc_log();

}  // namespace bazaar::rpc
