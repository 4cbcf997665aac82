#include "node/service/head_hub.hpp"

#include "node/log/log.hpp"

#include <vector>

namespace bazaar::node::service {

HeadHub::HeadHub() : m_thread([this](std::stop_token stop) { run(stop); }) {}

HeadHub::~HeadHub() { stop(); }

void HeadHub::post(Stream stream, const runtime::H256& hash, const runtime::Header& header) {
  {
    std::lock_guard lock(m_mutex);
    if (m_queue.size() >= kMaxQueued) {
      m_queue.pop_front();
      log::logger("rpc")->warn("head notifications are not keeping up; dropped the oldest");
    }
    m_queue.push_back({stream, hash, header});
  }
  m_wake.notify_one();
}

rpc::PortSubscription HeadHub::subscribe(Stream stream, rpc::ChainPort::HeadCallback callback) {
  std::lock_guard lock(m_mutex);
  auto id = m_next_id++;
  m_callbacks.emplace(id, std::make_pair(stream, std::make_shared<rpc::ChainPort::HeadCallback>(std::move(callback))));
  return rpc::PortSubscription([this, id] {
    std::shared_ptr<rpc::ChainPort::HeadCallback> doomed;  // destroyed after the lock is released
    std::lock_guard lock(m_mutex);
    auto it = m_callbacks.find(id);
    if (it == m_callbacks.end()) return;
    doomed = std::move(it->second.second);
    m_callbacks.erase(it);
  });
}

void HeadHub::stop() {
  if (m_thread.joinable()) {
    m_thread.request_stop();
    m_wake.notify_all();
    m_thread.join();
  }
  decltype(m_callbacks) doomed;
  {
    std::lock_guard lock(m_mutex);
    doomed.swap(m_callbacks);
    m_queue.clear();
  }
}

void HeadHub::run(std::stop_token stop) {
  for (;;) {
    Event event;
    std::vector<std::shared_ptr<rpc::ChainPort::HeadCallback>> targets;
    {
      std::unique_lock lock(m_mutex);
      if (!m_wake.wait(lock, stop, [this] { return !m_queue.empty(); })) return;
      event = std::move(m_queue.front());
      m_queue.pop_front();
      for (const auto& [id, entry] : m_callbacks)
        if (entry.first == event.stream) targets.push_back(entry.second);
    }
    for (const auto& cb : targets) (*cb)(event.hash, event.header);
  }
}

}  // namespace bazaar::node::service
