#pragma once
// Fans the chain's head events out to RPC subscribers on a thread of its own,
// so that a slow subscriber (a storage subscription reading many keys) never
// delays block import and authoring. Events keep their order.

#include "rpc/ports/chain_port.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace bazaar::node::service {

class HeadHub {
 public:
  enum class Stream { Best, Finalized, All };

  /// At most this many events wait for delivery; beyond it the oldest are
  /// dropped (with a warning): subscribers then miss heads but the node goes on.
  static constexpr std::size_t kMaxQueued = 4096;

  HeadHub();
  ~HeadHub();  ///< stop()s
  HeadHub(const HeadHub&) = delete;
  HeadHub& operator=(const HeadHub&) = delete;

  /// Queues an event (any thread).
  void post(Stream stream, const runtime::H256& hash, const runtime::Header& header);
  /// Registers a callback, run on the hub's thread for each later event of `stream`.
  rpc::PortSubscription subscribe(Stream stream, rpc::ChainPort::HeadCallback callback);
  /// Delivers nothing more and joins the thread (idempotent). Callbacks still
  /// registered are released.
  void stop();

 private:
  struct Event {
    Stream stream;
    runtime::H256 hash;
    runtime::Header header;
  };
  void run(std::stop_token stop);

  std::mutex m_mutex;
  std::condition_variable_any m_wake;
  std::deque<Event> m_queue;
  uint64_t m_next_id = 1;
  std::map<uint64_t, std::pair<Stream, std::shared_ptr<rpc::ChainPort::HeadCallback>>> m_callbacks;
  std::jthread m_thread;
};

}  // namespace bazaar::node::service
