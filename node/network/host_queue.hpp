#pragma once
// One worker thread that runs tasks in FIFO order: the network hands inbound
// work for the host (imports, transactions, finality messages, serving block
// requests) to it, so the socket thread never waits for the host.
//
// Droppable tasks (gossip) are refused when `limit` tasks are waiting, so a
// flood cannot grow memory without bound; other tasks (responses, requests we
// made) are always queued: they are bounded by our own requests.

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
  /// Runs what is queued, then joins. Later posts are refused.
  void stop();
  /// Queues `task`; false if stopped, or if `droppable` and the queue is full.
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
  std::thread m_thread;
};

}  // namespace bazaar::node::network
