#pragma once
// A hand-built MetadataV14 for the dynamic codec tests: the "mini runtime" of
// tests/fixtures/vectors.json (System index 0, Balances index 1, Substrate's
// type paths and layouts), so the vectors' bytes can be decoded and re-encoded.

#include <string>
#include <vector>

#include "runtime/metadata/v14.hpp"

namespace bazaar::test::dynamic {

using namespace runtime::metadata;
using runtime::Bytes;

/// Appends types and returns their ids.
class MetaBuilder {
 public:
  uint32_t add(std::vector<std::string> path, TypeDef def, std::vector<TypeParameter> params = {}) {
    auto id = static_cast<uint32_t>(m_meta.types.size());
    m_meta.types.push_back(PortableType{{id}, Type{std::move(path), std::move(params), std::move(def), {}}});
    return id;
  }
  uint32_t prim(Primitive p) { return add({}, TypeDefPrimitive{p}); }
  uint32_t seq(uint32_t t) { return add({}, TypeDefSequence{{t}}); }
  uint32_t array(uint32_t len, uint32_t t) { return add({}, TypeDefArray{len, {t}}); }
  uint32_t compact(uint32_t t) { return add({}, TypeDefCompact{{t}}); }
  uint32_t tuple(std::vector<uint32_t> ts) {
    TypeDefTuple d;
    for (auto t : ts) d.fields.push_back({t});
    return add({}, d);
  }
  uint32_t composite(std::vector<std::string> path, std::vector<Field> fields) {
    return add(std::move(path), TypeDefComposite{std::move(fields)});
  }
  uint32_t variant(std::vector<std::string> path, std::vector<Variant> variants,
                   std::vector<TypeParameter> params = {}) {
    return add(std::move(path), TypeDefVariant{std::move(variants)}, std::move(params));
  }
  static Field named(std::string name, uint32_t t, std::string type_name = "") {
    return Field{std::move(name), {t}, type_name.empty() ? std::nullopt : std::optional(type_name), {}};
  }
  static Field unnamed(uint32_t t) { return Field{std::nullopt, {t}, std::nullopt, {}}; }
  static Variant var(std::string name, uint8_t index, std::vector<Field> fields = {}) {
    return Variant{std::move(name), std::move(fields), index, {}};
  }

  MetadataV14& meta() { return m_meta; }

 private:
  MetadataV14 m_meta;
};

/// Type ids of the mini runtime.
struct Mini {
  uint32_t u8, u16, u32, u64, u128, i32, i128, boolean, str, bytes32, bytes, unit, compact_u32, compact_u128;
  uint32_t account, h256, vec_h256, multi_address, option_u32, system_call, balances_call, runtime_call;
  uint32_t weight, dispatch_class, pays, dispatch_info, phase, system_event, balances_event, runtime_event;
  uint32_t event_record, events, account_data, account_info, debt_key, pair;
  MetadataV14 metadata;
};

inline Mini mini_runtime() {
  using B = MetaBuilder;
  B b;
  Mini t{};
  t.u8 = b.prim(Primitive::U8);
  t.u16 = b.prim(Primitive::U16);
  t.u32 = b.prim(Primitive::U32);
  t.u64 = b.prim(Primitive::U64);
  t.u128 = b.prim(Primitive::U128);
  t.i32 = b.prim(Primitive::I32);
  t.i128 = b.prim(Primitive::I128);
  t.boolean = b.prim(Primitive::Bool);
  t.str = b.prim(Primitive::Str);
  t.bytes32 = b.array(32, t.u8);
  t.bytes = b.seq(t.u8);
  t.unit = b.tuple({});
  t.compact_u32 = b.compact(t.u32);
  t.compact_u128 = b.compact(t.u128);
  t.account = b.composite({"sp_core", "crypto", "AccountId32"}, {B::unnamed(t.bytes32)});
  t.h256 = b.composite({"primitive_types", "H256"}, {B::unnamed(t.bytes32)});
  t.vec_h256 = b.seq(t.h256);
  auto array20 = b.array(20, t.u8);
  auto compact_unit = b.compact(t.unit);
  t.multi_address =
      b.variant({"sp_runtime", "multiaddress", "MultiAddress"},
                {B::var("Id", 0, {B::unnamed(t.account)}), B::var("Index", 1, {B::unnamed(compact_unit)}),
                 B::var("Raw", 2, {B::unnamed(t.bytes)}), B::var("Address32", 3, {B::unnamed(t.bytes32)}),
                 B::var("Address20", 4, {B::unnamed(array20)})},
                {TypeParameter{"AccountId", TypeId{t.account}}, TypeParameter{"AccountIndex", TypeId{t.unit}}});
  t.option_u32 = b.variant({"Option"}, {B::var("None", 0), B::var("Some", 1, {B::unnamed(t.u32)})},
                           {TypeParameter{"T", TypeId{t.u32}}});
  t.system_call = b.variant({"frame_system", "pallet", "Call"},
                            {B::var("remark", 0, {B::named("remark", t.bytes, "Vec<u8>")}),
                             B::var("remark_with_event", 7, {B::named("remark", t.bytes, "Vec<u8>")})});
  t.balances_call =
      b.variant({"pallet_balances", "pallet", "Call"},
                {B::var("transfer_allow_death", 0,
                        {B::named("dest", t.multi_address, "AccountIdLookupOf<T>"),
                         B::named("value", t.compact_u128, "T::Balance")}),
                 B::var("transfer_keep_alive", 3,
                        {B::named("dest", t.multi_address, "AccountIdLookupOf<T>"),
                         B::named("value", t.compact_u128, "T::Balance")}),
                 B::var("set_flags", 9,
                        {B::named("limit", t.option_u32), B::named("delta", t.i32), B::named("big", t.i128),
                         B::named("on", t.boolean), B::named("label", t.str), B::named("nonce", t.u64)})});
  // RuntimeCall: forward-declared by id so sudo-like nesting could refer to it.
  t.runtime_call = b.variant({"mini_runtime", "RuntimeCall"}, {B::var("System", 0, {B::unnamed(t.system_call)}),
                                                               B::var("Balances", 1, {B::unnamed(t.balances_call)})});
  auto compact_u64 = b.compact(t.u64);
  t.weight = b.composite({"sp_weights", "weight_v2", "Weight"},
                         {B::named("ref_time", compact_u64), B::named("proof_size", compact_u64)});
  t.dispatch_class = b.variant({"frame_support", "dispatch", "DispatchClass"},
                               {B::var("Normal", 0), B::var("Operational", 1), B::var("Mandatory", 2)});
  t.pays = b.variant({"frame_support", "dispatch", "Pays"}, {B::var("Yes", 0), B::var("No", 1)});
  t.dispatch_info =
      b.composite({"frame_support", "dispatch", "DispatchInfo"},
                  {B::named("weight", t.weight), B::named("class", t.dispatch_class), B::named("pays_fee", t.pays)});
  t.phase = b.variant({"frame_system", "Phase"}, {B::var("ApplyExtrinsic", 0, {B::unnamed(t.u32)}),
                                                  B::var("Finalization", 1), B::var("Initialization", 2)});
  t.system_event = b.variant({"frame_system", "pallet", "Event"},
                             {B::var("ExtrinsicSuccess", 0, {B::named("dispatch_info", t.dispatch_info)})});
  t.balances_event = b.variant(
      {"pallet_balances", "pallet", "Event"},
      {B::var("Transfer", 2, {B::named("from", t.account), B::named("to", t.account), B::named("amount", t.u128)})});
  t.runtime_event = b.variant(
      {"mini_runtime", "RuntimeEvent"},
      {B::var("System", 0, {B::unnamed(t.system_event)}), B::var("Balances", 1, {B::unnamed(t.balances_event)})});
  t.event_record = b.add({"frame_system", "EventRecord"},
                         TypeDefComposite{{B::named("phase", t.phase), B::named("event", t.runtime_event),
                                           B::named("topics", t.vec_h256)}},
                         {TypeParameter{"E", TypeId{t.runtime_event}}, TypeParameter{"T", TypeId{t.h256}}});
  t.events = b.seq(t.event_record);
  t.account_data = b.composite(
      {"pallet_balances", "types", "AccountData"},
      {B::named("free", t.u128), B::named("reserved", t.u128), B::named("frozen", t.u128), B::named("flags", t.u128)});
  t.account_info = b.composite({"frame_system", "AccountInfo"},
                               {B::named("nonce", t.u32), B::named("consumers", t.u32), B::named("providers", t.u32),
                                B::named("sufficients", t.u32), B::named("data", t.account_data)});
  t.debt_key = b.tuple({t.account, t.u32});
  t.pair = b.tuple({t.u32, t.bytes});

  auto& m = b.meta();
  auto entry = [](std::string name, StorageEntryModifier modifier, StorageEntryType type, Bytes def) {
    return StorageEntry{std::move(name), modifier, std::move(type), std::move(def), {}};
  };
  Pallet system{"System", PalletStorage{"System", {}}, TypeId{t.system_call}, TypeId{t.system_event}, {}, std::nullopt,
                0};
  system.storage->entries.push_back(
      entry("Account", StorageEntryModifier::Default,
            StorageEntryMap{{StorageHasher::Blake2_128Concat}, {t.account}, {t.account_info}}, Bytes(80, 0)));
  system.storage->entries.push_back(
      entry("Number", StorageEntryModifier::Default, StorageEntryPlain{{t.u32}}, Bytes(4, 0)));
  system.storage->entries.push_back(
      entry("Events", StorageEntryModifier::Default, StorageEntryPlain{{t.events}}, Bytes{0}));
  system.storage->entries.push_back(entry("BlockHash", StorageEntryModifier::Default,
                                          StorageEntryMap{{StorageHasher::Twox64Concat}, {t.u32}, {t.h256}},
                                          Bytes(32, 0)));
  system.constants.push_back(PalletConstant{"SS58Prefix", {t.u16}, Bytes{42, 0}, {}});
  Pallet balances{
      "Balances", PalletStorage{"Balances", {}}, TypeId{t.balances_call}, TypeId{t.balances_event}, {}, std::nullopt,
      1};
  balances.storage->entries.push_back(
      entry("TotalIssuance", StorageEntryModifier::Default, StorageEntryPlain{{t.u128}}, Bytes(16, 0)));
  balances.storage->entries.push_back(entry(
      "Debts", StorageEntryModifier::Optional,
      StorageEntryMap{{StorageHasher::Blake2_128Concat, StorageHasher::Twox64Concat}, {t.debt_key}, {t.u128}}, {}));
  balances.storage->entries.push_back(entry("Blobs", StorageEntryModifier::Optional,
                                            StorageEntryMap{{StorageHasher::Blake2_256}, {t.pair}, {t.bytes}}, {}));
  m.pallets = {system, balances};
  m.runtime_type = {t.unit};
  t.metadata = m;
  return t;
}

}  // namespace bazaar::test::dynamic
