#include "genesis/chain_spec.hpp"

#include "modules/composition/executive.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

namespace bazaar::genesis {

const char* to_string(ChainSpecError e) {
  switch (e) {
    case ChainSpecError::Unreadable: return "chain spec file cannot be read";
    case ChainSpecError::NotJson: return "chain spec is not JSON";
    case ChainSpecError::MissingField: return "chain spec lacks a required field";
    case ChainSpecError::WrongType: return "chain spec field has the wrong type";
    case ChainSpecError::BadValue: return "chain spec field has a bad value";
    case ChainSpecError::UnknownField: return "chain spec has an unknown field";
    case ChainSpecError::BadGenesis: return "chain spec genesis rejected by the runtime";
    case ChainSpecError::UnknownChain: return "unknown chain";
  }
  return "unknown chain spec error";
}

}  // namespace bazaar::genesis

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::genesis, ChainSpecError, "chain spec", to_string)

namespace bazaar::genesis {

namespace {

using Json = nlohmann::json;

/// Top-level fields of Substrate's chain spec (the ones we do not use are accepted and ignored).
constexpr std::array kKnownFields = {"name",       "id",         "chainType",       "bootNodes", "telemetryEndpoints",
                                     "protocolId", "forkId",     "properties",      "genesis",   "codeSubstitutes"};
constexpr std::array kChainTypes = {"Development", "Local", "Live"};

/// Collects the first error with its message.
class Checker {
 public:
  explicit Checker(std::string* detail) : m_detail(detail) {}

  boost::system::error_code fail(ChainSpecError e, std::string message) const {
    if (m_detail) *m_detail = std::move(message);
    return e;
  }

  /// The field `key` of `object` (path `path`) with the expected type, or an error.
  Result<const Json*> field(const Json& object, const char* key, const std::string& path, Json::value_t type,
                            const char* type_name, bool required) const {
    auto it = object.find(key);
    if (it == object.end() || (!required && it->is_null())) {
      if (required) return fail(ChainSpecError::MissingField, fmt::format("{}: missing field", path));
      return static_cast<const Json*>(nullptr);
    }
    const bool ok = type == Json::value_t::number_unsigned ? it->is_number_unsigned() : it->type() == type;
    if (!ok) return fail(ChainSpecError::WrongType, fmt::format("{}: expected {}", path, type_name));
    return &*it;
  }

  Result<std::string> string(const Json& object, const char* key, const std::string& path) const {
    BAZAAR_TRY(auto j, field(object, key, path, Json::value_t::string, "a string", true));
    return j->get<std::string>();
  }

 private:
  std::string* m_detail;
};

Result<ChainProperties> parse_properties(const Json& properties, const Checker& check) {
  ChainProperties out;
  BAZAAR_TRY(auto ss58,
             check.field(properties, "ss58Format", "properties.ss58Format", Json::value_t::number_unsigned,
                         "a number", false));
  if (ss58) {
    const auto v = ss58->get<uint64_t>();
    if (v > 16383 || v == 46 || v == 47)
      return check.fail(ChainSpecError::BadValue,
                        fmt::format("properties.ss58Format: {} is not a usable SS58 prefix (0..16383, not 46 or 47)", v));
    out.ss58_format = static_cast<uint16_t>(v);
  }
  BAZAAR_TRY(auto decimals, check.field(properties, "tokenDecimals", "properties.tokenDecimals",
                                        Json::value_t::number_unsigned, "a number", false));
  if (decimals) {
    const auto v = decimals->get<uint64_t>();
    if (v > 38)
      return check.fail(ChainSpecError::BadValue,
                        fmt::format("properties.tokenDecimals: {} is more than a u128 balance can hold (38)", v));
    out.token_decimals = static_cast<uint32_t>(v);
  }
  BAZAAR_TRY(auto symbol, check.field(properties, "tokenSymbol", "properties.tokenSymbol", Json::value_t::string,
                                      "a string", false));
  if (symbol) {
    out.token_symbol = symbol->get<std::string>();
    if (out.token_symbol.empty())
      return check.fail(ChainSpecError::BadValue, "properties.tokenSymbol: must not be empty");
  }
  return out;
}

Result<runtime::Bytes> raw_hex(const Json& value, const std::string& path, const Checker& check) {
  if (!value.is_string()) return check.fail(ChainSpecError::WrongType, fmt::format("{}: expected a hex string", path));
  const auto text = value.get<std::string>();
  auto bytes = text.starts_with("0x") ? runtime::from_hex(text) : std::nullopt;
  if (!bytes) return check.fail(ChainSpecError::BadValue, fmt::format("{}: not 0x-prefixed hex", path));
  return std::move(bytes).value();
}

/// genesis.raw = {"top": {"0xKEY": "0xVALUE", ...}, "childrenDefault": {}} (sc-chain-spec's raw form).
Result<runtime::storage::ChangeSet> parse_raw_genesis(const Json& raw, const Checker& check) {
  BAZAAR_TRY(auto top, check.field(raw, "top", "genesis.raw.top", Json::value_t::object, "an object", true));
  BAZAAR_TRY(auto children, check.field(raw, "childrenDefault", "genesis.raw.childrenDefault", Json::value_t::object,
                                        "an object", false));
  if (children && !children->empty())
    return check.fail(ChainSpecError::BadValue, "genesis.raw.childrenDefault: child tries are not supported");
  runtime::storage::ChangeSet out;
  for (auto it = top->begin(); it != top->end(); ++it) {
    const std::string path = "genesis.raw.top." + it.key();
    BAZAAR_TRY(auto key, raw_hex(Json(it.key()), path, check));
    BAZAAR_TRY(auto value, raw_hex(it.value(), path, check));
    out[std::move(key)] = std::move(value);
  }
  if (out.empty()) return check.fail(ChainSpecError::BadValue, "genesis.raw.top: empty genesis storage");
  return out;
}

}  // namespace

std::string chain_spec_json(const ChainSpec& spec, bool raw) {
  Json root = Json::object();
  root["name"] = spec.name;
  root["id"] = spec.id;
  root["chainType"] = spec.chain_type;
  root["bootNodes"] = spec.boot_nodes;
  if (spec.protocol_id) root["protocolId"] = *spec.protocol_id;
  root["properties"] = spec.properties_json;
  if (raw || spec.runtime_genesis.is_null()) {
    Json top = Json::object();
    for (const auto& [key, value] : spec.genesis_storage)
      if (value) top[runtime::to_hex(key)] = runtime::to_hex(*value);
    root["genesis"] = {{"raw", {{"top", top}, {"childrenDefault", Json::object()}}}};
  } else {
    root["genesis"] = {{"runtime", spec.runtime_genesis}};
  }
  return root.dump(2);
}

Result<ChainSpec> parse_chain_spec(std::string_view json_text, std::string* detail) {
  const Checker check(detail);
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {  // parse errors, and numbers out of range ("1e400")
    return check.fail(ChainSpecError::NotJson, fmt::format("not JSON: {}", e.what()));
  }
  if (!root.is_object()) return check.fail(ChainSpecError::WrongType, "the chain spec must be a JSON object");
  for (auto it = root.begin(); it != root.end(); ++it)
    if (std::find(kKnownFields.begin(), kKnownFields.end(), it.key()) == kKnownFields.end())
      return check.fail(ChainSpecError::UnknownField, fmt::format("{}: unknown field", it.key()));

  ChainSpec spec;
  BAZAAR_TRY(spec.name, check.string(root, "name", "name"));
  BAZAAR_TRY(spec.id, check.string(root, "id", "id"));
  BAZAAR_TRY(spec.chain_type, check.string(root, "chainType", "chainType"));
  if (std::find(kChainTypes.begin(), kChainTypes.end(), spec.chain_type) == kChainTypes.end())
    return check.fail(ChainSpecError::BadValue,
                      fmt::format("chainType: '{}' is not Development, Local or Live", spec.chain_type));

  BAZAAR_TRY(auto boot_nodes, check.field(root, "bootNodes", "bootNodes", Json::value_t::array, "an array", false));
  if (boot_nodes) {
    for (std::size_t i = 0; i < boot_nodes->size(); ++i) {
      if (!(*boot_nodes)[i].is_string())
        return check.fail(ChainSpecError::WrongType, fmt::format("bootNodes[{}]: expected a string", i));
      spec.boot_nodes.push_back((*boot_nodes)[i].get<std::string>());
    }
  }
  BAZAAR_TRY(auto protocol_id,
             check.field(root, "protocolId", "protocolId", Json::value_t::string, "a string", false));
  if (protocol_id) spec.protocol_id = protocol_id->get<std::string>();

  BAZAAR_TRY(auto properties,
             check.field(root, "properties", "properties", Json::value_t::object, "an object", false));
  if (properties) {
    BAZAAR_TRY(spec.properties, parse_properties(*properties, check));
    spec.properties_json = *properties;
  } else {
    spec.properties_json = {{"ss58Format", spec.properties.ss58_format},
                            {"tokenDecimals", spec.properties.token_decimals},
                            {"tokenSymbol", spec.properties.token_symbol}};
  }

  BAZAAR_TRY(auto genesis, check.field(root, "genesis", "genesis", Json::value_t::object, "an object", true));
  if (genesis->contains("raw")) {
    if (genesis->contains("runtime"))
      return check.fail(ChainSpecError::BadValue, "genesis: either runtime or raw, not both");
    BAZAAR_TRY(auto raw, check.field(*genesis, "raw", "genesis.raw", Json::value_t::object, "an object", true));
    BAZAAR_TRY(spec.genesis_storage, parse_raw_genesis(*raw, check));
    spec.runtime_genesis = Json();
    return spec;
  }
  BAZAAR_TRY(auto runtime_genesis,
             check.field(*genesis, "runtime", "genesis.runtime", Json::value_t::object, "an object", true));
  spec.runtime_genesis = *runtime_genesis;
  auto storage = modules::composition::build_genesis(spec.runtime_genesis);
  if (!storage) return check.fail(ChainSpecError::BadGenesis, storage.error());
  spec.genesis_storage = std::move(storage).value();
  return spec;
}

Result<ChainSpec> load_chain_spec(const std::filesystem::path& path, std::string* detail) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    if (detail) *detail = fmt::format("chain spec {}: cannot read the file", path.string());
    return ChainSpecError::Unreadable;
  }
  std::string inner;
  auto spec = parse_chain_spec(text.str(), &inner);
  if (!spec && detail) *detail = fmt::format("chain spec {}: {}", path.string(), inner);
  return spec;
}

std::vector<std::string> builtin_spec_names() { return {"dev", "local", "local4"}; }

Result<ChainSpec> resolve_chain_spec(std::string_view chain, std::string* detail) {
  if (auto json = builtin_spec_json(chain)) {
    std::string inner;
    auto spec = parse_chain_spec(*json, &inner);
    if (!spec && detail) *detail = fmt::format("built-in chain spec '{}': {}", chain, inner);
    return spec;
  }
  const std::filesystem::path path(chain);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && path.extension() != ".json" && chain.find('/') == std::string_view::npos) {
    if (detail)
      *detail = fmt::format("unknown chain '{}': neither a built-in chain ({}) nor a chain spec file", chain,
                            fmt::join(builtin_spec_names(), ", "));
    return ChainSpecError::UnknownChain;
  }
  return load_chain_spec(path, detail);
}

}  // namespace bazaar::genesis
