#include "modules/composition/executive.hpp"
#include "node/service/service.hpp"
#include "runtime/crypto/derive.hpp"
#include "runtime/primitives/extrinsic.hpp"
#include "tests/support/vectors.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace bazaar;
using node::service::Service;
using node::service::ServiceError;
using node::service::ServiceOptions;

namespace {

ServiceOptions dev_options(bool validator) {
  ServiceOptions o;
  o.chain = "dev";
  o.storage.tmp = true;
  o.rpc.port = 0;
  o.authoring.validator = validator;
  if (validator) o.authoring.key_suri = "//Alice";
  o.log_specs = {"warn"};
  return o;
}

template <class F>
bool eventually(F done, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

runtime::Bytes transfer_call(const runtime::AccountId32& dest, runtime::Balance value) {
  runtime::Bytes call{4, 3, 0};
  call.insert(call.end(), dest.begin(), dest.end());
  runtime::codec::Encoder e;
  runtime::codec::encode_compact(e, value);
  auto v = std::move(e).take();
  call.insert(call.end(), v.begin(), v.end());
  return call;
}

}  // namespace

SCENARIO("a dev validator service produces blocks and serves them through its ports") {
  GIVEN("a --dev style service on a free port") {
    std::string detail;
    auto service = Service::start(dev_options(true), {}, &detail);
    INFO(detail);
    REQUIRE(service);
    auto& s = *service.value();
    const auto& c = s.components();
    auto data_dir = c.data_dir;
    THEN("it listens, and its chain grows and finalizes") {
      CHECK(s.rpc_port() != 0);
      CHECK(s.rpc_url() == "ws://127.0.0.1:" + std::to_string(s.rpc_port()));
      REQUIRE(eventually([&] { return c.chain_port->finalized_hash() != c.chain_port->genesis_hash(); }));
      auto best = c.chain_port->header(c.chain_port->best_hash());
      REQUIRE(best);
      CHECK(best->number.value >= 1);
      CHECK(c.chain_port->hash_at(0) == c.chain_port->genesis_hash());
      CHECK(c.system_port->chain_type() == "Development");
      CHECK(c.system_port->properties()["tokenSymbol"] == "CC");
    }
    THEN("Alice's account is endowed at genesis") {
      auto key = runtime::from_hex(test::vectors()["storage_keys"]["items"][0]["key"].get<std::string>());
      REQUIRE(key);
      auto value = c.state_port->storage(c.chain_port->genesis_hash(), *key);
      REQUIRE(value);
      REQUIRE(value.value());
      CHECK(value.value()->size() == 80);
      auto unknown = c.state_port->storage(runtime::H256{}, *key);
      REQUIRE(unknown.has_error());
      CHECK(unknown.error().kind == rpc::PortError::Kind::UnknownBlock);
    }
    WHEN("it stops") {
      s.stop();
      THEN("its temporary directory is gone") { CHECK_FALSE(std::filesystem::exists(data_dir)); }
    }
  }
}

SCENARIO("the next index counts the sender's transactions waiting in the pool") {
  GIVEN("a non-validating dev service (transactions stay in the pool)") {
    std::string detail;
    auto service = Service::start(dev_options(false), {}, &detail);
    INFO(detail);
    REQUIRE(service);
    const auto& c = service.value()->components();
    auto alice = runtime::crypto::keypair_from_suri("//Alice").value();
    auto bob = runtime::crypto::keypair_from_suri("//Bob").value();
    CHECK(c.system_port->account_next_index(alice.account_id()) == 0);
    WHEN("Alice submits nonces 0 and 1") {
      const auto& v = modules::composition::runtime_version();
      runtime::AdditionalSigned extra{v.spec_version, v.transaction_version, c.chain_port->genesis_hash(),
                                      c.chain_port->genesis_hash()};
      for (uint32_t nonce : {0u, 1u}) {
        auto xt = runtime::sign_extrinsic(alice, transfer_call(bob.account_id(), runtime::kUnitsPerCC),
                                          {runtime::Era::immortal(), {nonce}, {0}}, extra);
        auto submitted = c.author_port->submit(runtime::encode_extrinsic(xt));
        INFO((submitted ? std::string() : submitted.error().message + ": " + submitted.error().data.value_or("")));
        REQUIRE(submitted);
      }
      THEN("her next index is 2 and both are pending; Bob's stays 0") {
        CHECK(c.system_port->account_next_index(alice.account_id()) == 2);
        CHECK(c.system_port->account_next_index(bob.account_id()) == 0);
        CHECK(c.author_port->pending_extrinsics().size() == 2);
      }
    }
    WHEN("a transaction with a bad signature is submitted") {
      const auto& v = modules::composition::runtime_version();
      runtime::AdditionalSigned wrong{v.spec_version, v.transaction_version, runtime::H256{}, runtime::H256{}};
      auto xt = runtime::sign_extrinsic(alice, transfer_call(bob.account_id(), 1), {runtime::Era::immortal(), {0}, {0}},
                                        wrong);
      auto submitted = c.author_port->submit(runtime::encode_extrinsic(xt));
      THEN("the pool answers 1010 with the runtime's reason") {
        REQUIRE(submitted.has_error());
        CHECK(submitted.error().code == 1010);
        CHECK(submitted.error().data == std::optional<std::string>("Transaction has a bad signature"));
      }
    }
  }
}

SCENARIO("start-up failures are reported with a reason and leave nothing running") {
  std::string detail;
  WHEN("the chain spec does not exist") {
    auto o = dev_options(false);
    o.chain = "/nonexistent/spec.json";
    auto s = Service::start(o, {}, &detail);
    REQUIRE(s.has_error());
    CHECK(s.error() == ServiceError::ChainSpec);
    CHECK(detail.find("/nonexistent/spec.json") != std::string::npos);
  }
  WHEN("a log spec is bad") {
    auto o = dev_options(false);
    o.log_specs = {"txpool=loud"};
    auto s = Service::start(o, {}, &detail);
    REQUIRE(s.has_error());
    CHECK(s.error() == ServiceError::BadLogSpec);
    CHECK(detail.find("loud") != std::string::npos);
  }
  WHEN("a validator has no key, or a bad one") {
    auto o = dev_options(true);
    o.authoring.key_suri.reset();
    auto s = Service::start(o, {}, &detail);
    REQUIRE(s.has_error());
    CHECK(s.error() == ServiceError::AuthorityKey);
    o.authoring.key_suri = "//Alice/soft";
    auto s2 = Service::start(o, {}, &detail);
    REQUIRE(s2.has_error());
    CHECK(s2.error() == ServiceError::AuthorityKey);
  }
  WHEN("--provider is asked without a launcher") {
    auto o = dev_options(false);
    o.provider.enabled = true;
    auto s = Service::start(o, {}, &detail);
    REQUIRE(s.has_error());
    CHECK(s.error() == ServiceError::Provider);
  }
  WHEN("the RPC port or the database is already taken") {
    auto first = Service::start(dev_options(false), {}, &detail);
    REQUIRE(first);
    auto o = dev_options(false);
    o.rpc.port = first.value()->rpc_port();
    auto second = Service::start(o, {}, &detail);
    REQUIRE(second.has_error());
    CHECK(second.error() == ServiceError::Rpc);

    auto base = first.value()->components().data_dir.parent_path().parent_path();
    auto o2 = dev_options(false);
    o2.storage.tmp = false;
    o2.storage.base_path = base;
    auto third = Service::start(o2, {}, &detail);
    REQUIRE(third.has_error());
    CHECK(third.error() == ServiceError::Database);
  }
}

SCENARIO("the provider hook receives the node's own RPC URL and the provider's settings") {
  struct Running : node::service::ProviderWorkerHandle {
    explicit Running(bool* stopped) : m_stopped(stopped) {}
    ~Running() override { *m_stopped = true; }
    bool* m_stopped;
  };
  bool stopped = false;
  node::service::ProviderLaunch seen;
  node::service::ServiceHooks hooks;
  hooks.provider_launcher = [&](const node::service::ProviderLaunch& l)
      -> boost::outcome_v2::result<std::unique_ptr<node::service::ProviderWorkerHandle>, std::string> {
    seen = l;
    return std::unique_ptr<node::service::ProviderWorkerHandle>(new Running(&stopped));
  };
  auto o = dev_options(false);
  o.provider.enabled = true;
  o.provider.key_suri = "//Charlie";
  std::string detail;
  auto s = Service::start(o, hooks, &detail);
  REQUIRE(s);
  CHECK(seen.rpc_url == s.value()->rpc_url());
  CHECK(seen.key_suri == "//Charlie");
  CHECK(seen.db_path == s.value()->components().data_dir / "provider");
  CHECK_FALSE(stopped);
  s.value()->stop();
  CHECK(stopped);
}
