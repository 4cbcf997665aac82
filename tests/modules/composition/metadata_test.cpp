// The runtime's metadata V14 (modules/composition/metadata.cpp).
//
// Golden files: tests/fixtures/metadata-v14.hex holds the encoded
// RuntimeMetadataPrefixed and tests/fixtures/metadata-v14.json a readable
// summary (pallets, storage, calls, events, errors, constants, extension and
// type list). Any change of an index, a name or a layout fails this test and
// shows up as a reviewed diff. After an intended change, regenerate both with
//   BAZAAR_UPDATE_GOLDEN=1 ./build/tests/modules_composition_metadata_test
// and review `git diff tests/fixtures/metadata-v14.*`.

#include "modules/composition/metadata.hpp"
#include "modules/composition/runtime.hpp"
#include "runtime/metadata/type_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace bazaar::modules::composition {
namespace {

namespace md = runtime::metadata;
using Strings = std::vector<std::string>;

const md::Type& type_of(const md::MetadataV14& m, const md::TypeId& id) { return m.types.at(id.value).type; }

std::string name_of(const md::MetadataV14& m, const md::TypeId& id) {
  return md::display_name(m.types, id.value).value_or("#" + std::to_string(id.value));
}

const md::Pallet& pallet(const md::MetadataV14& m, const std::string& name) {
  for (const auto& p : m.pallets) {
    if (p.name == name) return p;
  }
  FAIL("no pallet " << name);
  throw std::logic_error("unreachable");
}

const md::StorageEntry& entry(const md::Pallet& p, const std::string& name) {
  REQUIRE(p.storage);
  for (const auto& e : p.storage->entries) {
    if (e.name == name) return e;
  }
  FAIL("no storage entry " << name);
  throw std::logic_error("unreachable");
}

const md::PalletConstant& constant(const md::Pallet& p, const std::string& name) {
  for (const auto& c : p.constants) {
    if (c.name == name) return c;
  }
  FAIL("no constant " << name);
  throw std::logic_error("unreachable");
}

const md::TypeDefVariant& variants_of(const md::MetadataV14& m, const md::TypeId& id) {
  const auto* v = std::get_if<md::TypeDefVariant>(&type_of(m, id).def);
  REQUIRE(v != nullptr);
  return *v;
}

// ---- readable summary ----------------------------------------------------------

std::string describe_variant(const md::MetadataV14& m, const md::Variant& v) {
  std::string s = std::to_string(v.index) + " " + v.name;
  if (!v.fields.empty()) {
    s += "(";
    for (std::size_t i = 0; i < v.fields.size(); ++i) {
      const auto& f = v.fields[i];
      s += (i ? ", " : "") + (f.name ? *f.name + ": " : std::string()) + name_of(m, f.type);
    }
    s += ")";
  }
  return s;
}

nlohmann::json variant_list(const md::MetadataV14& m, const std::optional<md::TypeId>& id) {
  nlohmann::json out = nlohmann::json::array();
  if (!id) return out;
  for (const auto& v : variants_of(m, *id).variants) out.push_back(describe_variant(m, v));
  return out;
}

std::string path_string(const Strings& path) {
  std::string s;
  for (const auto& p : path) s += (s.empty() ? "" : "::") + p;
  return s;
}

nlohmann::json summary(const md::MetadataV14& m) {
  nlohmann::json j;
  for (const auto& p : m.pallets) {
    nlohmann::json pj{{"name", p.name}, {"index", p.index}};
    nlohmann::json storage = nlohmann::json::array();
    if (p.storage) {
      for (const auto& e : p.storage->entries) {
        std::string type;
        if (const auto* plain = std::get_if<md::StorageEntryPlain>(&e.type)) {
          type = name_of(m, plain->value);
        } else {
          const auto& map = std::get<md::StorageEntryMap>(e.type);
          type = "map " + name_of(m, map.key) + " -> " + name_of(m, map.value) + " (";
          for (std::size_t i = 0; i < map.hashers.size(); ++i) {
            type += (i ? ", " : "") + std::to_string(static_cast<int>(map.hashers[i]));
          }
          type += ")";
        }
        storage.push_back(e.name + ": " + type + (e.modifier == md::StorageEntryModifier::Default ? " = " : " ?= ") +
                          runtime::to_hex(e.default_value));
      }
    }
    pj["storage"] = storage;
    pj["calls"] = variant_list(m, p.calls);
    pj["events"] = variant_list(m, p.event);
    pj["errors"] = variant_list(m, p.error);
    nlohmann::json constants = nlohmann::json::array();
    for (const auto& c : p.constants) {
      constants.push_back(c.name + ": " + name_of(m, c.type) + " = " + runtime::to_hex(c.value));
    }
    pj["constants"] = constants;
    j["pallets"].push_back(pj);
  }
  j["extrinsic"]["version"] = m.extrinsic.version;
  j["extrinsic"]["type"] = name_of(m, m.extrinsic.type);
  for (const auto& e : m.extrinsic.signed_extensions) {
    j["extrinsic"]["signed_extensions"].push_back(e.identifier + ": " + name_of(m, e.type) + ", signs " +
                                                  name_of(m, e.additional_signed));
  }
  j["runtime_type"] = name_of(m, m.runtime_type);
  for (const auto& t : m.types) {
    const std::string path = path_string(t.type.path);
    j["types"].push_back(std::to_string(t.id.value) + " " + (path.empty() ? name_of(m, t.id) : path));
  }
  return j;
}

// ---- golden files -------------------------------------------------------------

std::string fixture(const std::string& name) { return std::string(BAZAAR_FIXTURES_DIR) + "/" + name; }

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool update_golden() {
  const char* v = std::getenv("BAZAAR_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

/// Compares `actual` with the golden file, or rewrites it under BAZAAR_UPDATE_GOLDEN=1.
void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = fixture(name);
  if (update_golden()) {
    std::ofstream(path) << actual;
    WARN("rewrote " << path);
  }
  const auto expected = read_file(path);
  REQUIRE(expected.has_value());
  CHECK(*expected == actual);
}

SCENARIO("the encoded metadata equals the reviewed golden copy") {
  GIVEN("the runtime's metadata") {
    const auto& bytes = metadata_v14_bytes();
    THEN("it starts with the magic \"meta\" and version 14") {
      REQUIRE(bytes.size() > 5);
      CHECK(runtime::to_hex(runtime::ByteSpan(bytes).first(5)) == "0x6d6574610e");
    }
    THEN("its bytes and its readable summary equal the golden files") {
      check_golden("metadata-v14.hex", runtime::to_hex(bytes) + "\n");
      check_golden("metadata-v14.json", summary(metadata_v14()).dump(1) + "\n");
    }
    THEN("it decodes and re-encodes to the same bytes") {
      auto decoded = runtime::codec::decode<md::RuntimeMetadataPrefixed>(bytes);
      REQUIRE(decoded);
      CHECK(runtime::codec::encode(decoded.value()) == bytes);
      CHECK(runtime::codec::encode(decoded.value().metadata) == runtime::codec::encode(metadata_v14()));
    }
    THEN("a wrong magic or version is refused") {
      auto bad = bytes;
      bad[0] = 'x';
      CHECK(runtime::codec::decode<md::RuntimeMetadataPrefixed>(bad).error() == md::MetadataError::BadMagic);
      bad = bytes;
      bad[4] = 15;
      CHECK(runtime::codec::decode<md::RuntimeMetadataPrefixed>(bad).error() == md::MetadataError::UnsupportedVersion);
    }
  }
}

SCENARIO("the type registry is well formed") {
  GIVEN("the metadata") {
    const auto& m = metadata_v14();
    THEN("ids are positions, every referenced id exists, and no two types are identical") {
      std::set<runtime::Bytes> seen;
      for (std::size_t i = 0; i < m.types.size(); ++i) {
        CHECK(m.types[i].id.value == i);
        CHECK(seen.insert(runtime::codec::encode(m.types[i].type)).second);
      }
      const auto check_id = [&](const md::TypeId& id) { CHECK(id.value < m.types.size()); };
      for (const auto& t : m.types) {
        for (const auto& p : t.type.params) {
          if (p.type) check_id(*p.type);
        }
        std::visit(
            [&](const auto& def) {
              using D = std::decay_t<decltype(def)>;
              if constexpr (std::is_same_v<D, md::TypeDefComposite>) {
                for (const auto& f : def.fields) check_id(f.type);
              } else if constexpr (std::is_same_v<D, md::TypeDefVariant>) {
                std::set<uint8_t> indices;
                for (const auto& v : def.variants) {
                  CHECK(indices.insert(v.index).second);
                  for (const auto& f : v.fields) check_id(f.type);
                }
              } else if constexpr (std::is_same_v<D, md::TypeDefTuple>) {
                for (const auto& f : def.fields) check_id(f);
              } else if constexpr (std::is_same_v<D, md::TypeDefArray> || std::is_same_v<D, md::TypeDefSequence> ||
                                   std::is_same_v<D, md::TypeDefCompact>) {
                check_id(def.type);
              }
            },
            t.type.def);
      }
      check_id(m.runtime_type);
      check_id(m.extrinsic.type);
    }
  }
}

/// Checks a module's Call / Event variant type against its C++ declaration.
template <class V>
void check_variants(const md::MetadataV14& m, const md::TypeId& id) {
  const auto& variants = variants_of(m, id).variants;
  REQUIRE(variants.size() == std::variant_size_v<V>);
  boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<V>>>([&](auto I) {
    using Alt = std::variant_alternative_t<I, V>;
    const auto& v = variants[I];
    CHECK(v.name == Alt::kName);
    CHECK(v.index == Alt::kIndex);
    const Strings docs = Alt::kDocs.empty() ? Strings{} : Strings{std::string(Alt::kDocs)};
    CHECK(v.docs == docs);
    using Members = boost::describe::describe_members<Alt, boost::describe::mod_public>;
    CHECK(v.fields.size() == boost::mp11::mp_size<Members>::value);
    for (const auto& f : v.fields) CHECK(f.name.has_value());
  });
}

SCENARIO("every module appears as a pallet with its index, calls, events and errors") {
  GIVEN("the metadata") {
    const auto& m = metadata_v14();
    REQUIRE(m.pallets.size() == boost::mp11::mp_size<Modules>::value);
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<boost::mp11::mp_size<Modules>::value>>([&](auto I) {
      using M = boost::mp11::mp_at_c<Modules, I>;
      const auto& p = m.pallets[I];
      THEN(std::string(M::kName) + " has the module's name, index and storage prefix") {
        CHECK(p.name == M::kName);
        CHECK(p.index == M::kIndex);
        if (p.storage) CHECK(p.storage->prefix == M::kName);
        CHECK((p.storage ? p.storage->entries.size() : 0) == std::tuple_size_v<typename M::Storage>);
        CHECK(p.constants.size() == std::tuple_size_v<typename M::Constants>);
      }
      THEN(std::string(M::kName) + "'s calls and events match the declarations") {
        if constexpr (HasCalls<M>::value) {
          REQUIRE(p.calls);
          check_variants<typename M::Call>(m, *p.calls);
          CHECK(type_of(m, *p.calls).path.back() == "Call");
        } else {
          CHECK_FALSE(p.calls);
        }
        if constexpr (HasEvents<M>::value) {
          REQUIRE(p.event);
          check_variants<typename M::Event>(m, *p.event);
          CHECK(type_of(m, *p.event).path.back() == "Event");
        } else {
          CHECK_FALSE(p.event);
        }
      }
      THEN(std::string(M::kName) + "'s errors are its error enum") {
        using Errors = boost::describe::describe_enumerators<typename M::Error>;
        if constexpr (boost::mp11::mp_size<Errors>::value == 0) {
          CHECK_FALSE(p.error);
        } else {
          REQUIRE(p.error);
          const auto& v = variants_of(m, *p.error);
          REQUIRE(v.variants.size() == boost::mp11::mp_size<Errors>::value);
          std::size_t i = 0;
          boost::mp11::mp_for_each<Errors>([&](auto D) {
            CHECK(v.variants[i].name == D.name);
            CHECK(v.variants[i].index == static_cast<uint8_t>(D.value));
            ++i;
          });
        }
      }
    });
  }
}

SCENARIO("the outer Call and Event enums are indexed by module") {
  GIVEN("the metadata") {
    const auto& m = metadata_v14();
    const auto& xt = type_of(m, m.extrinsic.type);
    REQUIRE(xt.params.size() == 4);
    const md::TypeId call = *xt.params[1].type;
    const auto& events = entry(pallet(m, "System"), "Events");
    const md::TypeId record = std::get<md::TypeDefSequence>(
                                  type_of(m, std::get<md::StorageEntryPlain>(events.type).value).def)
                                  .type;
    const auto& record_type = type_of(m, record);
    THEN("RuntimeCall has one variant per module with calls: name = module, index = module index") {
      CHECK(type_of(m, call).path == Strings{"bazaar_runtime", "RuntimeCall"});
      for (const auto& p : m.pallets) {
        if (!p.calls) continue;
        const auto& v = variants_of(m, call).variants;
        auto it = std::find_if(v.begin(), v.end(), [&](const md::Variant& x) { return x.name == p.name; });
        REQUIRE(it != v.end());
        CHECK(it->index == p.index);
        REQUIRE(it->fields.size() == 1);
        CHECK(it->fields[0].type == *p.calls);
      }
    }
    THEN("System.Events is Vec<frame_system::EventRecord<RuntimeEvent, H256>>") {
      CHECK(record_type.path == Strings{"frame_system", "EventRecord"});
      REQUIRE(record_type.params.size() == 2);
      CHECK(record_type.params[0].name == "E");
      CHECK(record_type.params[1].name == "T");
      const md::TypeId event = *record_type.params[0].type;
      CHECK(type_of(m, event).path == Strings{"bazaar_runtime", "RuntimeEvent"});
      for (const auto& p : m.pallets) {
        if (!p.event) continue;
        const auto& v = variants_of(m, event).variants;
        auto it = std::find_if(v.begin(), v.end(), [&](const md::Variant& x) { return x.name == p.name; });
        REQUIRE(it != v.end());
        CHECK(it->index == p.index);
        CHECK(it->fields.at(0).type == *p.event);
      }
      const auto& fields = std::get<md::TypeDefComposite>(record_type.def).fields;
      REQUIRE(fields.size() == 3);
      CHECK(fields[0].name == "phase");
      CHECK(type_of(m, fields[0].type).path == Strings{"frame_system", "Phase"});
      CHECK(fields[1].name == "event");
      CHECK(fields[2].name == "topics");
    }
    THEN("the extrinsic is v4 with Substrate's UncheckedExtrinsic params") {
      CHECK(m.extrinsic.version == 4);
      CHECK(xt.path == Strings{"sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"});
      CHECK(type_of(m, *xt.params[0].type).path == Strings{"sp_runtime", "multiaddress", "MultiAddress"});
      CHECK(type_of(m, *xt.params[2].type).path == Strings{"sp_runtime", "MultiSignature"});
      Strings ids;
      for (const auto& e : m.extrinsic.signed_extensions) ids.push_back(e.identifier);
      CHECK(ids == Strings{"CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
                           "CheckNonce", "CheckWeight", "ChargeTransactionPayment"});
      CHECK(type_of(m, m.runtime_type).path == Strings{"bazaar_runtime", "Runtime"});
    }
  }
}

SCENARIO("System and Credits expose what wallets read") {
  GIVEN("the metadata") {
    const auto& m = metadata_v14();
    const auto& system = pallet(m, "System");
    THEN("System.Account maps AccountId32 (Blake2_128Concat) to frame_system::AccountInfo") {
      const auto& account = entry(system, "Account");
      CHECK(account.modifier == md::StorageEntryModifier::Default);
      const auto& map = std::get<md::StorageEntryMap>(account.type);
      CHECK(map.hashers == std::vector<md::StorageHasher>{md::StorageHasher::Blake2_128Concat});
      CHECK(type_of(m, map.key).path == Strings{"sp_core", "crypto", "AccountId32"});
      const auto& info = type_of(m, map.value);
      CHECK(info.path == Strings{"frame_system", "AccountInfo"});
      const auto& fields = std::get<md::TypeDefComposite>(info.def).fields;
      REQUIRE(fields.size() == 5);
      CHECK(fields[0].name == "nonce");
      CHECK(fields[4].name == "data");
      const auto& data = type_of(m, fields[4].type);
      CHECK(data.path == Strings{"pallet_balances", "types", "AccountData"});
      Strings names;
      for (const auto& f : std::get<md::TypeDefComposite>(data.def).fields) names.push_back(f.name.value_or(""));
      CHECK(names == Strings{"free", "reserved", "frozen", "flags"});
      CHECK(account.default_value == runtime::codec::encode(system::AccountInfo{}));
      CHECK(account.default_value.size() == 80);
    }
    THEN("defaults are SCALE of V{} for ValueQuery and None for OptionQuery") {
      CHECK(entry(system, "Number").default_value == runtime::Bytes{0, 0, 0, 0});
      CHECK(entry(system, "Events").default_value == runtime::Bytes{0});
      const auto& count = entry(system, "ExtrinsicCount");
      CHECK(count.modifier == md::StorageEntryModifier::Optional);
      CHECK(count.default_value == runtime::Bytes{0});
      CHECK_FALSE(entry(system, "Number").docs.empty());
    }
    THEN("System.BlockHashCount (u32) and System.SS58Prefix (u16) are constants") {
      const auto& count = constant(system, "BlockHashCount");
      CHECK(name_of(m, count.type) == "u32");
      CHECK(count.value == runtime::codec::encode(system::kBlockHashCount));
      const auto& prefix = constant(system, "SS58Prefix");
      CHECK(name_of(m, prefix.type) == "u16");
      CHECK(prefix.value == runtime::Bytes{42, 0});
    }
    THEN("Credits.ExistentialDeposit is a u128 constant") {
      const auto& ed = constant(pallet(m, "Credits"), "ExistentialDeposit");
      CHECK(name_of(m, ed.type) == "u128");
      CHECK(ed.value == runtime::codec::encode(credits::kExistentialDeposit));
    }
    THEN("double maps have a tuple key and two hashers") {
      const auto& debts = std::get<md::StorageEntryMap>(entry(pallet(m, "Credits"), "Debts").type);
      CHECK(debts.hashers.size() == 2);
      CHECK(name_of(m, debts.key) == "(AccountId32, AccountId32)");
    }
    THEN("ExtrinsicFailed carries dispatch_error then dispatch_info, as polkadot.js reads them") {
      const auto& v = variants_of(m, *system.event);
      auto it = std::find_if(v.variants.begin(), v.variants.end(),
                             [](const md::Variant& x) { return x.name == "ExtrinsicFailed"; });
      REQUIRE(it != v.variants.end());
      REQUIRE(it->fields.size() == 2);
      CHECK(it->fields[0].name == "dispatch_error");
      CHECK(type_of(m, it->fields[0].type).path == Strings{"sp_runtime", "DispatchError"});
      CHECK(it->fields[1].name == "dispatch_info");
      CHECK(type_of(m, it->fields[1].type).path == Strings{"frame_support", "dispatch", "DispatchInfo"});
    }
  }
}

}  // namespace
}  // namespace bazaar::modules::composition
