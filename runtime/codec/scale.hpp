#pragma once
// SCALE codec (Parity's Simple Concatenated Aggregate Little-Endian,
// https://docs.substrate.io/reference/scale-codec/).
//
// Supported out of the box: fixed-width integers (LE, including u128), bool,
// Compact<T>, std::vector<T> and BoundedVec<T, N> (compact length prefix),
// std::string (compact length + UTF-8 bytes), std::array<T, N> and FixedBytes
// (no prefix), std::optional<T> (0x00 / 0x01 tag), std::tuple / std::pair,
// std::variant (an enum: one index byte, then the alternative; the index is
// the alternative's `static constexpr uint8_t kIndex` when it declares one,
// its position otherwise; std::monostate encodes as nothing), ScaleResult<T, E>
// (0x00 Ok / 0x01 Err), structs described with BOOST_DESCRIBE_STRUCT (fields
// in declaration order) and enums described with BOOST_DESCRIBE_ENUM (one byte,
// the enumerator's value; undeclared values are rejected on decode).
//
// Other types plug in by specialising `Codec<T>` with
//   static void encode(Encoder&, const T&);
//   static Result<void> decode(Decoder&, T&);
//
// Decoding never reads past its input and never trusts a length prefix for an
// allocation: vectors grow as elements are actually decoded. Nesting is
// bounded (Decoder::kMaxDepth) so hostile input cannot exhaust the stack.

#include "runtime/codec/bytes.hpp"
#include "runtime/result.hpp"

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace bazaar::runtime::codec {

/// Errors of SCALE decoding.
enum class CodecError {
  NotEnoughData = 1,   ///< input ended inside a value
  NonCanonicalCompact, ///< a compact integer not in its shortest form
  CompactOutOfRange,   ///< a compact integer too large for its target type
  InvalidBool,         ///< a bool byte other than 0 or 1
  InvalidOptionTag,    ///< an Option tag other than 0 or 1
  InvalidEnumIndex,    ///< an enum / variant index that names no variant
  BoundExceeded,       ///< a bounded vector longer than its bound
  TrailingBytes,       ///< bytes left over after decoding a whole value
  DepthLimit,          ///< nesting deeper than Decoder::kMaxDepth
  InvalidUtf8,         ///< a string that is not valid UTF-8
};
const char* to_string(CodecError e);

}  // namespace bazaar::runtime::codec

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime::codec, CodecError)

namespace bazaar::runtime::codec {

/// Appends SCALE bytes to a growing buffer.
class Encoder {
 public:
  void push(uint8_t b) { m_out.push_back(b); }
  void write(ByteSpan s) { m_out.insert(m_out.end(), s.begin(), s.end()); }
  const Bytes& bytes() const { return m_out; }
  Bytes take() { return std::move(m_out); }
  std::size_t size() const { return m_out.size(); }

 private:
  Bytes m_out;
};

/// Reads SCALE bytes from a span it does not own.
class Decoder {
 public:
  static constexpr int kMaxDepth = 64;

  explicit Decoder(ByteSpan in) : m_in(in) {}

  Result<uint8_t> read_byte() {
    if (m_pos >= m_in.size()) return CodecError::NotEnoughData;
    return m_in[m_pos++];
  }
  Result<ByteSpan> read(std::size_t n) {
    if (n > remaining()) return CodecError::NotEnoughData;
    ByteSpan s = m_in.subspan(m_pos, n);
    m_pos += n;
    return s;
  }
  std::size_t remaining() const { return m_in.size() - m_pos; }
  std::size_t position() const { return m_pos; }
  bool at_end() const { return m_pos == m_in.size(); }
  /// The bytes not yet consumed.
  ByteSpan rest() const { return m_in.subspan(m_pos); }

  /// Enter / leave one level of nesting (variants, boxed calls).
  Result<void> enter() {
    if (++m_depth > kMaxDepth) return CodecError::DepthLimit;
    return success();
  }
  void leave() { --m_depth; }

 private:
  ByteSpan m_in;
  std::size_t m_pos = 0;
  int m_depth = 0;
};

/// A value encoded in SCALE's compact (variable-length) integer form.
template <class T>
struct Compact {
  T value{};
  friend bool operator==(const Compact&, const Compact&) = default;
};

/// A vector whose decoded length may not exceed N (Substrate's BoundedVec).
template <class T, std::size_t N>
struct BoundedVec {
  static constexpr std::size_t kBound = N;
  std::vector<T> items;
  std::size_t size() const { return items.size(); }
  friend bool operator==(const BoundedVec&, const BoundedVec&) = default;
};

/// SCALE's Result<T, E>: 0x00 ++ T or 0x01 ++ E.
template <class T, class E>
struct ScaleResult {
  std::variant<T, E> value;
  bool is_ok() const { return value.index() == 0; }
  friend bool operator==(const ScaleResult&, const ScaleResult&) = default;
};

template <class T, class Enable = void>
struct Codec;  // specialise for new types

template <class T>
void encode_to(Encoder& e, const T& v) {
  Codec<T>::encode(e, v);
}
template <class T>
Result<void> decode_from(Decoder& d, T& v) {
  return Codec<T>::decode(d, v);
}

/// SCALE bytes of v.
template <class T>
Bytes encode(const T& v) {
  Encoder e;
  encode_to(e, v);
  return e.take();
}

/// Decodes a whole value; bytes left over are an error (TrailingBytes).
template <class T>
Result<T> decode(ByteSpan in) {
  Decoder d(in);
  T v{};
  BAZAAR_TRY(decode_from(d, v));
  if (!d.at_end()) return CodecError::TrailingBytes;
  return v;
}

/// Compact integer primitives (any unsigned value up to u128).
void encode_compact(Encoder& e, u128 v);
Result<u128> decode_compact(Decoder& d);
/// Decodes a compact length and checks it fits in size_t.
Result<std::size_t> decode_length(Decoder& d);

// ---- integers and bool -----------------------------------------------------

template <class T>
concept ScaleInteger = (std::is_integral_v<T> && !std::is_same_v<T, bool>) || std::is_same_v<T, u128>;

namespace detail {
template <class T>
struct UnsignedOf { using type = std::make_unsigned_t<T>; };
template <>
struct UnsignedOf<u128> { using type = u128; };
}  // namespace detail

template <ScaleInteger T>
struct Codec<T> {
  static void encode(Encoder& e, const T& v) {
    using U = typename detail::UnsignedOf<T>::type;
    U u = static_cast<U>(v);
    for (std::size_t i = 0; i < sizeof(T); ++i) e.push(static_cast<uint8_t>(u >> (8 * i)));
  }
  static Result<void> decode(Decoder& d, T& v) {
    using U = typename detail::UnsignedOf<T>::type;
    BAZAAR_TRY(auto s, d.read(sizeof(T)));
    U u = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) u |= static_cast<U>(s[i]) << (8 * i);
    v = static_cast<T>(u);
    return success();
  }
};

template <>
struct Codec<bool> {
  static void encode(Encoder& e, bool v) { e.push(v ? 1 : 0); }
  static Result<void> decode(Decoder& d, bool& v) {
    BAZAAR_TRY(auto b, d.read_byte());
    if (b > 1) return CodecError::InvalidBool;
    v = b == 1;
    return success();
  }
};

template <class T>
struct Codec<Compact<T>> {
  static void encode(Encoder& e, const Compact<T>& v) { encode_compact(e, static_cast<u128>(v.value)); }
  static Result<void> decode(Decoder& d, Compact<T>& v) {
    BAZAAR_TRY(auto x, decode_compact(d));
    if constexpr (!std::is_same_v<T, u128>) {
      if (x > static_cast<u128>(std::numeric_limits<T>::max())) return CodecError::CompactOutOfRange;
    }
    v.value = static_cast<T>(x);
    return success();
  }
};

// ---- sequences ---------------------------------------------------------------

namespace detail {
template <class T>
Result<void> decode_elements(Decoder& d, std::vector<T>& out, std::size_t n) {
  out.clear();
  if constexpr (std::is_same_v<T, uint8_t>) {
    BAZAAR_TRY(auto s, d.read(n));
    out.assign(s.begin(), s.end());
  } else {
    // Never reserve more than the input could possibly hold.
    out.reserve(std::min(n, d.remaining()));
    for (std::size_t i = 0; i < n; ++i) {
      T item{};
      BAZAAR_TRY(decode_from(d, item));
      out.push_back(std::move(item));
    }
  }
  return success();
}
}  // namespace detail

template <class T>
struct Codec<std::vector<T>> {
  static void encode(Encoder& e, const std::vector<T>& v) {
    encode_compact(e, v.size());
    if constexpr (std::is_same_v<T, uint8_t>) {
      e.write(v);
    } else {
      for (const auto& x : v) encode_to(e, x);
    }
  }
  static Result<void> decode(Decoder& d, std::vector<T>& v) {
    BAZAAR_TRY(auto n, decode_length(d));
    return detail::decode_elements(d, v, n);
  }
};

template <class T, std::size_t N>
struct Codec<BoundedVec<T, N>> {
  static void encode(Encoder& e, const BoundedVec<T, N>& v) { encode_to(e, v.items); }
  static Result<void> decode(Decoder& d, BoundedVec<T, N>& v) {
    BAZAAR_TRY(auto n, decode_length(d));
    if (n > N) return CodecError::BoundExceeded;
    return detail::decode_elements(d, v.items, n);
  }
};

template <>
struct Codec<std::string> {
  static void encode(Encoder& e, const std::string& v);
  static Result<void> decode(Decoder& d, std::string& v);
};

template <class T, std::size_t N>
struct Codec<std::array<T, N>> {
  static void encode(Encoder& e, const std::array<T, N>& v) {
    for (const auto& x : v) encode_to(e, x);
  }
  static Result<void> decode(Decoder& d, std::array<T, N>& v) {
    for (auto& x : v) {
      BAZAAR_TRY(decode_from(d, x));
    }
    return success();
  }
};

template <std::size_t N, class Tag>
struct Codec<FixedBytes<N, Tag>> {
  static void encode(Encoder& e, const FixedBytes<N, Tag>& v) { e.write(v.span()); }
  static Result<void> decode(Decoder& d, FixedBytes<N, Tag>& v) {
    BAZAAR_TRY(auto s, d.read(N));
    std::memcpy(v.bytes.data(), s.data(), N);
    return success();
  }
};

template <class T>
struct Codec<std::optional<T>> {
  static void encode(Encoder& e, const std::optional<T>& v) {
    e.push(v ? 1 : 0);
    if (v) encode_to(e, *v);
  }
  static Result<void> decode(Decoder& d, std::optional<T>& v) {
    BAZAAR_TRY(auto tag, d.read_byte());
    if (tag == 0) {
      v.reset();
      return success();
    }
    if (tag != 1) return CodecError::InvalidOptionTag;
    T x{};
    BAZAAR_TRY(decode_from(d, x));
    v = std::move(x);
    return success();
  }
};

template <class... Ts>
struct Codec<std::tuple<Ts...>> {
  static void encode(Encoder& e, const std::tuple<Ts...>& v) {
    std::apply([&](const auto&... xs) { (encode_to(e, xs), ...); }, v);
  }
  static Result<void> decode(Decoder& d, std::tuple<Ts...>& v) {
    Result<void> r = success();
    std::apply([&](auto&... xs) { ((r ? (r = decode_from(d, xs), 0) : 0), ...); }, v);
    return r;
  }
};

template <class A, class B>
struct Codec<std::pair<A, B>> {
  static void encode(Encoder& e, const std::pair<A, B>& v) {
    encode_to(e, v.first);
    encode_to(e, v.second);
  }
  static Result<void> decode(Decoder& d, std::pair<A, B>& v) {
    BAZAAR_TRY(decode_from(d, v.first));
    return decode_from(d, v.second);
  }
};

// ---- enums and variants -----------------------------------------------------

template <>
struct Codec<std::monostate> {
  static void encode(Encoder&, const std::monostate&) {}
  static Result<void> decode(Decoder&, std::monostate&) { return success(); }
};

template <class T>
concept HasVariantIndex = requires { { T::kIndex } -> std::convertible_to<uint8_t>; };

/// The SCALE index of alternative I of a variant.
template <class Variant, std::size_t I>
constexpr uint8_t variant_index() {
  using Alt = std::variant_alternative_t<I, Variant>;
  if constexpr (HasVariantIndex<Alt>) {
    return static_cast<uint8_t>(Alt::kIndex);
  } else {
    return static_cast<uint8_t>(I);
  }
}

template <class... Ts>
struct Codec<std::variant<Ts...>> {
  using V = std::variant<Ts...>;
  static void encode(Encoder& e, const V& v) {
    boost::mp11::mp_with_index<sizeof...(Ts)>(v.index(), [&](auto I) {
      e.push(variant_index<V, I>());
      encode_to(e, std::get<I>(v));
    });
  }
  static Result<void> decode(Decoder& d, V& v) {
    BAZAAR_TRY(auto tag, d.read_byte());
    BAZAAR_TRY(d.enter());
    Result<void> r = CodecError::InvalidEnumIndex;
    bool found = false;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<sizeof...(Ts)>>([&](auto I) {
      if (found || variant_index<V, I>() != tag) return;
      found = true;
      std::variant_alternative_t<I, V> x{};
      r = decode_from(d, x);
      if (r) v.template emplace<I>(std::move(x));
    });
    d.leave();
    return r;
  }
};

template <class T, class E>
struct Codec<ScaleResult<T, E>> {
  static void encode(Encoder& e, const ScaleResult<T, E>& v) {
    e.push(static_cast<uint8_t>(v.value.index()));
    std::visit([&](const auto& x) { encode_to(e, x); }, v.value);
  }
  static Result<void> decode(Decoder& d, ScaleResult<T, E>& v) {
    BAZAAR_TRY(auto tag, d.read_byte());
    if (tag == 0) {
      T x{};
      BAZAAR_TRY(decode_from(d, x));
      v.value.template emplace<0>(std::move(x));
    } else if (tag == 1) {
      E x{};
      BAZAAR_TRY(decode_from(d, x));
      v.value.template emplace<1>(std::move(x));
    } else {
      return CodecError::InvalidEnumIndex;
    }
    return success();
  }
};

template <class T>
concept DescribedEnum = std::is_enum_v<T> && boost::describe::has_describe_enumerators<T>::value;

template <DescribedEnum T>
struct Codec<T> {
  static void encode(Encoder& e, const T& v) { e.push(static_cast<uint8_t>(v)); }
  static Result<void> decode(Decoder& d, T& v) {
    BAZAAR_TRY(auto b, d.read_byte());
    bool known = false;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto D) {
      if (static_cast<uint8_t>(D.value) == b) known = true;
    });
    if (!known) return CodecError::InvalidEnumIndex;
    v = static_cast<T>(b);
    return success();
  }
};

// ---- described structs ------------------------------------------------------

template <class T>
concept DescribedStruct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value;

template <DescribedStruct T>
struct Codec<T> {
  using Members = boost::describe::describe_members<T, boost::describe::mod_public>;
  static void encode(Encoder& e, const T& v) {
    boost::mp11::mp_for_each<Members>([&](auto D) { encode_to(e, v.*D.pointer); });
  }
  static Result<void> decode(Decoder& d, T& v) {
    Result<void> r = success();
    boost::mp11::mp_for_each<Members>([&](auto D) {
      if (r) r = decode_from(d, v.*D.pointer);
    });
    return r;
  }
};

}  // namespace bazaar::runtime::codec

namespace bazaar::runtime {
using codec::BoundedVec;
using codec::Compact;
}  // namespace bazaar::runtime
