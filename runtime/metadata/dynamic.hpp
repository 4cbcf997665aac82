#pragma once
// Metadata-driven ("dynamic") SCALE codec: reads and writes any value of a
// runtime through its V14 type registry, with no compiled-in types — what
// polkadot.js does for api.tx / api.query, and what the `bazaar tx` /
// `bazaar query` wallet commands use.
//
// JSON forms (close to polkadot.js's toJSON; decode_value produces them,
// encode_value accepts them plus the friendly inputs listed):
//   bool                      true / false            (also "true" / "false")
//   u8..u32, i8..i32          number                  (also decimal or 0x-hex strings)
//   u64, i64                  number up to 2^53, else a decimal string
//   u128, i128                decimal string          (numbers accepted; for u128 also "12.5 CC")
//   u256, i256                0x-hex, little-endian SCALE bytes
//   str / char                string
//   Compact<T>                as T
//   [u8; N], Vec<u8>          0x-hex                  (also a plain string = its UTF-8 bytes, or an array of numbers)
//   sp_core::crypto::AccountId32
//                             0x-hex (SS58 with DecodeOptions::ss58)
//                             (input: SS58, 0x-hex, or a dev/secret URI such as //Alice)
//   MultiAddress              {"Id": account}         (input also: an account string, taken as Id)
//   other arrays / sequences / tuples   JSON arrays ("()" = null)
//   Option<T>                 null or the value
//   composite, named fields   {"fieldName": ...}      (lowerCamelCase; input: any case, or a positional array)
//   composite, one unnamed field   the field itself  (newtypes such as H256, BoundedVec)
//   composite, unnamed fields an array
//   enum variant              "Name" when it has no fields, else {"Name": fields} with fields
//                             as for a composite (input: names in any case; a 0x-hex string is
//                             also taken as the value's raw SCALE bytes, checked against the type)
//   bit sequences             unsupported (DynamicError::Unsupported)
//
// Names: pallets, calls, storage items and fields match case- and
// underscore-insensitively ("taskQueue" = "TaskQueue" = "task_queue";
// "transferKeepAlive" = "transfer_keep_alive"), so both the metadata's names
// and polkadot.js's camelCase work.
//
// Bad input is an error, never a crash: recursion is bounded (kMaxDepth), no
// length prefix is trusted for an allocation, and every message names the
// field at fault ("dest: expected an SS58 address, 0x-hex account id or //URI").

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/codec/scale.hpp"
#include "runtime/metadata/v14.hpp"

namespace bazaar::runtime::metadata {

enum class DynamicError {
  UnknownType = 1,     ///< a type id the registry does not have
  UnknownPallet,       ///< no pallet of that name or index
  UnknownCall,         ///< the pallet has no call of that name
  UnknownEvent,        ///< the pallet has no event of that index or name
  UnknownStorage,      ///< the pallet has no storage item of that name
  UnknownConstant,     ///< the pallet has no constant of that name
  WrongArgumentCount,  ///< too many or too few call arguments / storage keys
  BadArgument,         ///< a JSON value that does not fit its type (the message says which and why)
  BadValue,            ///< SCALE bytes that do not decode as their type
  DepthLimit,          ///< nesting deeper than kMaxDepth (hostile input or a cyclic type)
  Unsupported,         ///< a type this codec does not handle (bit sequences)
};
const char* to_string(DynamicError e);

}  // namespace bazaar::runtime::metadata

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::metadata, DynamicError)

namespace bazaar::runtime::metadata {

/// An error with its detail: "bad argument: value: expected an unsigned integer, got -1".
struct DynamicFailure {
  DynamicError error = DynamicError::BadArgument;
  std::string message;  ///< the detail, naming the field / name at fault
  /// "<error text>: <message>".
  std::string what() const;
};

/// Ok, or a DynamicFailure.
template <class T>
using DynamicResult = outcome::result<T, DynamicFailure, outcome::policy::terminate>;

/// Deepest nesting of values (and of type references) the codec follows.
inline constexpr int kMaxDepth = 64;

/// Options of the JSON produced by decode_value.
struct DecodeOptions {
  bool ss58 = false;          ///< accounts as SS58 instead of 0x-hex
  uint16_t ss58_prefix = 42;  ///< network prefix for ss58
};

/// A read-only view over one MetadataV14 with name and id lookups.
class Registry {
 public:
  explicit Registry(MetadataV14 metadata);
  /// Reads SCALE RuntimeMetadataPrefixed bytes (state_getMetadata's answer).
  static DynamicResult<Registry> from_bytes(ByteSpan bytes);

  const MetadataV14& metadata() const { return m_metadata; }

  /// The type with this id, or UnknownType.
  DynamicResult<const Type*> type(uint32_t id) const;

  /// A pallet by name (any case, with or without underscores) or, when the
  /// text is a decimal number, by index. UnknownPallet lists the known names.
  DynamicResult<const Pallet*> pallet(std::string_view name) const;
  const Pallet* pallet_by_index(uint8_t index) const;

  /// A call of the pallet by name (snake_case or camelCase). UnknownCall lists the pallet's calls.
  DynamicResult<const Variant*> call(const Pallet& pallet, std::string_view name) const;
  /// An event variant by index.
  DynamicResult<const Variant*> event(const Pallet& pallet, uint8_t index) const;
  /// A storage entry by name. UnknownStorage lists the pallet's items.
  DynamicResult<const StorageEntry*> storage(const Pallet& pallet, std::string_view name) const;
  /// A constant by name. UnknownConstant lists the pallet's constants.
  DynamicResult<const PalletConstant*> constant(const Pallet& pallet, std::string_view name) const;

  /// The runtime's outer call enum (UncheckedExtrinsic's Call parameter), if found.
  std::optional<uint32_t> runtime_call_type() const;
  /// The runtime's outer event enum (frame_system::EventRecord's E parameter), if found.
  std::optional<uint32_t> runtime_event_type() const;
  /// System.SS58Prefix, or 42 when the metadata does not have it.
  uint16_t ss58_prefix() const;

  /// Names for error messages: "System, Timestamp, Credits".
  std::string pallet_names() const;
  std::string call_names(const Pallet& pallet) const;
  std::string storage_names(const Pallet& pallet) const;

 private:
  std::optional<uint32_t> type_param(std::string_view path_tail, std::string_view param) const;
  const std::vector<Variant>* variants_of(const std::optional<TypeId>& id) const;

  MetadataV14 m_metadata;
  std::unordered_map<uint32_t, std::size_t> m_by_id;  ///< type id -> index in m_metadata.types
};

/// "transferKeepAlive", "transfer_keep_alive" -> "transferkeepalive": the key names match on.
std::string normalize_name(std::string_view name);
/// "dispatch_info" -> "dispatchInfo" (JSON field names); a trailing '_' is dropped ("new_" -> "new").
std::string json_field_name(std::string_view name);

// ---- values (dynamic_value.cpp) ------------------------------------------------

/// Decodes one value of type `type_id` from `d` as JSON (the forms above).
/// Errors: UnknownType, BadValue (with the codec's reason), DepthLimit, Unsupported.
DynamicResult<nlohmann::json> decode_value(const Registry& registry, uint32_t type_id, codec::Decoder& d,
                                           const DecodeOptions& options = {});
/// Decodes a whole value; bytes left over are BadValue.
DynamicResult<nlohmann::json> decode_value(const Registry& registry, uint32_t type_id, ByteSpan bytes,
                                           const DecodeOptions& options = {});

/// Encodes `value` as type `type_id` onto `e`. `path` names the value in
/// error messages ("dest", "call.value"). Errors: BadArgument, UnknownType,
/// DepthLimit, Unsupported.
DynamicResult<void> encode_value(const Registry& registry, uint32_t type_id, const nlohmann::json& value,
                                 codec::Encoder& e, const std::string& path = "value");
/// The SCALE bytes of `value` as type `type_id`.
DynamicResult<Bytes> encode_value(const Registry& registry, uint32_t type_id, const nlohmann::json& value,
                                  const std::string& path = "value");

/// Decodes a field list (call arguments, event fields): an object by
/// lowerCamelCase name when every field is named, else an array.
DynamicResult<nlohmann::json> decode_fields(const Registry& registry, const std::vector<Field>& fields,
                                            codec::Decoder& d, const DecodeOptions& options = {},
                                            const std::string& path = "value");
/// Encodes a field list from an object (by name, any case) or an array (in order).
DynamicResult<void> encode_fields(const Registry& registry, const std::vector<Field>& fields,
                                  const nlohmann::json& value, codec::Encoder& e, const std::string& path = "value");

// ---- calls, events, storage (dynamic.cpp) ----------------------------------------

/// The bytes of a call: pallet index ++ call index ++ SCALE arguments. `args`
/// is an array (positional), an object (by field name, any case), or null /
/// an empty array for a call without arguments. Errors: UnknownPallet,
/// UnknownCall, WrongArgumentCount, BadArgument (naming the argument).
DynamicResult<Bytes> encode_call(const Registry& registry, std::string_view pallet, std::string_view call,
                                 const nlohmann::json& args);

/// A call's bytes as {"module": "Credits", "call": "transfer_keep_alive", "args": {...}}.
DynamicResult<nlohmann::json> decode_call(const Registry& registry, ByteSpan call, const DecodeOptions& options = {});

/// One RuntimeEvent (pallet index ++ event index ++ fields) from `d` as
/// {"module": "Credits", "event": "Transfer", "fields": {...}}.
DynamicResult<nlohmann::json> decode_event(const Registry& registry, codec::Decoder& d,
                                           const DecodeOptions& options = {});

/// How many keys a storage entry takes (0 for a plain value, the hasher count for a map).
std::size_t storage_key_count(const StorageEntry& entry);

/// The storage key of `item`: twox128(prefix) ++ twox128(name) ++ hasher(SCALE(key)) per key.
/// `keys` is null / [] for a plain value, a single key or an array of keys for a map
/// (for a map with one key, an array is taken as that key when the key type is a
/// sequence or tuple). Fewer keys than the map has give the prefix of the entries
/// under those keys. Errors: UnknownPallet, UnknownStorage, WrongArgumentCount, BadArgument.
DynamicResult<Bytes> storage_key(const Registry& registry, std::string_view pallet, std::string_view item,
                                 const nlohmann::json& keys);

/// A stored value as JSON. Absent (nullopt): the entry's default for a Default
/// entry, null for an Optional one. Errors: those of decode_value.
DynamicResult<nlohmann::json> decode_storage_value(const Registry& registry, std::string_view pallet,
                                                   std::string_view item, const std::optional<Bytes>& value,
                                                   const DecodeOptions& options = {});

/// The map keys inside a full storage key of `entry` (after the 32-byte item
/// prefix), as a JSON array; a key under a hasher that does not keep it
/// (Blake2_128, Blake2_256, Twox128, Twox256) is given as the hash's 0x-hex.
DynamicResult<nlohmann::json> decode_storage_keys(const Registry& registry, const StorageEntry& entry,
                                                  ByteSpan full_key, const DecodeOptions& options = {});

}  // namespace bazaar::runtime::metadata
