#pragma once
// Node metrics in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// A Registry owns metric families (a name, a help line, a type) and their
// series (one per label set). Counters, gauges and histograms are updated
// lock-free from any thread (atomics); render() takes a consistent-enough
// snapshot for scraping (each value is read atomically, the set of series
// under a mutex). Registering a family twice with the same name and type
// returns the existing one; with another type it throws std::logic_error (a
// programming error, found at start-up).
//
// Names follow Prometheus conventions: `bazaar_` prefix, snake_case, `_total`
// for counters, base units (seconds, bytes) in the name.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace bazaar::node::metrics {

/// Label name -> value, e.g. {{"status", "best"}}. Sorted, so one set has one text form.
using Labels = std::map<std::string, std::string>;

/// Monotonically increasing count.
class Counter {
 public:
  void inc(uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> m_value{0};
};

/// A value that goes up and down.
class Gauge {
 public:
  void set(int64_t v) { m_value.store(v, std::memory_order_relaxed); }
  void inc(int64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
  void dec(int64_t n = 1) { m_value.fetch_sub(n, std::memory_order_relaxed); }
  int64_t value() const { return m_value.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> m_value{0};
};

/// Cumulative histogram over fixed upper bounds (an implicit +Inf bucket).
class Histogram {
 public:
  /// `bounds` must be strictly increasing (std::invalid_argument otherwise).
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  ///< per bound, then +Inf (= count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> m_bounds;
  std::unique_ptr<std::atomic<uint64_t>[]> m_buckets;  // non-cumulative, one per bound + Inf
  std::atomic<uint64_t> m_count{0};
  std::atomic<double> m_sum{0};
};

/// Buckets growing by `factor` from `start`: start, start*factor, ... (count bounds).
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                       const Labels& labels = {});
  /// A gauge whose value is read at scrape time (e.g. the pool size).
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> read,
                const Labels& labels = {});
  /// A counter whose value is read at scrape time from a source that only
  /// grows (e.g. the network's byte counters), rendered with `# TYPE … counter`
  /// (Substrate's SourcedCounter). Registering the same name and labels again
  /// replaces the reader.
  void counter_fn(const std::string& name, const std::string& help, std::function<uint64_t()> read,
                  const Labels& labels = {});

  /// Every family, sorted by name, in the text format 0.0.4.
  std::string render() const;

 private:
  enum class Kind { Counter, Gauge, Histogram };
  struct Series {
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::function<double()> read;
    std::function<uint64_t()> read_count;
  };
  struct Family {
    Kind kind;
    std::string help;
    std::map<Labels, Series> series;
  };
  Family& family(const std::string& name, const std::string& help, Kind kind);

  mutable std::mutex m_mutex;
  std::map<std::string, Family> m_families;
};

}  // namespace bazaar::node::metrics
