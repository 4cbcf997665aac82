// Chain specs: the built-in dev and local specs, and a clear error for each
// kind of bad spec.

#include "genesis/chain_spec.hpp"

#include "modules/composition/executive.hpp"
#include "modules/composition/runtime.hpp"
#include "runtime/crypto/derive.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace bazaar;
using genesis::ChainSpecError;
using Json = nlohmann::json;

namespace {

/// A StorageReader over a genesis ChangeSet.
class ChangeSetReader final : public runtime::storage::StorageReader {
 public:
  explicit ChangeSetReader(const runtime::storage::ChangeSet& changes) : m_changes(changes) {}
  std::optional<runtime::Bytes> get(runtime::ByteSpan key) const override {
    auto it = m_changes.find(runtime::Bytes(key.begin(), key.end()));
    return it == m_changes.end() ? std::nullopt : it->second;
  }
  std::optional<runtime::Bytes> next_key(runtime::ByteSpan key) const override {
    for (auto it = m_changes.upper_bound(runtime::Bytes(key.begin(), key.end())); it != m_changes.end(); ++it)
      if (it->second) return it->first;
    return std::nullopt;
  }

 private:
  const runtime::storage::ChangeSet& m_changes;
};

Json dev_json() { return Json::parse(*genesis::builtin_spec_json("dev")); }

/// Parses `spec` and REQUIREs failure with `expected`; returns the message.
std::string error_of(const Json& spec, ChainSpecError expected) {
  std::string detail;
  auto parsed = genesis::parse_chain_spec(spec.dump(), &detail);
  REQUIRE_FALSE(parsed.has_value());
  INFO(detail);
  CHECK(parsed.error() == expected);
  return detail;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

SCENARIO("the built-in dev spec") {
  GIVEN("the spec named dev") {
    std::string detail;
    auto spec = genesis::resolve_chain_spec("dev", &detail);
    INFO(detail);
    REQUIRE(spec.has_value());
    THEN("it names the development chain with Substrate's properties") {
      CHECK(spec.value().name == "Development");
      CHECK(spec.value().id == "dev");
      CHECK(spec.value().chain_type == "Development");
      CHECK(spec.value().properties.ss58_format == 42);
      CHECK(spec.value().properties.token_decimals == 12);
      CHECK(spec.value().properties.token_symbol == "CC");
      CHECK(spec.value().properties_json == Json{{"ss58Format", 42}, {"tokenDecimals", 12}, {"tokenSymbol", "CC"}});
    }
    THEN("its genesis has Alice as the one authority with 1-second slots, and the dev accounts endowed") {
      ChangeSetReader state(spec.value().genesis_storage);
      auto authorities = modules::composition::aura_authorities(state);
      REQUIRE(authorities.size() == 1);
      CHECK(authorities[0] == runtime::crypto::keypair_from_suri("//Alice").value().public_key());
      CHECK(modules::composition::slot_duration_ms(state) == 1000);
      for (const char* who : {"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"}) {
        const auto account = runtime::crypto::keypair_from_suri(who).value().account_id();
        CHECK(modules::credits::free_balance(state, account) == runtime::Balance(1'000'000) * runtime::kUnitsPerCC);
      }
    }
    THEN("the embedded text is genesis/dev.json of the source tree") {
      CHECK(read_file(std::string(BAZAAR_SOURCE_DIR) + "/genesis/dev.json") == *genesis::builtin_spec_json("dev"));
      CHECK(read_file(std::string(BAZAAR_SOURCE_DIR) + "/genesis/local.json") ==
            *genesis::builtin_spec_json("local"));
    }
  }
  GIVEN("the spec named local") {
    auto spec = genesis::resolve_chain_spec("local");
    REQUIRE(spec.has_value());
    THEN("it has three authorities, Alice, Bob and Charlie") {
      ChangeSetReader state(spec.value().genesis_storage);
      const auto authorities = modules::composition::aura_authorities(state);
      REQUIRE(authorities.size() == 3);
      CHECK(authorities[2] == runtime::crypto::keypair_from_suri("//Charlie").value().public_key());
      CHECK(spec.value().chain_type == "Local");
    }
  }
  GIVEN("the spec named local4") {
    auto spec = genesis::resolve_chain_spec("local4");
    REQUIRE(spec.has_value());
    THEN("it has four authorities, the fourth Dave, and another genesis than local") {
      ChangeSetReader state(spec.value().genesis_storage);
      const auto authorities = modules::composition::aura_authorities(state);
      REQUIRE(authorities.size() == 4);
      CHECK(authorities[3] == runtime::crypto::keypair_from_suri("//Dave").value().public_key());
      CHECK(spec.value().genesis_storage != genesis::resolve_chain_spec("local").value().genesis_storage);
    }
  }
  GIVEN("the local spec written in raw form") {
    const auto spec = genesis::resolve_chain_spec("local").value();
    const std::string raw = genesis::chain_spec_json(spec, true);
    THEN("it holds genesis.raw.top and parses back to the same genesis storage") {
      CHECK_THAT(raw, Catch::Contains("\"raw\"") && Catch::Contains("\"top\""));
      std::string detail;
      auto parsed = genesis::parse_chain_spec(raw, &detail);
      INFO(detail);
      REQUIRE(parsed.has_value());
      CHECK(parsed.value().genesis_storage == spec.genesis_storage);
      CHECK(parsed.value().id == spec.id);
    }
    THEN("a raw value that is not hex is rejected with its key") {
      auto json = nlohmann::json::parse(raw);
      json["genesis"]["raw"]["top"]["0x00"] = "zz";
      std::string detail;
      auto parsed = genesis::parse_chain_spec(json.dump(), &detail);
      REQUIRE_FALSE(parsed.has_value());
      CHECK_THAT(detail, Catch::Contains("genesis.raw.top.0x00"));
    }
  }
}

SCENARIO("chain spec files") {
  GIVEN("the dev spec written to a file") {
    const auto path = std::filesystem::temp_directory_path() / ("bazaar-spec-test-" + std::to_string(::getpid()) + ".json");
    {
      std::ofstream out(path);
      out << *genesis::builtin_spec_json("dev");
    }
    THEN("loading the file gives the same genesis as the built-in spec, also through resolve_chain_spec") {
      auto loaded = genesis::load_chain_spec(path);
      REQUIRE(loaded.has_value());
      CHECK(loaded.value().genesis_storage == genesis::resolve_chain_spec("dev").value().genesis_storage);
      CHECK(genesis::resolve_chain_spec(path.string()).has_value());
    }
    std::filesystem::remove(path);
  }
  GIVEN("a path with no file") {
    std::string detail;
    auto loaded = genesis::load_chain_spec("/nonexistent/bazaar/spec.json", &detail);
    THEN("the error is Unreadable and names the path") {
      REQUIRE_FALSE(loaded.has_value());
      CHECK(loaded.error() == ChainSpecError::Unreadable);
      CHECK_THAT(detail, Catch::Contains("/nonexistent/bazaar/spec.json"));
    }
  }
  GIVEN("a chain name that is neither built in nor a file") {
    std::string detail;
    auto resolved = genesis::resolve_chain_spec("devv", &detail);
    THEN("the error is UnknownChain and lists the built-in chains") {
      REQUIRE_FALSE(resolved.has_value());
      CHECK(resolved.error() == ChainSpecError::UnknownChain);
      CHECK_THAT(detail, Catch::Contains("dev, local, local4"));
    }
  }
}

SCENARIO("bad chain specs are rejected with a message naming the problem") {
  GIVEN("text that is not JSON") {
    std::string detail;
    auto parsed = genesis::parse_chain_spec("{\"name\": ", &detail);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error() == ChainSpecError::NotJson);
    CHECK_THAT(detail, Catch::Contains("not JSON"));
  }
  GIVEN("a number too large for a double (found by the chain_spec fuzz target)") {
    std::string detail;
    auto parsed = genesis::parse_chain_spec("{\"name\": 1e400}", &detail);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error() == ChainSpecError::NotJson);
  }
  GIVEN("JSON that is not an object") { error_of(Json::array(), ChainSpecError::WrongType); }
  GIVEN("a spec without a name") {
    auto spec = dev_json();
    spec.erase("name");
    CHECK(error_of(spec, ChainSpecError::MissingField) == "name: missing field");
  }
  GIVEN("a spec without genesis.runtime") {
    auto spec = dev_json();
    spec["genesis"].erase("runtime");
    CHECK(error_of(spec, ChainSpecError::MissingField) == "genesis.runtime: missing field");
  }
  GIVEN("an id that is a number") {
    auto spec = dev_json();
    spec["id"] = 5;
    CHECK(error_of(spec, ChainSpecError::WrongType) == "id: expected a string");
  }
  GIVEN("bootNodes with a number in it") {
    auto spec = dev_json();
    spec["bootNodes"] = Json::array({"/ip4/1.2.3.4/tcp/30333", 7});
    CHECK(error_of(spec, ChainSpecError::WrongType) == "bootNodes[1]: expected a string");
  }
  GIVEN("an unknown chain type") {
    auto spec = dev_json();
    spec["chainType"] = "Production";
    CHECK_THAT(error_of(spec, ChainSpecError::BadValue), Catch::StartsWith("chainType:"));
  }
  GIVEN("properties of the wrong types or values") {
    auto spec = dev_json();
    spec["properties"]["ss58Format"] = "42";
    CHECK(error_of(spec, ChainSpecError::WrongType) == "properties.ss58Format: expected a number");
    spec["properties"]["ss58Format"] = 46;
    CHECK_THAT(error_of(spec, ChainSpecError::BadValue), Catch::StartsWith("properties.ss58Format:"));
    spec["properties"]["ss58Format"] = 42;
    spec["properties"]["tokenSymbol"] = "";
    CHECK_THAT(error_of(spec, ChainSpecError::BadValue), Catch::StartsWith("properties.tokenSymbol:"));
  }
  GIVEN("a misspelt top-level field") {
    auto spec = dev_json();
    spec["bootnodes"] = Json::array();
    CHECK(error_of(spec, ChainSpecError::UnknownField) == "bootnodes: unknown field");
  }
  GIVEN("a raw genesis with no storage") {
    auto spec = dev_json();
    spec["genesis"] = {{"raw", {{"top", Json::object()}}}};
    CHECK_THAT(error_of(spec, ChainSpecError::BadValue), Catch::StartsWith("genesis.raw.top:"));
  }
  GIVEN("an unknown module in genesis.runtime") {
    auto spec = dev_json();
    spec["genesis"]["runtime"]["balances"] = Json::object();
    CHECK_THAT(error_of(spec, ChainSpecError::BadGenesis), Catch::Contains("genesis.runtime.balances"));
  }
  GIVEN("a bad account in the endowed balances") {
    auto spec = dev_json();
    spec["genesis"]["runtime"]["credits"]["balances"][1][0] = "5NotAnAddress";
    CHECK_THAT(error_of(spec, ChainSpecError::BadGenesis), Catch::Contains("genesis.runtime.credits.balances[1]"));
  }
  GIVEN("an authority that is not a compressed public key") {
    auto spec = dev_json();
    spec["genesis"]["runtime"]["aura"]["authorities"][0] = "0x1234";
    CHECK_THAT(error_of(spec, ChainSpecError::BadGenesis), Catch::Contains("genesis.runtime.aura.authorities[0]"));
  }
  GIVEN("a balance that is not a number") {
    auto spec = dev_json();
    spec["genesis"]["runtime"]["credits"]["balances"][0][1] = "lots";
    CHECK_THAT(error_of(spec, ChainSpecError::BadGenesis), Catch::Contains("genesis.runtime.credits.balances[0]"));
  }
}
