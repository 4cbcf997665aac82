#pragma once
// One worker thread that runs tasks in FIFO order: the network hands inbound
// work for the host (imports, transactions, finality messages, serving block
// requests) to it, so the socket thread never waits for the host.
//
// Droppable tasks (gossip) are refused when `limit` tasks are waiting, so a
// flood cannot grow memory without bound; other tasks (responses, requests we
// made) are always queued: they are bounded by our own requests.
//
// Stopping drains the queue: droppable posts are refused from then on, other
// posts are still taken (from any thread, the tasks themselves included) until
// the queue has run empty and the worker has finished; only then are they
// refused, and the caller has to run them itself.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace bazaar::node::network {

class HostQueue {
 public:
  explicit HostQueue(std::size_t limit) : m_limit(limit) {}
  ~HostQueue() { stop(); }
  HostQueue(const HostQueue&) = delete;
  HostQueue& operator=(const HostQueue&) = delete;

  void start();
  /// Runs what is queued (and what is posted while it drains), then joins.
  void stop();
  /// Queues `task`; false if the worker is not running (not started, or
  /// finished draining), or if `droppable` and the queue is full or stopping.
  bool post(std::function<void()> task, bool droppable);
  std::size_t size() const;

 private:
  void run();

  const std::size_t m_limit;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::function<void()>> m_tasks;
  bool m_stopping = false;
  bool m_started = false;
  bool m_drained = false;  // the worker saw the queue empty while stopping and is gone
  std::thread m_thread;
};

}  // namespace bazaar::node::network
