#pragma once
// Runtime metadata V14 as plain described structs, so the SCALE codec encodes
// and decodes it with no hand-written code. Layout: frame-metadata
// (src/lib.rs, src/v14.rs) and scale-info (src/portable.rs, src/ty/*.rs);
// summarised in shared/spec/polkadot-js-compat.md, section 3.
//
// A type id is an index into PortableRegistry::types, encoded Compact<u32>.

#include "runtime/codec/scale.hpp"

#include <boost/describe.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bazaar::runtime::metadata {

/// Errors of reading a RuntimeMetadataPrefixed envelope.
enum class MetadataError {
  BadMagic = 1,        ///< the first four bytes are not "meta"
  UnsupportedVersion,  ///< a metadata version other than 14
};
const char* to_string(MetadataError e);

}  // namespace bazaar::runtime::metadata

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::metadata, MetadataError)

namespace bazaar::runtime::metadata {

using TypeId = codec::Compact<uint32_t>;

/// "meta" as a little-endian u32 (frame-metadata META_RESERVED).
inline constexpr uint32_t kMagic = 0x6174656d;
inline constexpr uint8_t kVersion14 = 14;

struct TypeParameter {
  std::string name;
  std::optional<TypeId> type;
};
BOOST_DESCRIBE_STRUCT(TypeParameter, (), (name, type))

struct Field {
  std::optional<std::string> name;
  TypeId type;
  std::optional<std::string> type_name;
  std::vector<std::string> docs;
};
BOOST_DESCRIBE_STRUCT(Field, (), (name, type, type_name, docs))

struct Variant {
  std::string name;
  std::vector<Field> fields;
  uint8_t index = 0;
  std::vector<std::string> docs;
};
BOOST_DESCRIBE_STRUCT(Variant, (), (name, fields, index, docs))

/// scale-info TypeDefPrimitive, by its encoded index.
enum class Primitive : uint8_t {
  Bool = 0, Char = 1, Str = 2, U8 = 3, U16 = 4, U32 = 5, U64 = 6, U128 = 7, U256 = 8,
  I8 = 9, I16 = 10, I32 = 11, I64 = 12, I128 = 13, I256 = 14,
};
BOOST_DESCRIBE_ENUM(Primitive, Bool, Char, Str, U8, U16, U32, U64, U128, U256, I8, I16, I32, I64, I128, I256)

struct TypeDefComposite {
  static constexpr uint8_t kIndex = 0;
  std::vector<Field> fields;
};
BOOST_DESCRIBE_STRUCT(TypeDefComposite, (), (fields))
struct TypeDefVariant {
  static constexpr uint8_t kIndex = 1;
  std::vector<Variant> variants;
};
BOOST_DESCRIBE_STRUCT(TypeDefVariant, (), (variants))
struct TypeDefSequence {
  static constexpr uint8_t kIndex = 2;
  TypeId type;
};
BOOST_DESCRIBE_STRUCT(TypeDefSequence, (), (type))
struct TypeDefArray {
  static constexpr uint8_t kIndex = 3;
  uint32_t len = 0;
  TypeId type;
};
BOOST_DESCRIBE_STRUCT(TypeDefArray, (), (len, type))
struct TypeDefTuple {
  static constexpr uint8_t kIndex = 4;
  std::vector<TypeId> fields;
};
BOOST_DESCRIBE_STRUCT(TypeDefTuple, (), (fields))
struct TypeDefPrimitive {
  static constexpr uint8_t kIndex = 5;
  Primitive primitive = Primitive::Bool;
};
BOOST_DESCRIBE_STRUCT(TypeDefPrimitive, (), (primitive))
struct TypeDefCompact {
  static constexpr uint8_t kIndex = 6;
  TypeId type;
};
BOOST_DESCRIBE_STRUCT(TypeDefCompact, (), (type))
struct TypeDefBitSequence {
  static constexpr uint8_t kIndex = 7;
  TypeId bit_store_type;
  TypeId bit_order_type;
};
BOOST_DESCRIBE_STRUCT(TypeDefBitSequence, (), (bit_store_type, bit_order_type))

using TypeDef = std::variant<TypeDefComposite, TypeDefVariant, TypeDefSequence, TypeDefArray, TypeDefTuple,
                             TypeDefPrimitive, TypeDefCompact, TypeDefBitSequence>;

struct Type {
  std::vector<std::string> path;
  std::vector<TypeParameter> params;
  TypeDef def;
  std::vector<std::string> docs;
};
BOOST_DESCRIBE_STRUCT(Type, (), (path, params, def, docs))

struct PortableType {
  TypeId id;
  Type type;
};
BOOST_DESCRIBE_STRUCT(PortableType, (), (id, type))

/// Storage hashers by their metadata index (frame-metadata StorageHasher).
enum class StorageHasher : uint8_t {
  Blake2_128 = 0, Blake2_256 = 1, Blake2_128Concat = 2, Twox128 = 3, Twox256 = 4, Twox64Concat = 5, Identity = 6,
};
BOOST_DESCRIBE_ENUM(StorageHasher, Blake2_128, Blake2_256, Blake2_128Concat, Twox128, Twox256, Twox64Concat, Identity)

enum class StorageEntryModifier : uint8_t { Optional = 0, Default = 1 };
BOOST_DESCRIBE_ENUM(StorageEntryModifier, Optional, Default)

struct StorageEntryPlain {
  static constexpr uint8_t kIndex = 0;
  TypeId value;
};
BOOST_DESCRIBE_STRUCT(StorageEntryPlain, (), (value))
/// A map; for a double map `key` is a tuple type and `hashers` has two entries.
struct StorageEntryMap {
  static constexpr uint8_t kIndex = 1;
  std::vector<StorageHasher> hashers;
  TypeId key;
  TypeId value;
};
BOOST_DESCRIBE_STRUCT(StorageEntryMap, (), (hashers, key, value))
using StorageEntryType = std::variant<StorageEntryPlain, StorageEntryMap>;

struct StorageEntry {
  std::string name;
  StorageEntryModifier modifier = StorageEntryModifier::Optional;
  StorageEntryType type;
  Bytes default_value;  ///< the value's bytes returned when the key is absent
  std::vector<std::string> docs;
};
BOOST_DESCRIBE_STRUCT(StorageEntry, (), (name, modifier, type, default_value, docs))

struct PalletStorage {
  std::string prefix;
  std::vector<StorageEntry> entries;
};
BOOST_DESCRIBE_STRUCT(PalletStorage, (), (prefix, entries))

struct PalletConstant {
  std::string name;
  TypeId type;
  Bytes value;  ///< SCALE-encoded
  std::vector<std::string> docs;
};
BOOST_DESCRIBE_STRUCT(PalletConstant, (), (name, type, value, docs))

/// `calls`, `event` and `error` each name one Variant type (variant index = call/event/error index).
struct Pallet {
  std::string name;
  std::optional<PalletStorage> storage;
  std::optional<TypeId> calls;
  std::optional<TypeId> event;
  std::vector<PalletConstant> constants;
  std::optional<TypeId> error;
  uint8_t index = 0;
};
BOOST_DESCRIBE_STRUCT(Pallet, (), (name, storage, calls, event, constants, error, index))

struct SignedExtension {
  std::string identifier;
  TypeId type;                ///< the "extra" carried inside the extrinsic
  TypeId additional_signed;   ///< the implicit part, signed but not transmitted
};
BOOST_DESCRIBE_STRUCT(SignedExtension, (), (identifier, type, additional_signed))

struct Extrinsic {
  TypeId type;  ///< sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic
  uint8_t version = 4;
  std::vector<SignedExtension> signed_extensions;
};
BOOST_DESCRIBE_STRUCT(Extrinsic, (), (type, version, signed_extensions))

struct MetadataV14 {
  std::vector<PortableType> types;
  std::vector<Pallet> pallets;
  Extrinsic extrinsic;
  TypeId runtime_type;
};
BOOST_DESCRIBE_STRUCT(MetadataV14, (), (types, pallets, extrinsic, runtime_type))

/// RuntimeMetadataPrefixed restricted to V14: magic, version byte 14, body.
/// decode() fails with MetadataError on a wrong magic or another version.
struct RuntimeMetadataPrefixed {
  MetadataV14 metadata;
};

}  // namespace bazaar::runtime::metadata

template <>
struct bazaar::runtime::codec::Codec<bazaar::runtime::metadata::RuntimeMetadataPrefixed> {
  static void encode(Encoder& e, const metadata::RuntimeMetadataPrefixed& m) {
    encode_to(e, metadata::kMagic);
    encode_to(e, metadata::kVersion14);
    encode_to(e, m.metadata);
  }
  static Result<void> decode(Decoder& d, metadata::RuntimeMetadataPrefixed& m) {
    uint32_t magic = 0;
    uint8_t version = 0;
    BAZAAR_TRY(decode_from(d, magic));
    if (magic != metadata::kMagic) return metadata::MetadataError::BadMagic;
    BAZAAR_TRY(decode_from(d, version));
    if (version != metadata::kVersion14) return metadata::MetadataError::UnsupportedVersion;
    return decode_from(d, m.metadata);
  }
};
