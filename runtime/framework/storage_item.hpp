#pragma once
// Typed storage items, declared once per item as a type alias (STYLE.md, 4):
//
//   using Number = StorageValue<"System", "Number", BlockNumber, ValueQuery,
//                               "The current block number being processed.">;
//   using Account = StorageMap<"System", "Account", Hasher::Blake2_128Concat,
//                              AccountId32, AccountInfo, ValueQuery, "...">;
//
// Keys are Substrate's: twox128(module) ++ twox128(item) ++ hasher(SCALE(key))
// for each key. Values are SCALE. With ValueQuery, an absent value reads as
// the type's default; with OptionQuery it reads as nullopt. A stored value
// that fails to decode (a corrupt state) reads as absent, as in FRAME.
// The alias carries everything the metadata generator needs (names, hashers,
// key and value types, modifier, docs).

#include "runtime/codec/scale.hpp"
#include "runtime/storage/keys.hpp"
#include "runtime/storage/overlay.hpp"

#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace bazaar::runtime::framework {

using storage::FixedString;
using storage::Hasher;

/// Absent reads as V{} (metadata modifier Default).
struct ValueQuery {};
/// Absent reads as nullopt (metadata modifier Optional).
struct OptionQuery {};

namespace detail {
template <class V, class Query>
using QueryType = std::conditional_t<std::is_same_v<Query, ValueQuery>, V, std::optional<V>>;

/// The value `raw` (a stored value, or nullopt if absent) reads as under Query.
template <class V, class Query>
QueryType<V, Query> decode_value(const std::optional<Bytes>& raw) {
  std::optional<V> v;
  if (raw) {
    if (auto decoded = codec::decode<V>(*raw)) v = std::move(decoded).value();
  }
  if constexpr (std::is_same_v<Query, ValueQuery>) {
    return v ? std::move(*v) : V{};
  } else {
    return v;
  }
}

template <class V, class Query>
QueryType<V, Query> read(const storage::StorageReader& s, const Bytes& key) {
  return decode_value<V, Query>(s.get(key));
}

/// Writes back a value read under Query at `key`: ValueQuery always stores,
/// OptionQuery stores a value and deletes on nullopt.
template <class V, class Query>
void write_back(storage::Overlay& s, const Bytes& key, const QueryType<V, Query>& v) {
  if constexpr (std::is_same_v<Query, ValueQuery>) {
    s.set(key, codec::encode(v));
  } else if (v) {
    s.set(key, codec::encode(*v));
  } else {
    s.clear(key);
  }
}

/// prefix ++ hasher(SCALE(k)), built in one allocation.
template <Hasher H, class K>
Bytes hashed_key(const Bytes& prefix, const K& k) {
  const Bytes encoded = codec::encode(k);
  Bytes out;
  out.reserve(prefix.size() + storage::hashed_key_size(H, encoded.size()));
  out.insert(out.end(), prefix.begin(), prefix.end());
  storage::append_hashed_key(out, H, encoded);
  return out;
}

inline bool starts_with(const Bytes& key, const Bytes& prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

/// Decodes a map key back out of a Concat/Identity-hashed key segment.
template <class K>
std::optional<K> decode_hashed_key(Hasher h, codec::Decoder& d) {
  auto skip = storage::concat_hash_length(h);
  if (!skip || !d.read(*skip)) return std::nullopt;
  K k{};
  if (!codec::decode_from(d, k)) return std::nullopt;
  return k;
}
}  // namespace detail

template <FixedString Module, FixedString Item, class V, class Query = OptionQuery, FixedString Docs = "">
struct StorageValue {
  using Value = V;
  using QueryKind = Query;
  static constexpr std::string_view kModule = Module.view();
  static constexpr std::string_view kItem = Item.view();
  static constexpr std::string_view kDocs = Docs.view();

  /// twox128(module) ++ twox128(item), computed once per item.
  static const Bytes& key() {
    static const Bytes k = storage::item_prefix(kModule, kItem);
    return k;
  }
  static detail::QueryType<V, Query> get(const storage::StorageReader& s) { return detail::read<V, Query>(s, key()); }
  static bool exists(const storage::StorageReader& s) { return s.get(key()).has_value(); }
  static void put(storage::Overlay& s, const V& v) { s.set(key(), codec::encode(v)); }
  static void kill(storage::Overlay& s) { s.clear(key()); }
  /// Reads, lets f change the value in place, writes it back; returns f's result.
  template <class F>
  static auto mutate(storage::Overlay& s, F&& f) {
    auto v = get(s);
    if constexpr (std::is_void_v<decltype(f(v))>) {
      f(v);
      detail::write_back<V, Query>(s, key(), v);
    } else {
      auto r = f(v);
      detail::write_back<V, Query>(s, key(), v);
      return r;
    }
  }
};

template <FixedString Module, FixedString Item, Hasher H, class K, class V, class Query = OptionQuery,
          FixedString Docs = "">
struct StorageMap {
  using Key = K;
  using Value = V;
  using QueryKind = Query;
  static constexpr Hasher kHasher = H;
  static constexpr std::string_view kModule = Module.view();
  static constexpr std::string_view kItem = Item.view();
  static constexpr std::string_view kDocs = Docs.view();

  /// twox128(module) ++ twox128(item), computed once per item.
  static const Bytes& prefix() {
    static const Bytes p = storage::item_prefix(kModule, kItem);
    return p;
  }
  static Bytes key(const K& k) { return detail::hashed_key<H>(prefix(), k); }
  static detail::QueryType<V, Query> get(const storage::StorageReader& s, const K& k) {
    return detail::read<V, Query>(s, key(k));
  }
  /// contains() and get() from one read: whether a value is stored at k, and
  /// the value as get() reads it.
  static std::pair<bool, detail::QueryType<V, Query>> get_entry(const storage::StorageReader& s, const K& k) {
    auto raw = s.get(key(k));
    const bool stored = raw.has_value();
    return {stored, detail::decode_value<V, Query>(raw)};
  }
  static bool contains(const storage::StorageReader& s, const K& k) { return s.get(key(k)).has_value(); }
  static void put(storage::Overlay& s, const K& k, const V& v) { s.set(key(k), codec::encode(v)); }
  static void remove(storage::Overlay& s, const K& k) { s.clear(key(k)); }
  /// Reads, lets f change the value in place, writes it back; returns f's result.
  template <class F>
  static auto mutate(storage::Overlay& s, const K& k, F&& f) {
    const Bytes full = key(k);
    auto v = detail::read<V, Query>(s, full);
    if constexpr (std::is_void_v<decltype(f(v))>) {
      f(v);
      detail::write_back<V, Query>(s, full, v);
    } else {
      auto r = f(v);
      detail::write_back<V, Query>(s, full, v);
      return r;
    }
  }

  /// Calls f(key, value) for every entry in key order, until f returns false.
  /// Only for hashers that keep the key (Blake2_128Concat, Twox64Concat, Identity).
  template <class F>
  static void for_each(const storage::StorageReader& s, F&& f) {
    static_assert(H == Hasher::Blake2_128Concat || H == Hasher::Twox64Concat || H == Hasher::Identity,
                  "iteration needs a hasher that keeps the key");
    const Bytes& p = prefix();
    for (auto k = s.next_key(p); k && detail::starts_with(*k, p); k = s.next_key(*k)) {
      codec::Decoder d(ByteSpan(*k).subspan(p.size()));
      auto key_value = detail::decode_hashed_key<K>(H, d);
      auto raw = s.get(*k);
      if (!key_value || !raw) continue;
      auto value = codec::decode<V>(*raw);
      if (!value) continue;
      if (!f(*key_value, value.value())) break;
    }
  }
  /// All entries in key order.
  static std::vector<std::pair<K, V>> entries(const storage::StorageReader& s) {
    std::vector<std::pair<K, V>> out;
    for_each(s, [&](const K& k, const V& v) {
      out.emplace_back(k, v);
      return true;
    });
    return out;
  }
};

template <FixedString Module, FixedString Item, Hasher H1, class K1, Hasher H2, class K2, class V,
          class Query = OptionQuery, FixedString Docs = "">
struct StorageDoubleMap {
  using Key1 = K1;
  using Key2 = K2;
  using Value = V;
  using QueryKind = Query;
  static constexpr Hasher kHasher1 = H1;
  static constexpr Hasher kHasher2 = H2;
  static constexpr std::string_view kModule = Module.view();
  static constexpr std::string_view kItem = Item.view();
  static constexpr std::string_view kDocs = Docs.view();

  /// twox128(module) ++ twox128(item), computed once per item.
  static const Bytes& prefix() {
    static const Bytes p = storage::item_prefix(kModule, kItem);
    return p;
  }
  static Bytes prefix(const K1& k1) { return detail::hashed_key<H1>(prefix(), k1); }
  static Bytes key(const K1& k1, const K2& k2) { return detail::hashed_key<H2>(prefix(k1), k2); }
  static detail::QueryType<V, Query> get(const storage::StorageReader& s, const K1& a, const K2& b) {
    return detail::read<V, Query>(s, key(a, b));
  }
  static bool contains(const storage::StorageReader& s, const K1& a, const K2& b) {
    return s.get(key(a, b)).has_value();
  }
  static void put(storage::Overlay& s, const K1& a, const K2& b, const V& v) { s.set(key(a, b), codec::encode(v)); }
  static void remove(storage::Overlay& s, const K1& a, const K2& b) { s.clear(key(a, b)); }
  /// Removes every entry under k1; returns how many.
  static std::size_t remove_prefix(storage::Overlay& s, const K1& k1) { return s.clear_prefix(prefix(k1)); }

  /// Calls f(k2, value) for every entry under k1 in key order, until f returns false.
  template <class F>
  static void for_each_in(const storage::StorageReader& s, const K1& k1, F&& f) {
    static_assert(H2 == Hasher::Blake2_128Concat || H2 == Hasher::Twox64Concat || H2 == Hasher::Identity,
                  "iteration needs a hasher that keeps the key");
    const Bytes p = prefix(k1);
    for (auto k = s.next_key(p); k && detail::starts_with(*k, p); k = s.next_key(*k)) {
      codec::Decoder d(ByteSpan(*k).subspan(p.size()));
      auto k2 = detail::decode_hashed_key<K2>(H2, d);
      auto raw = s.get(*k);
      if (!k2 || !raw) continue;
      auto value = codec::decode<V>(*raw);
      if (!value) continue;
      if (!f(*k2, value.value())) break;
    }
  }
};

}  // namespace bazaar::runtime::framework
