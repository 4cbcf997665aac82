#include "node/log/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::log, LogError, "log", to_string)

namespace bazaar::node::log {

const char* to_string(LogError e) {
  switch (e) {
    case LogError::EmptySpec: return "empty log level spec";
    case LogError::EmptyItem: return "empty item in log level spec";
    case LogError::EmptyTarget: return "missing log target before '='";
    case LogError::InvalidTarget: return "invalid log target";
    case LogError::UnknownLevel: return "unknown log level";
  }
  return "unknown log error";
}

namespace {

constexpr const char* kPattern = "%Y-%m-%d %H:%M:%S.%e %^%*%$ %n: %v";
constexpr const char* kExpectedLevels = "expected trace, debug, info, warn, error, critical or off";

/// `%*`: the level in capitals (INFO, WARN, ...), as Substrate prints it.
class UpperLevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string_view name;
    switch (msg.level) {
      case Level::trace: name = "TRACE"; break;
      case Level::debug: name = "DEBUG"; break;
      case Level::info: name = "INFO"; break;
      case Level::warn: name = "WARN"; break;
      case Level::err: name = "ERROR"; break;
      case Level::critical: name = "CRITICAL"; break;
      default: name = "OFF"; break;
    }
    dest.append(name.data(), name.data() + name.size());
  }
  std::unique_ptr<spdlog::custom_flag_formatter> clone() const override {
    return std::make_unique<UpperLevelFlag>();
  }
};

std::unique_ptr<spdlog::formatter> make_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<UpperLevelFlag>('*').set_pattern(kPattern);
  return formatter;
}

struct Registry {
  std::mutex mutex;
  Level default_level = Level::info;
  std::map<std::string, Level, std::less<>> target_levels;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
  /// The one sink of every logger; it fans out to the configured sinks under its own
  /// mutex, so the sink set can be swapped while other threads log.
  std::shared_ptr<spdlog::sinks::dist_sink_mt> fan_out = std::make_shared<spdlog::sinks::dist_sink_mt>();

  Registry() { install_sinks({}); }

  void install_sinks(std::vector<spdlog::sink_ptr> sinks) {
    if (sinks.empty()) {
      sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic));
    }
    for (auto& sink : sinks) sink->set_formatter(make_formatter());
    fan_out->set_sinks(std::move(sinks));
  }

  /// The level of the most specific configured target equal to `target` or an
  /// ancestor of it ("runtime" for "runtime::credits"); the default otherwise.
  Level level_for(std::string_view target) const {
    std::size_t best_len = 0;
    Level level = default_level;
    for (const auto& [name, lvl] : target_levels) {
      bool matches = target == name ||
                     (target.size() > name.size() + 1 && target.starts_with(name) &&
                      target.substr(name.size(), 2) == "::");
      if (matches && name.size() >= best_len) {
        best_len = name.size();
        level = lvl;
      }
    }
    return level;
  }

  void refresh_levels() {
    for (auto& [name, lg] : loggers) lg->set_level(level_for(name));
  }
};

Registry& registry() {
  static Registry instance;
  return instance;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_target(std::string_view target) {
  return std::all_of(target.begin(), target.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '.' || c == '-';
  });
}

boost::system::error_code fail(LogError e, std::string* detail, std::string message) {
  if (detail) *detail = std::move(message);
  return e;
}

}  // namespace

std::shared_ptr<spdlog::logger> logger(std::string_view target) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  if (auto it = reg.loggers.find(target); it != reg.loggers.end()) return it->second;
  auto lg = std::make_shared<spdlog::logger>(std::string(target), reg.fan_out);
  lg->set_level(reg.level_for(target));
  reg.loggers.emplace(std::string(target), lg);
  return lg;
}

std::optional<Level> parse_level(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "trace") return Level::trace;
  if (lower == "debug") return Level::debug;
  if (lower == "info") return Level::info;
  if (lower == "warn" || lower == "warning") return Level::warn;
  if (lower == "error") return Level::err;
  if (lower == "critical") return Level::critical;
  if (lower == "off") return Level::off;
  return std::nullopt;
}

Result<LevelSpec> parse_level_spec(std::string_view spec, std::string* detail) {
  if (trim(spec).empty()) return fail(LogError::EmptySpec, detail, "empty log level spec");
  LevelSpec out;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view item = trim(spec.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      return fail(LogError::EmptyItem, detail, fmt::format("empty item in log level spec '{}'", spec));
    }
    std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      auto level = parse_level(item);
      if (!level) {
        return fail(LogError::UnknownLevel, detail,
                    fmt::format("'{}' is neither a log level nor target=level ({})", item, kExpectedLevels));
      }
      out.default_level = *level;
      continue;
    }
    std::string_view target = trim(item.substr(0, eq));
    std::string_view level_name = trim(item.substr(eq + 1));
    if (target.empty()) {
      return fail(LogError::EmptyTarget, detail, fmt::format("missing log target before '=' in '{}'", item));
    }
    if (!valid_target(target)) {
      return fail(LogError::InvalidTarget, detail,
                  fmt::format("invalid log target '{}' in '{}' (allowed: letters, digits, _ : . -)", target, item));
    }
    auto level = parse_level(level_name);
    if (!level) {
      return fail(LogError::UnknownLevel, detail,
                  fmt::format("unknown log level '{}' in '{}' ({})", level_name, item, kExpectedLevels));
    }
    out.targets.emplace_back(std::string(target), *level);
  }
  return out;
}

Result<void> apply_levels(std::string_view spec, std::string* detail) {
  BAZAAR_TRY(auto parsed, parse_level_spec(spec, detail));
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  if (parsed.default_level) reg.default_level = *parsed.default_level;
  for (auto& [target, level] : parsed.targets) reg.target_levels[target] = level;
  reg.refresh_levels();
  return success();
}

void set_default_level(Level level) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.default_level = level;
  reg.refresh_levels();
}

void reset_levels(Level default_level) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.default_level = default_level;
  reg.target_levels.clear();
  reg.refresh_levels();
}

Level effective_level(std::string_view target) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  return reg.level_for(target);
}

void set_sinks(std::vector<spdlog::sink_ptr> sinks) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.install_sinks(std::move(sinks));
}

}  // namespace bazaar::node::log
