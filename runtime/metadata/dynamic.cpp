#include "runtime/metadata/dynamic.hpp"

#include <cctype>

#include "runtime/storage/keys.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::metadata, DynamicError, "dynamic codec", to_string)

namespace bazaar::runtime::metadata {

using Json = nlohmann::json;

const char* to_string(DynamicError e) {
  switch (e) {
    case DynamicError::UnknownType: return "unknown type";
    case DynamicError::UnknownPallet: return "unknown module";
    case DynamicError::UnknownCall: return "unknown call";
    case DynamicError::UnknownEvent: return "unknown event";
    case DynamicError::UnknownStorage: return "unknown storage item";
    case DynamicError::UnknownConstant: return "unknown constant";
    case DynamicError::WrongArgumentCount: return "wrong number of arguments";
    case DynamicError::BadArgument: return "bad argument";
    case DynamicError::BadValue: return "undecodable value";
    case DynamicError::DepthLimit: return "value nested too deeply";
    case DynamicError::Unsupported: return "unsupported type";
  }
  return "dynamic codec error";
}

std::string DynamicFailure::what() const {
  return message.empty() ? std::string(to_string(error)) : std::string(to_string(error)) + ": " + message;
}

namespace {

DynamicFailure fail(DynamicError e, std::string message) { return DynamicFailure{e, std::move(message)}; }

template <class Items, class Name>
std::string join_names(const Items& items, Name name) {
  std::string out;
  for (const auto& x : items) out += (out.empty() ? "" : ", ") + name(x);
  return out.empty() ? "(none)" : out;
}

/// The item's key types, one per hasher (a double map's key is a tuple).
DynamicResult<std::vector<uint32_t>> key_types(const Registry& r, const StorageEntry& entry) {
  const auto* map = std::get_if<StorageEntryMap>(&entry.type);
  if (!map) return std::vector<uint32_t>{};
  if (map->hashers.size() == 1) return std::vector<uint32_t>{map->key.value};
  BAZAAR_TRY(auto t, r.type(map->key.value));
  const auto* tuple = std::get_if<TypeDefTuple>(&t->def);
  if (!tuple || tuple->fields.size() != map->hashers.size())
    return fail(DynamicError::Unsupported, entry.name + ": the key type does not match the hashers");
  std::vector<uint32_t> out;
  for (const auto& f : tuple->fields) out.push_back(f.value);
  return out;
}

bool is_collection(const Registry& r, uint32_t id) {
  auto t = r.type(id);
  if (!t) return false;
  const auto& def = t.value()->def;
  return std::holds_alternative<TypeDefSequence>(def) || std::holds_alternative<TypeDefArray>(def) ||
         std::holds_alternative<TypeDefTuple>(def);
}

uint32_t value_type(const StorageEntry& entry) {
  return std::visit([](const auto& t) { return t.value.value; }, entry.type);
}

}  // namespace

std::string normalize_name(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string json_field_name(std::string_view name) {
  while (name.size() > 1 && name.back() == '_') name.remove_suffix(1);
  std::string out;
  bool upper = false;
  for (char c : name) {
    if (c == '_') {
      upper = !out.empty();
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// ---- Registry --------------------------------------------------------------------------

Registry::Registry(MetadataV14 metadata) : m_metadata(std::move(metadata)) {
  for (std::size_t i = 0; i < m_metadata.types.size(); ++i) m_by_id.emplace(m_metadata.types[i].id.value, i);
}

DynamicResult<Registry> Registry::from_bytes(ByteSpan bytes) {
  auto m = codec::decode<RuntimeMetadataPrefixed>(bytes);
  if (!m) return fail(DynamicError::BadValue, "runtime metadata: " + m.error().message());
  return Registry(std::move(m.value().metadata));
}

DynamicResult<const Type*> Registry::type(uint32_t id) const {
  auto it = m_by_id.find(id);
  if (it == m_by_id.end()) return fail(DynamicError::UnknownType, "type id " + std::to_string(id));
  return &m_metadata.types[it->second].type;
}

DynamicResult<const Pallet*> Registry::pallet(std::string_view name) const {
  bool digits = !name.empty() && name.size() <= 3;
  for (char c : name) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    int index = std::stoi(std::string(name));
    if (index <= 255) {
      if (const auto* p = pallet_by_index(static_cast<uint8_t>(index))) return p;
    }
  }
  for (const auto& p : m_metadata.pallets)
    if (normalize_name(p.name) == normalize_name(name)) return &p;
  return fail(DynamicError::UnknownPallet, "'" + std::string(name) + "' (modules: " + pallet_names() + ")");
}

const Pallet* Registry::pallet_by_index(uint8_t index) const {
  for (const auto& p : m_metadata.pallets)
    if (p.index == index) return &p;
  return nullptr;
}

const std::vector<Variant>* Registry::variants_of(const std::optional<TypeId>& id) const {
  if (!id) return nullptr;
  auto t = type(id->value);
  if (!t) return nullptr;
  const auto* v = std::get_if<TypeDefVariant>(&t.value()->def);
  return v ? &v->variants : nullptr;
}

DynamicResult<const Variant*> Registry::call(const Pallet& pallet, std::string_view name) const {
  if (const auto* vs = variants_of(pallet.calls)) {
    for (const auto& v : *vs)
      if (normalize_name(v.name) == normalize_name(name)) return &v;
  }
  return fail(DynamicError::UnknownCall,
              pallet.name + "." + std::string(name) + " (calls of " + pallet.name + ": " + call_names(pallet) + ")");
}

DynamicResult<const Variant*> Registry::event(const Pallet& pallet, uint8_t index) const {
  if (const auto* vs = variants_of(pallet.event)) {
    for (const auto& v : *vs)
      if (v.index == index) return &v;
  }
  return fail(DynamicError::UnknownEvent, pallet.name + " has no event with index " + std::to_string(index));
}

DynamicResult<const StorageEntry*> Registry::storage(const Pallet& pallet, std::string_view name) const {
  if (pallet.storage) {
    for (const auto& e : pallet.storage->entries)
      if (normalize_name(e.name) == normalize_name(name)) return &e;
  }
  return fail(DynamicError::UnknownStorage, pallet.name + "." + std::string(name) + " (storage items of " +
                                                pallet.name + ": " + storage_names(pallet) + ")");
}

DynamicResult<const PalletConstant*> Registry::constant(const Pallet& pallet, std::string_view name) const {
  for (const auto& c : pallet.constants)
    if (normalize_name(c.name) == normalize_name(name)) return &c;
  return fail(DynamicError::UnknownConstant,
              pallet.name + "." + std::string(name) +
                  " (constants: " + join_names(pallet.constants, [](const PalletConstant& c) { return c.name; }) + ")");
}

std::optional<uint32_t> Registry::type_param(std::string_view path_tail, std::string_view param) const {
  for (const auto& pt : m_metadata.types) {
    if (pt.type.path.empty() || pt.type.path.back() != path_tail) continue;
    for (const auto& p : pt.type.params)
      if (p.name == param && p.type) return p.type->value;
  }
  return std::nullopt;
}

std::optional<uint32_t> Registry::runtime_call_type() const {
  if (auto id = type_param("UncheckedExtrinsic", "Call")) return id;
  for (const auto& pt : m_metadata.types)
    if (!pt.type.path.empty() && pt.type.path.back() == "RuntimeCall") return pt.id.value;
  return std::nullopt;
}

std::optional<uint32_t> Registry::runtime_event_type() const {
  if (auto id = type_param("EventRecord", "E")) return id;
  for (const auto& pt : m_metadata.types)
    if (!pt.type.path.empty() && pt.type.path.back() == "RuntimeEvent") return pt.id.value;
  return std::nullopt;
}

uint16_t Registry::ss58_prefix() const {
  for (const auto& p : m_metadata.pallets) {
    if (p.name != "System") continue;
    for (const auto& c : p.constants)
      if (c.name == "SS58Prefix" && c.value.size() == 2) return static_cast<uint16_t>(c.value[0] | (c.value[1] << 8));
  }
  return 42;
}

std::string Registry::pallet_names() const {
  return join_names(m_metadata.pallets, [](const Pallet& p) { return p.name; });
}

std::string Registry::call_names(const Pallet& pallet) const {
  const auto* vs = variants_of(pallet.calls);
  return vs ? join_names(*vs, [](const Variant& v) { return v.name; }) : "(none)";
}

std::string Registry::storage_names(const Pallet& pallet) const {
  if (!pallet.storage) return "(none)";
  return join_names(pallet.storage->entries, [](const StorageEntry& e) { return e.name; });
}

// ---- calls and events -------------------------------------------------------------------

DynamicResult<Bytes> encode_call(const Registry& registry, std::string_view pallet_name, std::string_view call_name,
                                 const Json& args) {
  BAZAAR_TRY(auto pallet, registry.pallet(pallet_name));
  BAZAAR_TRY(auto call, registry.call(*pallet, call_name));
  const auto& fs = call->fields;
  std::string signature;
  for (std::size_t i = 0; i < fs.size(); ++i) {
    signature += (i ? ", " : "") + (fs[i].name ? *fs[i].name : "_") + ": " + fs[i].type_name.value_or("?");
  }
  std::string what = pallet->name + "." + call->name + "(" + signature + ")";
  codec::Encoder e;
  e.push(pallet->index);
  e.push(call->index);
  if (args.is_null() || (args.is_array() && args.empty()) || (args.is_object() && args.empty())) {
    if (!fs.empty())
      return fail(DynamicError::WrongArgumentCount,
                  what + " takes " + std::to_string(fs.size()) + " arguments, got none");
    return e.take();
  }
  if (args.is_array()) {
    if (args.size() != fs.size())
      return fail(DynamicError::WrongArgumentCount,
                  what + " takes " + std::to_string(fs.size()) + " arguments, got " + std::to_string(args.size()));
    for (std::size_t i = 0; i < fs.size(); ++i) {
      std::string path = fs[i].name ? *fs[i].name : "argument " + std::to_string(i + 1);
      BAZAAR_TRY(encode_value(registry, fs[i].type.value, args[i], e, path));
    }
    return e.take();
  }
  if (args.is_object()) {
    for (auto it = args.begin(); it != args.end(); ++it) {
      bool known = false;
      for (const auto& f : fs) known = known || (f.name && normalize_name(*f.name) == normalize_name(it.key()));
      if (!known) return fail(DynamicError::WrongArgumentCount, what + " has no argument '" + it.key() + "'");
    }
    for (std::size_t i = 0; i < fs.size(); ++i) {
      const Json* found = nullptr;
      for (auto it = args.begin(); it != args.end(); ++it)
        if (fs[i].name && normalize_name(it.key()) == normalize_name(*fs[i].name)) found = &it.value();
      if (!found)
        return fail(DynamicError::WrongArgumentCount, what + ": missing argument '" + fs[i].name.value_or("?") + "'");
      BAZAAR_TRY(encode_value(registry, fs[i].type.value, *found, e, *fs[i].name));
    }
    return e.take();
  }
  if (fs.size() != 1)
    return fail(DynamicError::WrongArgumentCount, what + " takes " + std::to_string(fs.size()) + " arguments, got 1");
  BAZAAR_TRY(encode_value(registry, fs[0].type.value, args, e, fs[0].name.value_or("argument 1")));
  return e.take();
}

DynamicResult<Json> decode_call(const Registry& registry, ByteSpan bytes, const DecodeOptions& options) {
  codec::Decoder d(bytes);
  auto pallet_index = d.read_byte();
  auto call_index = d.read_byte();
  if (!pallet_index || !call_index) return fail(DynamicError::BadValue, "a call needs a module and a call index");
  const auto* pallet = registry.pallet_by_index(pallet_index.value());
  if (!pallet) return fail(DynamicError::UnknownPallet, "index " + std::to_string(pallet_index.value()));
  if (!pallet->calls) return fail(DynamicError::UnknownCall, pallet->name + " has no calls");
  BAZAAR_TRY(auto ct, registry.type(pallet->calls->value));
  const auto* variants = std::get_if<TypeDefVariant>(&ct->def);
  const Variant* call = nullptr;
  if (variants) {
    for (const auto& v : variants->variants)
      if (v.index == call_index.value()) call = &v;
  }
  if (!call)
    return fail(DynamicError::UnknownCall,
                pallet->name + " has no call with index " + std::to_string(call_index.value()));
  BAZAAR_TRY(auto args, decode_fields(registry, call->fields, d, options, pallet->name + "." + call->name));
  if (!d.at_end())
    return fail(DynamicError::BadValue, std::to_string(d.remaining()) + " bytes left over after the call");
  return Json{{"module", pallet->name}, {"call", call->name}, {"args", std::move(args)}};
}

DynamicResult<Json> decode_event(const Registry& registry, codec::Decoder& d, const DecodeOptions& options) {
  auto pallet_index = d.read_byte();
  auto event_index = d.read_byte();
  if (!pallet_index || !event_index) return fail(DynamicError::BadValue, "an event needs a module and an event index");
  const auto* pallet = registry.pallet_by_index(pallet_index.value());
  if (!pallet) return fail(DynamicError::UnknownPallet, "index " + std::to_string(pallet_index.value()));
  BAZAAR_TRY(auto event, registry.event(*pallet, event_index.value()));
  BAZAAR_TRY(auto fields, decode_fields(registry, event->fields, d, options, pallet->name + "." + event->name));
  return Json{{"module", pallet->name}, {"event", event->name}, {"fields", std::move(fields)}};
}

// ---- storage ----------------------------------------------------------------------------

std::size_t storage_key_count(const StorageEntry& entry) {
  const auto* map = std::get_if<StorageEntryMap>(&entry.type);
  return map ? map->hashers.size() : 0;
}

DynamicResult<Bytes> storage_key(const Registry& registry, std::string_view pallet_name, std::string_view item,
                                 const Json& keys) {
  BAZAAR_TRY(auto pallet, registry.pallet(pallet_name));
  BAZAAR_TRY(auto entry, registry.storage(*pallet, item));
  Bytes out = storage::item_prefix(pallet->storage->prefix, entry->name);
  BAZAAR_TRY(auto types, key_types(registry, *entry));
  std::vector<Json> given;
  if (keys.is_null() || (keys.is_array() && keys.empty())) {
  } else if (types.empty()) {
    return fail(DynamicError::WrongArgumentCount,
                pallet->name + "." + entry->name + " is a plain value: it takes no keys");
  } else if (keys.is_array() && (types.size() > 1 || !is_collection(registry, types[0]))) {
    given.assign(keys.begin(), keys.end());
  } else {
    given.push_back(keys);
  }
  std::string what = pallet->name + "." + entry->name;
  if (given.size() > types.size())
    return fail(DynamicError::WrongArgumentCount,
                what + " takes " + std::to_string(types.size()) + " keys, got " + std::to_string(given.size()));
  for (std::size_t i = 0; i < given.size(); ++i) {
    BAZAAR_TRY(auto encoded, encode_value(registry, types[i], given[i], "key " + std::to_string(i + 1)));
    auto hasher = std::get<StorageEntryMap>(entry->type).hashers[i];
    Bytes hashed = storage::hash_key(static_cast<storage::Hasher>(hasher), encoded);
    out.insert(out.end(), hashed.begin(), hashed.end());
  }
  return out;
}

DynamicResult<Json> decode_storage_value(const Registry& registry, std::string_view pallet_name, std::string_view item,
                                         const std::optional<Bytes>& value, const DecodeOptions& options) {
  BAZAAR_TRY(auto pallet, registry.pallet(pallet_name));
  BAZAAR_TRY(auto entry, registry.storage(*pallet, item));
  if (!value) {
    if (entry->modifier == StorageEntryModifier::Optional) return Json(nullptr);
    return decode_value(registry, value_type(*entry), entry->default_value, options);
  }
  return decode_value(registry, value_type(*entry), *value, options);
}

DynamicResult<Json> decode_storage_keys(const Registry& registry, const StorageEntry& entry, ByteSpan full_key,
                                        const DecodeOptions& options) {
  constexpr std::size_t kPrefix = 32;
  if (full_key.size() < kPrefix) return fail(DynamicError::BadValue, "storage key shorter than its item prefix");
  BAZAAR_TRY(auto types, key_types(registry, entry));
  codec::Decoder d(full_key.subspan(kPrefix));
  Json out = Json::array();
  for (std::size_t i = 0; i < types.size(); ++i) {
    auto hasher = static_cast<storage::Hasher>(std::get<StorageEntryMap>(entry.type).hashers[i]);
    if (auto skip = storage::concat_hash_length(hasher)) {
      if (!d.read(*skip)) return fail(DynamicError::BadValue, "storage key ends inside a key hash");
      BAZAAR_TRY(auto k, decode_value(registry, types[i], d, options));
      out.push_back(std::move(k));
    } else {
      std::size_t n = hasher == storage::Hasher::Blake2_256 || hasher == storage::Hasher::Twox256 ? 32 : 16;
      auto h = d.read(n);
      if (!h) return fail(DynamicError::BadValue, "storage key ends inside a key hash");
      out.push_back(to_hex(h.value()));
    }
  }
  if (!d.at_end()) return fail(DynamicError::BadValue, "storage key longer than its keys");
  return out;
}

}  // namespace bazaar::runtime::metadata
