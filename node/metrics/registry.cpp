#include "node/metrics/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bazaar::node::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : m_bounds(std::move(bounds)), m_buckets(new std::atomic<uint64_t>[m_bounds.size() + 1]) {
  for (std::size_t i = 1; i < m_bounds.size(); ++i) {
    if (!(m_bounds[i - 1] < m_bounds[i])) throw std::invalid_argument("histogram bounds must increase");
  }
  for (std::size_t i = 0; i <= m_bounds.size(); ++i) m_buckets[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  auto it = std::lower_bound(m_bounds.begin(), m_bounds.end(), v);  // first bound >= v: "le" semantics
  m_buckets[static_cast<std::size_t>(it - m_bounds.begin())].fetch_add(1, std::memory_order_relaxed);
  m_count.fetch_add(1, std::memory_order_relaxed);
  double old = m_sum.load(std::memory_order_relaxed);
  while (!m_sum.compare_exchange_weak(old, old + v, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = m_bounds;
  uint64_t running = 0;
  for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
    running += m_buckets[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;  // consistent with the buckets even while observe() runs
  s.sum = m_sum.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  std::vector<double> out;
  double v = start;
  for (std::size_t i = 0; i < count; ++i, v *= factor) out.push_back(v);
  return out;
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Kind kind) {
  auto [it, inserted] = m_families.try_emplace(name, Family{kind, help, {}});
  if (!inserted && it->second.kind != kind) {
    throw std::logic_error("metric " + name + " registered twice with different types");
  }
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(m_mutex);
  auto& s = family(name, help, Kind::Counter).series[labels];
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(m_mutex);
  auto& s = family(name, help, Kind::Gauge).series[labels];
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                               const Labels& labels) {
  std::lock_guard lock(m_mutex);
  auto& s = family(name, help, Kind::Histogram).series[labels];
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *s.histogram;
}

void Registry::gauge_fn(const std::string& name, const std::string& help, std::function<double()> read,
                        const Labels& labels) {
  std::lock_guard lock(m_mutex);
  family(name, help, Kind::Gauge).series[labels].read = std::move(read);
}

void Registry::counter_fn(const std::string& name, const std::string& help, std::function<uint64_t()> read,
                          const Labels& labels) {
  std::lock_guard lock(m_mutex);
  family(name, help, Kind::Counter).series[labels].read_count = std::move(read);
}

namespace {

// Label values escape backslash, double quote and newline; help text escapes backslash and newline.
std::string escape(const std::string& s, bool quotes) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
  return out;
}

std::string label_text(const Labels& labels, const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && !extra) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    out += fmt::format("{}{}=\"{}\"", first ? "" : ",", k, escape(v, true));
    first = false;
  }
  if (extra) out += fmt::format("{}{}=\"{}\"", first ? "" : ",", extra->first, extra->second);
  return out + "}";
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(m_mutex);
  std::string out;
  for (const auto& [name, fam] : m_families) {
    const char* type = fam.kind == Kind::Counter ? "counter" : fam.kind == Kind::Gauge ? "gauge" : "histogram";
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape(fam.help, false), name, type);
    for (const auto& [labels, s] : fam.series) {
      if (s.counter) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), s.counter->value());
      } else if (s.gauge) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), s.gauge->value());
      } else if (s.read_count) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), s.read_count());
      } else if (s.read) {
        out += fmt::format("{}{} {}\n", name, label_text(labels), number(s.read()));
      } else if (s.histogram) {
        auto snap = s.histogram->snapshot();
        for (std::size_t i = 0; i <= snap.bounds.size(); ++i) {
          std::pair<std::string, std::string> le{"le", i < snap.bounds.size() ? number(snap.bounds[i]) : "+Inf"};
          out += fmt::format("{}_bucket{} {}\n", name, label_text(labels, &le), snap.cumulative[i]);
        }
        out += fmt::format("{}_sum{} {}\n", name, label_text(labels), number(snap.sum));
        out += fmt::format("{}_count{} {}\n", name, label_text(labels), snap.count);
      }
    }
  }
  return out;
}

}  // namespace bazaar::node::metrics
