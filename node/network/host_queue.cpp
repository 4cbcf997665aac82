#include "node/network/host_queue.hpp"

namespace bazaar::node::network {

void HostQueue::start() {
  std::lock_guard lock(m_mutex);
  if (m_started) return;
  m_started = true;
  m_stopping = false;
  m_drained = false;
  m_thread = std::thread([this] { run(); });
}

void HostQueue::stop() {
  {
    std::lock_guard lock(m_mutex);
    if (!m_started) return;
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
  std::lock_guard lock(m_mutex);
  m_started = false;
}

bool HostQueue::post(std::function<void()> task, bool droppable) {
  {
    std::lock_guard lock(m_mutex);
    if (!m_started || m_drained) return false;
    if (droppable && (m_stopping || m_tasks.size() >= m_limit)) return false;
    m_tasks.push_back(std::move(task));
  }
  m_cv.notify_one();
  return true;
}

std::size_t HostQueue::size() const {
  std::lock_guard lock(m_mutex);
  return m_tasks.size();
}

void HostQueue::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_cv.wait(lock, [this] { return m_stopping || !m_tasks.empty(); });
      if (m_tasks.empty()) {  // stopping and drained
        m_drained = true;
        return;
      }
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    }
    task();
  }
}

}  // namespace bazaar::node::network
