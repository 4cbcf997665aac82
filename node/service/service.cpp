#include "node/service/service.hpp"

#include "modules/composition/executive.hpp"
#include "node/log/log.hpp"
#include "node/network/node_key.hpp"
#include "node/service/node_metrics.hpp"
#include "rpc/methods/methods.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/crypto/hash.hpp"
#include "runtime/crypto/ss58.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <system_error>

namespace bazaar::node::service {

const char* to_string(ServiceError e) {
  switch (e) {
    case ServiceError::BadLogSpec: return "bad log level spec";
    case ServiceError::ChainSpec: return "cannot load the chain spec";
    case ServiceError::DataDirectory: return "cannot create the data directory";
    case ServiceError::Database: return "cannot open the database";
    case ServiceError::Chain: return "cannot open the chain";
    case ServiceError::AuthorityKey: return "invalid authority key";
    case ServiceError::Rpc: return "cannot start the RPC server";
    case ServiceError::Provider: return "cannot start the provider worker";
    case ServiceError::Network: return "cannot start networking";
    case ServiceError::Metrics: return "cannot start the Prometheus endpoint";
  }
  return "unknown service error";
}

}  // namespace bazaar::node::service

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::service, ServiceError, "service", to_string)

namespace bazaar::node::service {

namespace {

std::shared_ptr<spdlog::logger> service_log() { return log::logger("service"); }

/// blake2b-256 of each extrinsic of a stored block (the pool's hashes); empty if unreadable.
std::vector<runtime::H256> extrinsic_hashes(const chain::BlockStore& blocks, const runtime::H256& hash) {
  std::vector<runtime::H256> out;
  auto body = blocks.body(hash);
  if (!body || !body.value()) {
    service_log()->error("cannot read the body of block {}", runtime::to_hex(hash));
    return out;
  }
  for (const auto& xt : *body.value()) out.push_back(runtime::crypto::blake2b_256(xt.encoded));
  return out;
}

std::filesystem::path default_base_path() {
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local" / "share" / "bazaar";
  return std::filesystem::current_path() / "bazaar-data";
}

}  // namespace

Result<std::unique_ptr<Service>> Service::start(ServiceOptions options, ServiceHooks hooks, std::string* detail) {
  std::unique_ptr<Service> service(new Service(std::move(options), std::move(hooks)));
  std::string message;
  auto built = service->build(message);
  if (!built) {
    service->stop();
    if (detail) *detail = message;
    return built.error();
  }
  return service;
}

Service::~Service() { stop(); }

Result<void> Service::build(std::string& detail) {
  for (const auto& spec : m_options.log_specs) {
    if (!log::apply_levels(spec, &detail)) return ServiceError::BadLogSpec;
  }
  auto spec = genesis::resolve_chain_spec(m_options.chain, &detail);
  if (!spec) return ServiceError::ChainSpec;
  m_c.spec = std::move(spec).value();
  service_log()->info("Bazaar node \"{}\", chain \"{}\" ({})", m_options.node_name, m_c.spec.name,
                      m_c.spec.chain_type);

  BAZAAR_TRY(open_storage(detail));
  m_c.pool = std::make_unique<txpool::TxPool>(
      m_options.pool,
      [&chain = *m_c.chain](txpool::TransactionSource source, runtime::ByteSpan xt) {
        return validate_at_best(chain, source, xt);
      },
      m_c.chain->best().number);
  wire_pool();
  m_c.hub = std::make_unique<HeadHub>();
  wire_hub();
  BAZAAR_TRY(start_networking(detail));
  BAZAAR_TRY(start_authoring(detail));
  BAZAAR_TRY(start_rpc(detail));
  BAZAAR_TRY(start_metrics_server(detail));
  BAZAAR_TRY(start_provider(detail));
  return success();
}

Result<void> Service::open_storage(std::string& detail) {
  std::filesystem::path base;
  if (m_options.storage.base_path) {
    base = *m_options.storage.base_path;
  } else if (m_options.storage.tmp) {
    auto tmp = TempDir::create("bazaar-");
    if (!tmp) {
      detail = "cannot create a temporary directory: " + tmp.error().message();
      return ServiceError::DataDirectory;
    }
    m_c.tmp_dir.emplace(std::move(tmp).value());
    base = m_c.tmp_dir->path();
  } else {
    base = default_base_path();
  }
  m_c.data_dir = base / "chains" / m_c.spec.id;
  std::error_code ec;
  std::filesystem::create_directories(m_c.data_dir, ec);
  if (ec) {
    detail = fmt::format("cannot create {}: {}", m_c.data_dir.string(), ec.message());
    return ServiceError::DataDirectory;
  }
  service_log()->info("data directory {}", m_c.data_dir.string());

  std::string db_detail;
  // A pruned node keeps its trie nodes in a node log (leveldb_store.hpp); an
  // archive node keeps them in LevelDB, whose index is on disk.
  db::LevelDbOptions db_options;
  db_options.trie_node_log = m_options.chain_options.state_pruning.has_value();
  auto db = db::LevelDbStore::open(m_c.data_dir / "db", db_options, &db_detail);
  if (!db) {
    detail = fmt::format("cannot open the database in {}: {}{}", (m_c.data_dir / "db").string(),
                         db.error().message(), db_detail.empty() ? "" : " (" + db_detail + ")");
    return ServiceError::Database;
  }
  m_c.db = std::move(db).value();
  m_c.trie = std::make_unique<trie::TrieDb>(*m_c.db);

  std::string chain_detail;
  auto chain = chain::Chain::open(*m_c.db, *m_c.trie, m_c.spec.genesis_storage, m_options.chain_options,
                                  &chain_detail);
  if (!chain) {
    detail = fmt::format("cannot open the chain in {}: {}{}", (m_c.data_dir / "db").string(), chain.error().message(),
                         chain_detail.empty() ? "" : ": " + chain_detail);
    return ServiceError::Chain;
  }
  m_c.chain = std::move(chain).value();
  auto best = m_c.chain->best();
  service_log()->info("genesis {}, best #{} {}, finalized #{}", runtime::to_hex(m_c.chain->genesis().hash),
                      best.number, runtime::to_hex(best.hash), m_c.chain->finalized().number);
  return success();
}

void Service::wire_pool() {
  auto& chain = *m_c.chain;
  auto& pool = *m_c.pool;
  chain::ChainListener listener;
  listener.on_new_best = [&chain, &pool](const chain::NewBestEvent& e) {
    // Transactions of blocks that left the best chain go back to the pool.
    for (const auto& gone : e.retracted) {
      auto body = chain.blocks().body(gone.hash);
      if (!body || !body.value()) continue;
      for (const auto& xt : *body.value()) (void)pool.submit(txpool::TransactionSource::InBlock, xt.encoded);
    }
    for (std::size_t i = 0; i + 1 < e.enacted.size(); ++i) {
      auto hashes = extrinsic_hashes(chain.blocks(), e.enacted[i].hash);
      pool.remove_included(e.enacted[i].hash, hashes);
    }
    auto included = extrinsic_hashes(chain.blocks(), e.best.hash);
    pool.on_block_imported(e.best.number, e.best.hash, included,
                           [&chain](txpool::TransactionSource source, runtime::ByteSpan xt) {
                             return validate_at_best(chain, source, xt);
                           });
  };
  listener.on_finalized = [&chain, &pool](const chain::FinalizedEvent& e) {
    for (const auto& block : e.newly_finalized)
      pool.on_block_finalized(block.hash, extrinsic_hashes(chain.blocks(), block.hash));
  };
  m_c.pool_listener = chain.subscribe(std::move(listener));
}

void Service::wire_hub() {
  auto& chain = *m_c.chain;
  auto& hub = *m_c.hub;
  chain::ChainListener listener;
  listener.on_imported = [&hub](const chain::BlockImportedEvent& e) {
    hub.post(HeadHub::Stream::All, e.block.hash, e.header);
  };
  listener.on_new_best = [&hub](const chain::NewBestEvent& e) {
    hub.post(HeadHub::Stream::Best, e.best.hash, e.header);
  };
  listener.on_finalized = [&chain, &hub](const chain::FinalizedEvent& e) {
    for (const auto& block : e.newly_finalized) {
      if (block.hash == e.block.hash) {
        hub.post(HeadHub::Stream::Finalized, block.hash, e.header);
      } else if (auto header = chain.blocks().header(block.hash); header && header.value()) {
        hub.post(HeadHub::Stream::Finalized, block.hash, *header.value());
      }
    }
  };
  m_c.hub_listener = chain.subscribe(std::move(listener));
}

Result<void> Service::start_authoring(std::string& detail) {
  if (!m_options.authoring.validator) return success();
  if (!m_options.authoring.key_suri) {
    detail = "--validator needs an authority key (--key SURI or FILE)";
    return ServiceError::AuthorityKey;
  }
  auto key = runtime::crypto::keypair_from_suri(*m_options.authoring.key_suri);
  if (!key) {
    detail = "the authority key is not a valid secret URI: " + key.error().message();
    return ServiceError::AuthorityKey;
  }
  service_log()->info("authoring blocks as {}", runtime::crypto::ss58_encode(key.value().account_id(),
                                                                             m_c.spec.properties.ss58_format));
  m_c.clock = std::make_unique<consensus::SystemClock>();
  consensus::AuraAuthorOptions options;
  options.keys.push_back(std::move(key).value());
  options.dev_finality = m_dev_finality;
  m_c.author = std::make_unique<consensus::AuraAuthor>(*m_c.chain, m_c.pool.get(), *m_c.clock, std::move(options));
  m_c.author->start();
  return success();
}

Result<void> Service::start_rpc(std::string& detail) {
  m_c.chain_port = std::make_unique<ChainPortImpl>(*m_c.chain, *m_c.hub);
  m_c.state_port = std::make_unique<StatePortImpl>(*m_c.chain);
  m_c.author_port = std::make_unique<AuthorPortImpl>(*m_c.pool);
  m_c.system_port = std::make_unique<SystemPortImpl>(m_c.spec, *m_c.chain, *m_c.pool, m_options.authoring.validator,
                                                     m_c.chain->best().number, m_c.network.get());
  m_c.keystore = std::make_unique<Keystore>(m_c.data_dir / "keystore");
  m_c.offchain_port = std::make_unique<OffchainPortImpl>(*m_c.db);
  m_c.registry = std::make_unique<rpc::MethodRegistry>();
  rpc::register_node_methods(*m_c.registry,
                             {*m_c.chain_port, *m_c.state_port, *m_c.author_port, *m_c.system_port, *m_c.keystore,
                              *m_c.offchain_port},
                             m_options.rpc_state);
  // The RPC server logs through the spdlog logger registered as "rpc": make it the
  // facade's, so it shares the node's sinks, format and -l levels.
  if (!spdlog::get("rpc")) spdlog::register_logger(log::logger("rpc"));
  m_c.rpc = std::make_unique<rpc::RpcServer>(m_options.rpc, *m_c.registry);
  rpc::register_server_stats(*m_c.registry, *m_c.rpc);
  auto started = m_c.rpc->start();
  if (!started) {
    detail = fmt::format("cannot listen on {}:{}: {}", m_options.rpc.listen_address, m_options.rpc.port,
                         started.error().message());
    return ServiceError::Rpc;
  }
  service_log()->info("RPC on {}", rpc_url());
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(m_options.rpc.listen_address, ec);
  if (!ec && !address.is_loopback()) {
    service_log()->warn("the RPC server listens on {}, reachable from other machines: put a proxy with rate limits "
                        "and access control in front of it",
                        m_options.rpc.listen_address);
    if (m_options.rpc.methods == rpc::RpcMethods::Unsafe)
      service_log()->warn("unsafe RPC methods (key insertion, offchain storage, dry runs) are open to every peer "
                          "(--rpc-methods unsafe)");
  }
  return success();
}

Result<void> Service::start_provider(std::string& detail) {
  if (!m_options.provider.enabled) return success();
  if (!m_hooks.provider_launcher) {
    detail = "--provider: this build has no provider worker launcher";
    return ServiceError::Provider;
  }
  ProviderLaunch launch{rpc_url(), m_options.provider.key_suri,
                        m_options.provider.db_path.value_or(m_c.data_dir / "provider"), m_options.provider.direct_port};
  auto worker = m_hooks.provider_launcher(launch);
  if (!worker) {
    detail = "--provider: " + worker.error();
    return ServiceError::Provider;
  }
  m_c.provider = std::move(worker).value();
  service_log()->info("provider worker running, database {}", launch.db_path.string());
  return success();
}

void Service::stop() {
  m_c.metrics_server.reset();
  m_c.provider.reset();
  if (m_c.rpc) m_c.rpc->stop();  // ends every subscription while the ports still exist
  m_c.rpc.reset();
  m_c.registry.reset();
  m_c.offchain_port.reset();
  m_c.keystore.reset();
  m_c.system_port.reset();
  m_c.author_port.reset();
  m_c.state_port.reset();
  m_c.chain_port.reset();
  if (m_c.author) m_c.author->stop();
  m_c.author.reset();
  m_c.clock.reset();
  if (m_c.network) m_c.network->stop();
  m_c.network.reset();
  if (m_c.metrics_listener) m_c.chain->unsubscribe(*std::exchange(m_c.metrics_listener, std::nullopt));
  m_c.metrics.reset();
  if (m_c.hub_listener) m_c.chain->unsubscribe(*std::exchange(m_c.hub_listener, std::nullopt));
  if (m_c.hub) m_c.hub->stop();
  m_c.hub.reset();
  if (m_c.pool_listener) m_c.chain->unsubscribe(*std::exchange(m_c.pool_listener, std::nullopt));
  m_c.pool.reset();
  m_c.chain.reset();
  m_c.trie.reset();
  m_c.db.reset();
  m_c.tmp_dir.reset();
}

uint16_t Service::rpc_port() const { return m_c.rpc ? m_c.rpc->port() : 0; }

std::string Service::rpc_url() const {
  auto host = m_options.rpc.listen_address;
  if (host == "0.0.0.0") host = "127.0.0.1";  // reachable locally whatever the bind address
  if (host == "::") host = "[::1]";
  else if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return fmt::format("ws://{}:{}", host, rpc_port());
}

}  // namespace bazaar::node::service
