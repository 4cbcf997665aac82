#pragma once
// The node's logging facade (STYLE.md): one logger per target ("txpool", "net",
// "runtime::credits"), all writing to one shared sink set, with per-target levels
// configured from `-l` specs such as "info" or "txpool=debug,rpc=trace".
//
// A level configured for a target also applies to its sub-targets: "runtime=debug"
// covers "runtime::credits" unless "runtime::credits" has its own level. Loggers
// created after a spec was applied start at the configured level.
//
// Line format: `2026-11-21 18:00:00.123 INFO txpool: message` (local time,
// milliseconds), on stderr by default, colored only when stderr is a TTY.
// The runtime never logs (determinism): this facade is for the node side only.
// Every function here is thread-safe.

#include "runtime/result.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bazaar::node::log {

using Level = spdlog::level::level_enum;

/// Errors of parsing a `-l` level spec.
enum class LogError {
  EmptySpec = 1,  ///< the spec is empty or only blanks
  EmptyItem,      ///< an empty item between commas ("info,,net=debug")
  EmptyTarget,    ///< "=debug": no target before '='
  InvalidTarget,  ///< a target with characters other than [A-Za-z0-9_:.-]
  UnknownLevel,   ///< a level name other than trace/debug/info/warn/error/critical/off
};
const char* to_string(LogError e);

}  // namespace bazaar::node::log

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::log, LogError)

namespace bazaar::node::log {

/// A parsed `-l` spec: an optional default level and per-target levels, in order.
struct LevelSpec {
  std::optional<Level> default_level;
  std::vector<std::pair<std::string, Level>> targets;
};

/// The logger of `target`, created on first use with the level configured for it.
/// Components call this once and keep the pointer.
std::shared_ptr<spdlog::logger> logger(std::string_view target);

/// Parses a level name: trace, debug, info, warn (or warning), error, critical, off;
/// case-insensitive. nullopt for anything else.
std::optional<Level> parse_level(std::string_view name);

/// Parses a comma-separated spec of items `level` (the default level) or
/// `target=level`; blanks around items are ignored. On failure returns a LogError
/// and, when `detail` is given, stores a message naming the bad part, e.g.
/// "unknown log level 'debgu' in 'txpool=debgu' (expected trace, debug, info, warn,
/// error, critical or off)".
Result<LevelSpec> parse_level_spec(std::string_view spec, std::string* detail = nullptr);

/// Parses `spec` and applies it on top of the current configuration: a bare level
/// replaces the default level, `target=level` items set (or replace) that target's
/// level. Existing loggers are updated at once. Nothing changes if the spec is bad.
Result<void> apply_levels(std::string_view spec, std::string* detail = nullptr);

/// Sets the level of every target that has no level of its own.
void set_default_level(Level level);

/// Forgets all per-target levels and sets the default level (info at start-up).
void reset_levels(Level default_level = Level::info);

/// The level a logger for `target` has (or would get if created now).
Level effective_level(std::string_view target);

/// Replaces the shared sink set of every logger (a file sink, or a capture sink in
/// tests). An empty vector restores the default stderr sink. The facade installs
/// its line format on the given sinks.
void set_sinks(std::vector<spdlog::sink_ptr> sinks);

}  // namespace bazaar::node::log
