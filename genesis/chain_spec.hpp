#pragma once
// Chain specs: the JSON file that names a chain and holds its genesis, in
// Substrate's shape (sc-chain-spec, "genesis.runtime" form):
//
//   {"name": "Development", "id": "dev", "chainType": "Development",
//    "bootNodes": [], "protocolId": "bazaar",
//    "properties": {"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "CC"},
//    "genesis": {"runtime": {"system": {}, "aura": {"authorities": [...]}, ...}}}
//
// `genesis.runtime` has one object per module (lowerCamelCase module name)
// whose fields are the module's described GenesisConfig in lowerCamelCase
// (runtime/framework/json.hpp); the runtime itself checks it while building
// the genesis storage (composition::build_genesis), so the loader reports
// unknown modules, bad accounts and wrong types with the JSON path at fault.
//
// The built-in specs ("dev", "local", "local4": genesis/dev.json, local.json, local4.json) are
// compiled into this library, so `--dev` works from any directory.

#include "runtime/result.hpp"
#include "runtime/storage/storage.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bazaar::genesis {

enum class ChainSpecError {
  Unreadable = 1,  ///< the file cannot be read
  NotJson,         ///< the text is not JSON
  MissingField,    ///< a required field is absent
  WrongType,       ///< a field has the wrong JSON type
  BadValue,        ///< a field has the right type but an unacceptable value
  UnknownField,    ///< a top-level field a chain spec does not have (a typo)
  BadGenesis,      ///< genesis.runtime was rejected by the runtime (unknown module, bad account, ...)
  UnknownChain,    ///< a built-in chain name that does not exist
};
const char* to_string(ChainSpecError e);

}  // namespace bazaar::genesis

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::genesis, ChainSpecError)

namespace bazaar::genesis {

/// The chain's "properties" (what system_properties returns to wallets).
struct ChainProperties {
  uint16_t ss58_format = 42;  ///< SS58 address prefix (0..16383, not 46/47)
  uint32_t token_decimals = 12;
  std::string token_symbol = "CC";
};

struct ChainSpec {
  std::string name;        ///< human-readable name (system_chain)
  std::string id;          ///< short id, e.g. "dev"
  std::string chain_type;  ///< "Development", "Local" or "Live" (system_chainType)
  std::vector<std::string> boot_nodes;
  std::optional<std::string> protocol_id;
  ChainProperties properties;
  nlohmann::json properties_json = nlohmann::json::object();  ///< "properties" as written (with extra keys)
  nlohmann::json runtime_genesis;  ///< "genesis.runtime" as written (null for a raw spec)
  /// The genesis storage built from runtime_genesis by the runtime.
  runtime::storage::ChangeSet genesis_storage;
};

/// Parses and checks a chain spec. On error, `detail` (if given) gets a
/// message naming the field, e.g. "properties.ss58Format: expected a number".
Result<ChainSpec> parse_chain_spec(std::string_view json_text, std::string* detail = nullptr);

/// The spec as chain-spec JSON (pretty-printed): with `raw`, genesis.raw.top
/// holds the genesis storage as "0xKEY": "0xVALUE" (sc-chain-spec's raw form,
/// which parse_chain_spec accepts too); otherwise genesis.runtime as loaded.
/// A spec loaded from raw form is always written raw.
std::string chain_spec_json(const ChainSpec& spec, bool raw);

/// Reads and parses the chain spec file at `path`; messages start with the path.
Result<ChainSpec> load_chain_spec(const std::filesystem::path& path, std::string* detail = nullptr);

/// The JSON text of a built-in spec ("dev", "local", "local4"), nullopt for other names.
std::optional<std::string_view> builtin_spec_json(std::string_view name);

/// Names of the built-in specs.
std::vector<std::string> builtin_spec_names();

/// What `--chain` names: a built-in spec ("dev", "local", "local4") or a file path.
/// Errors: those of parse_chain_spec / load_chain_spec.
Result<ChainSpec> resolve_chain_spec(std::string_view chain, std::string* detail = nullptr);

}  // namespace bazaar::genesis
