#include "node/offchain/launcher.hpp"

#include "node/offchain/worker.hpp"

#include <atomic>
#include <thread>

namespace bazaar::node::offchain {
namespace {

class WorkerThread final : public service::ProviderWorkerHandle {
 public:
  explicit WorkerThread(std::unique_ptr<Worker> worker) : m_worker(std::move(worker)) {
    m_thread = std::thread([this] { m_worker->run(m_stop); });
  }
  ~WorkerThread() override {
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
  }

 private:
  std::unique_ptr<Worker> m_worker;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

}  // namespace

service::ProviderLauncher make_provider_launcher() {
  return [](const service::ProviderLaunch& launch)
             -> boost::outcome_v2::result<std::unique_ptr<service::ProviderWorkerHandle>, std::string> {
    WorkerOptions options;
    options.rpc_url = launch.rpc_url;
    options.provider_suri = launch.key_suri;
    options.db_path = launch.db_path;
    options.direct_port = launch.direct_port;
    auto worker = Worker::open(std::move(options));
    if (!worker) return boost::outcome_v2::failure(worker.error());
    return std::unique_ptr<service::ProviderWorkerHandle>(new WorkerThread(std::move(worker).value()));
  };
}

}  // namespace bazaar::node::offchain
