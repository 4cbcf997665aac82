// Conformance of the metadata with the static codec, over every module: for
// every call and event variant, sample values built from the static types
// (default-constructed, extreme and middling ones) are encoded with the static
// codec, decoded through the generated metadata (runtime/metadata/dynamic.hpp)
// — consuming every byte — and re-encoded from that JSON to the identical
// bytes. Calls also go through encode_call by module and call name, and events
// through decode_event by name; System.Events values (EventRecord vectors)
// decode as the storage item the metadata declares.

#include <boost/describe/enumerators.hpp>
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "modules/composition/metadata.hpp"
#include "modules/composition/runtime.hpp"
#include "runtime/metadata/dynamic.hpp"

using namespace bazaar;
using namespace bazaar::runtime;
namespace composition = bazaar::modules::composition;
namespace md = bazaar::runtime::metadata;
using nlohmann::json;

namespace {

// ---- sample values of the static types ------------------------------------------
// seed 0: all zero / empty / first variant; 1: maxima / two items / last
// variant; 2: middling values / one item / second variant; 3: small values /
// three items / third variant. Nesting deeper than kSampleDepth falls back to
// seed 0 so recursive types (a call carrying a call) stay finite.

constexpr int kSeeds = 4;
constexpr int kSampleDepth = 6;

template <class T>
T sample(int seed, int depth);

template <class T>
struct IsVariant : std::false_type {};
template <class... Ts>
struct IsVariant<std::variant<Ts...>> : std::true_type {};

template <class T>
struct IsCompact : std::false_type {};
template <class T>
struct IsCompact<codec::Compact<T>> : std::true_type {};

template <class V>
V sample_variant(int seed, int depth) {
  constexpr std::size_t n = std::variant_size_v<V>;
  std::size_t pick = seed == 0 ? 0 : seed == 1 ? n - 1 : static_cast<std::size_t>(seed - 1) % n;
  V out;
  boost::mp11::mp_with_index<n>(
      pick, [&](auto I) { out.template emplace<I>(sample<std::variant_alternative_t<I, V>>(seed, depth + 1)); });
  return out;
}

template <class T>
std::size_t item_count(int seed) {
  return seed == 0 ? 0 : seed == 1 ? 2 : seed == 2 ? 1 : 3;
}

template <class T>
T sample(int seed, int depth) {
  if (depth > kSampleDepth) seed = 0;
  if constexpr (std::is_same_v<T, bool>) {
    return seed % 2 == 1;
  } else if constexpr (codec::ScaleInteger<T>) {
    T max = std::is_same_v<T, u128> ? static_cast<T>(~u128{0}) : std::numeric_limits<T>::max();
    switch (seed) {
      case 0: return T{};
      case 1: return max;
      case 2: return static_cast<T>(max / 3);
      default:
        if constexpr (std::is_signed_v<T>)
          return static_cast<T>(-42);
        else
          return static_cast<T>(42);
    }
  } else if constexpr (std::is_same_v<T, std::string>) {
    return seed == 0 ? std::string() : std::string("bazaar \xe2\x9c\x93 ") + std::to_string(seed);
  } else if constexpr (std::is_same_v<T, std::monostate>) {
    return {};
  } else if constexpr (requires {
                         T::kSize;
                         std::declval<T>().bytes;
                       }) {
    T out;
    for (std::size_t i = 0; i < T::kSize; ++i) out.bytes[i] = static_cast<uint8_t>(i * 7 + seed);
    return out;
  } else if constexpr (requires {
                         typename std::tuple_size<T>::type;
                         std::declval<T>()[0];
                       }) {
    T out{};  // std::array
    for (auto& x : out) x = sample<std::remove_reference_t<decltype(x)>>(seed, depth + 1);
    return out;
  } else if constexpr (requires {
                         std::declval<T>().items;
                         T::kBound;
                       }) {
    T out;
    std::size_t n = std::min<std::size_t>(item_count<T>(seed), T::kBound);
    for (std::size_t i = 0; i < n; ++i)
      out.items.push_back(sample<typename decltype(out.items)::value_type>(seed, depth + 1));
    return out;
  } else if constexpr (requires { std::declval<T>().push_back(std::declval<typename T::value_type>()); }) {
    T out;
    for (std::size_t i = 0; i < item_count<T>(seed); ++i)
      out.push_back(sample<typename T::value_type>(seed, depth + 1));
    return out;
  } else if constexpr (requires {
                         std::declval<T>().has_value();
                         std::declval<T>().reset();
                       }) {
    if (seed == 0) return T{};
    return T{sample<typename T::value_type>(seed, depth + 1)};
  } else if constexpr (IsCompact<T>::value) {
    return T{sample<decltype(T{}.value)>(seed, depth + 1)};
  } else if constexpr (requires { std::declval<T>().ptr; }) {
    using Inner = std::remove_cvref_t<decltype(*std::declval<T>())>;
    return T(sample<Inner>(seed, depth + 1));
  } else if constexpr (IsVariant<T>::value) {
    return sample_variant<T>(seed, depth);
  } else if constexpr (requires { std::declval<T>().is_ok(); }) {
    T out;
    using Ok = std::variant_alternative_t<0, decltype(out.value)>;
    using Err = std::variant_alternative_t<1, decltype(out.value)>;
    if (seed % 2 == 1)
      out.value.template emplace<0>(sample<Ok>(seed, depth + 1));
    else
      out.value.template emplace<1>(sample<Err>(seed, depth + 1));
    return out;
  } else if constexpr (requires { typename std::tuple_size<T>::type; }) {
    T out;
    std::apply([&](auto&... xs) { ((xs = sample<std::remove_reference_t<decltype(xs)>>(seed, depth + 1)), ...); }, out);
    return out;
  } else if constexpr (std::is_same_v<T, Weight>) {
    return Weight{sample<uint64_t>(seed, depth + 1), sample<uint64_t>(seed == 1 ? 3 : seed, depth + 1)};
  } else if constexpr (std::is_same_v<T, composition::RuntimeCall> || std::is_same_v<T, composition::RuntimeEvent>) {
    return T{sample_variant<decltype(T{}.value)>(seed, depth)};
  } else if constexpr (requires {
                         typename T::Module;
                         std::declval<T>().call;
                       }) {
    return T{sample<typename T::Module::Call>(seed, depth + 1)};
  } else if constexpr (requires {
                         typename T::Module;
                         std::declval<T>().event;
                       }) {
    return T{sample<typename T::Module::Event>(seed, depth + 1)};
  } else if constexpr (codec::DescribedEnum<T>) {
    using Es = boost::describe::describe_enumerators<T>;
    constexpr std::size_t n = boost::mp11::mp_size<Es>::value;
    std::size_t pick = seed == 0 ? 0 : seed == 1 ? n - 1 : static_cast<std::size_t>(seed - 1) % n;
    T out{};
    std::size_t i = 0;
    boost::mp11::mp_for_each<Es>([&](auto D) {
      if (i++ == pick) out = D.value;
    });
    return out;
  } else {
    static_assert(codec::DescribedStruct<T>, "the conformance test cannot build a sample of this type");
    T out{};
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto D) { out.*D.pointer = sample<std::remove_cvref_t<decltype(out.*D.pointer)>>(seed, depth + 1); });
    return out;
  }
}

const md::Registry& registry() {
  static const md::Registry r = [] {
    auto decoded = md::Registry::from_bytes(composition::metadata_v14_bytes());
    if (!decoded) throw std::runtime_error(decoded.error().what());
    return std::move(decoded).value();
  }();
  return r;
}

/// Static bytes -> metadata JSON -> bytes again; returns the JSON.
json round_trip(uint32_t type, const Bytes& bytes) {
  auto decoded = md::decode_value(registry(), type, bytes);
  INFO("static bytes " << to_hex(bytes));
  if (!decoded) FAIL("decode through the metadata: " << decoded.error().what());
  auto back = md::encode_value(registry(), type, decoded.value());
  INFO("metadata JSON " << decoded.value().dump());
  if (!back) FAIL("encode through the metadata: " << back.error().what());
  CHECK(to_hex(back.value()) == to_hex(bytes));
  return decoded.value();
}

}  // namespace

SCENARIO("every call of every module encodes identically through the metadata", "[metadata][conformance]") {
  GIVEN("the generated metadata") {
    const auto& r = registry();
    auto call_type = r.runtime_call_type();
    REQUIRE(call_type);
    std::size_t checked = 0;
    boost::mp11::mp_for_each<composition::CallModules>([&](auto m) {
      using M = decltype(m);
      using Call = typename M::Call;
      boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Call>>>([&](auto I) {
        using C = std::variant_alternative_t<I, Call>;
        for (int seed = 0; seed < kSeeds; ++seed) {
          INFO(M::kName << "." << C::kName << " sample " << seed);
          Bytes bytes = codec::encode(composition::make_call<M>(sample<C>(seed, 0)));
          round_trip(*call_type, bytes);
          auto decoded = md::decode_call(r, bytes);
          if (!decoded) FAIL("decode_call: " << decoded.error().what());
          CHECK(decoded.value()["module"] == std::string(M::kName));
          CHECK(decoded.value()["call"] == std::string(C::kName));
          auto by_name = md::encode_call(r, M::kName, C::kName, decoded.value()["args"]);
          if (!by_name) FAIL("encode_call: " << by_name.error().what());
          CHECK(to_hex(by_name.value()) == to_hex(bytes));
          ++checked;
        }
      });
    });
    THEN("all calls were covered") { CHECK(checked >= 20 * kSeeds); }
  }
}

SCENARIO("every event of every module decodes identically through the metadata", "[metadata][conformance]") {
  GIVEN("the generated metadata") {
    const auto& r = registry();
    auto event_type = r.runtime_event_type();
    REQUIRE(event_type);
    std::vector<composition::EventRecord> records;
    boost::mp11::mp_for_each<composition::EventModules>([&](auto m) {
      using M = decltype(m);
      using Event = typename M::Event;
      boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Event>>>([&](auto I) {
        using E = std::variant_alternative_t<I, Event>;
        for (int seed = 0; seed < kSeeds; ++seed) {
          INFO(M::kName << "." << E::kName << " sample " << seed);
          composition::RuntimeEvent event{composition::ModuleEvent<M>{Event{sample<E>(seed, 0)}}};
          Bytes bytes = codec::encode(event);
          round_trip(*event_type, bytes);
          codec::Decoder d(bytes);
          auto named = md::decode_event(r, d);
          if (!named) FAIL("decode_event: " << named.error().what());
          CHECK(d.at_end());
          CHECK(named.value()["module"] == std::string(M::kName));
          CHECK(named.value()["event"] == std::string(E::kName));
          records.push_back(composition::EventRecord{sample<decltype(composition::EventRecord::phase)>(seed, 0), event,
                                                     sample<std::vector<H256>>(seed, 0)});
        }
      });
    });
    REQUIRE(records.size() > 20);

    WHEN("the events are stored as System.Events") {
      Bytes value = codec::encode(records);
      auto decoded = md::decode_storage_value(r, "System", "Events", value);
      THEN("the storage item's type decodes every record and re-encodes the same bytes") {
        if (!decoded) FAIL("System.Events: " << decoded.error().what());
        REQUIRE(decoded.value().size() == records.size());
        const auto* system = r.pallet("System").value();
        const auto* events = r.storage(*system, "Events").value();
        uint32_t type = std::get<md::StorageEntryPlain>(events->type).value.value;
        auto back = md::encode_value(r, type, decoded.value());
        if (!back) FAIL("re-encode System.Events: " << back.error().what());
        CHECK(back.value() == value);
      }
    }
  }
}

SCENARIO("a call decoded through the metadata reads as polkadot.js names it", "[metadata][conformance]") {
  const auto& r = registry();
  AccountId32 bob;
  bob.bytes.fill(0x3f);
  Bytes bytes = codec::encode(composition::make_call<modules::credits::Module>(
      modules::credits::TransferKeepAlive{MultiAddressId{bob}, {1'000'000'000'000}}));
  WHEN("Credits.transfer_keep_alive is decoded as the runtime's call enum") {
    json value = round_trip(*r.runtime_call_type(), bytes);
    THEN("module, call and arguments appear by name, with the account as hex and the u128 as a string") {
      CHECK(value == json{{"Credits",
                           {{"transfer_keep_alive", {{"dest", {{"Id", to_hex(bob)}}}, {"value", "1000000000000"}}}}}});
    }
  }
  WHEN("it is built by name from friendly arguments") {
    auto built = md::encode_call(r, "credits", "transferKeepAlive", json::array({to_hex(bob), "1 CC"}));
    REQUIRE(built);
    THEN("the bytes are the static codec's") { CHECK(built.value() == bytes); }
  }
}
