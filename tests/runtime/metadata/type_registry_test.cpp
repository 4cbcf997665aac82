// The metadata type registry: each TypeDef kind, dedupe and aliases, paths,
// recursion, names, and the hand-written Substrate types and extrinsic section.

#include "runtime/metadata/extrinsic.hpp"
#include "runtime/metadata/substrate_types.hpp"
#include "runtime/metadata/type_registry.hpp"

#include <catch2/catch.hpp>


namespace bazaar::runtime::metadata::test {

struct Point {
  uint32_t x = 0;
  int64_t y_ = 0;
};
BOOST_DESCRIBE_STRUCT(Point, (), (x, y_))

enum class Colour : uint8_t { Red = 0, Green = 2 };
BOOST_DESCRIBE_ENUM(Colour, Red, Green)
std::string_view metadata_docs(Colour c) { return c == Colour::Green ? "The colour of grass." : ""; }

struct Ping {
  static constexpr uint8_t kIndex = 5;
  static constexpr std::string_view kName = "ping";
  static constexpr std::string_view kDocs = "Ping it.";
  uint32_t n = 0;
};
struct Pong {
  static constexpr uint8_t kIndex = 9;
  Bytes data;
  bool loud = false;
};
BOOST_DESCRIBE_STRUCT(Ping, (), (n))
BOOST_DESCRIBE_STRUCT(Pong, (), (data, loud))
using Message = std::variant<Ping, Pong>;

struct Tree {
  uint32_t value = 0;
  std::vector<codec::Box<Tree>> children;
};
BOOST_DESCRIBE_STRUCT(Tree, (), (value, children))

struct Renamed {
  bool flag = false;
};
BOOST_DESCRIBE_STRUCT(Renamed, (), (flag))

struct OtherTag {};

}  // namespace bazaar::runtime::metadata::test

template <>
struct bazaar::runtime::metadata::TypePath<bazaar::runtime::metadata::test::Renamed> {
  static std::vector<std::string> path() { return {"my_crate", "Flag"}; }
};

namespace bazaar::runtime::metadata {
namespace {

using Strings = std::vector<std::string>;

template <class Def>
const Def& def_of(const TypeRegistry& r, TypeId id) {
  const auto* d = std::get_if<Def>(&r.type(id.value).def);
  REQUIRE(d != nullptr);
  return *d;
}

const Variant& variant_named(const TypeDefVariant& v, const std::string& name) {
  for (const auto& x : v.variants) {
    if (x.name == name) return x;
  }
  FAIL("no variant " << name);
  throw std::logic_error("unreachable");
}

SCENARIO("primitives, compacts, sequences, arrays and tuples describe what the codec encodes") {
  GIVEN("an empty registry") {
    TypeRegistry r;
    WHEN("integers, bool and strings are registered") {
      THEN("each is a Primitive of the right width") {
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<bool>()).primitive == Primitive::Bool);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<uint8_t>()).primitive == Primitive::U8);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<uint16_t>()).primitive == Primitive::U16);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<uint32_t>()).primitive == Primitive::U32);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<uint64_t>()).primitive == Primitive::U64);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<u128>()).primitive == Primitive::U128);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<int8_t>()).primitive == Primitive::I8);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<int64_t>()).primitive == Primitive::I64);
        CHECK(def_of<TypeDefPrimitive>(r, r.id_of<std::string>()).primitive == Primitive::Str);
      }
    }
    WHEN("containers are registered") {
      const TypeId compact = r.id_of<Compact<uint64_t>>();
      const TypeId vec = r.id_of<std::vector<uint16_t>>();
      const TypeId arr = r.id_of<std::array<uint8_t, 7>>();
      const TypeId tup = r.id_of<std::tuple<uint32_t, bool>>();
      const TypeId unit = r.id_of<std::tuple<>>();
      THEN("they point at their element types") {
        CHECK(def_of<TypeDefCompact>(r, compact).type == r.id_of<uint64_t>());
        CHECK(def_of<TypeDefSequence>(r, vec).type == r.id_of<uint16_t>());
        CHECK(def_of<TypeDefArray>(r, arr).len == 7);
        CHECK(def_of<TypeDefArray>(r, arr).type == r.id_of<uint8_t>());
        CHECK(def_of<TypeDefTuple>(r, tup).fields == std::vector<TypeId>{r.id_of<uint32_t>(), r.id_of<bool>()});
        CHECK(def_of<TypeDefTuple>(r, unit).fields.empty());
      }
      THEN("their display names are Rust's") {
        CHECK(r.display_name(compact.value) == "Compact<u64>");
        CHECK(r.display_name(vec.value) == "Vec<u16>");
        CHECK(r.display_name(arr.value) == "[u8; 7]");
        CHECK(r.display_name(tup.value) == "(u32, bool)");
        CHECK(r.display_name(unit.value) == "()");
      }
    }
  }
}

SCENARIO("a type is registered once, and aliases share their target's id") {
  GIVEN("a registry holding Vec<u8>") {
    TypeRegistry r;
    const TypeId bytes = r.id_of<Bytes>();
    const auto size = r.size();
    WHEN("the same and equivalent types are registered again") {
      THEN("no new type appears and the ids agree") {
        CHECK(r.id_of<std::vector<uint8_t>>() == bytes);
        CHECK(r.id_of<codec::BoundedVec<uint8_t, 16>>() == bytes);
        CHECK(r.size() == size);
        CHECK(r.id_of<FixedBytes<8, test::OtherTag>>() == r.id_of<std::array<uint8_t, 8>>());
        CHECK(r.id_of<std::pair<uint8_t, bool>>() == r.id_of<std::tuple<uint8_t, bool>>());
        CHECK(r.id_of<std::monostate>() == r.id_of<std::tuple<>>());
        CHECK(r.id_of<codec::Box<uint32_t>>() == r.id_of<uint32_t>());
      }
    }
    WHEN("the registry is listed") {
      r.id_of<std::tuple<uint64_t, Bytes>>();
      const auto types = r.types();
      THEN("each type's id is its position, and the list round-trips through SCALE") {
        for (std::size_t i = 0; i < types.size(); ++i) CHECK(types[i].id.value == i);
        const auto encoded = codec::encode(types);
        auto decoded = codec::decode<std::vector<PortableType>>(encoded);
        REQUIRE(decoded);
        CHECK(codec::encode(decoded.value()) == encoded);
      }
    }
  }
}

SCENARIO("Option and Result are the generic Variants Substrate uses") {
  GIVEN("a registry") {
    TypeRegistry r;
    WHEN("Option<u32> and Result<(), bool> are registered") {
      const TypeId opt = r.id_of<std::optional<uint32_t>>();
      const TypeId res = r.id_of<codec::ScaleResult<std::monostate, bool>>();
      THEN("Option is None 0 / Some(T) 1 with path Option and param T") {
        const Type& t = r.type(opt.value);
        CHECK(t.path == Strings{"Option"});
        REQUIRE(t.params.size() == 1);
        CHECK(t.params[0].name == "T");
        CHECK(t.params[0].type == r.id_of<uint32_t>());
        const auto& v = def_of<TypeDefVariant>(r, opt);
        CHECK(variant_named(v, "None").index == 0);
        CHECK(variant_named(v, "None").fields.empty());
        CHECK(variant_named(v, "Some").index == 1);
        CHECK(variant_named(v, "Some").fields.at(0).type == r.id_of<uint32_t>());
        CHECK(r.display_name(opt.value) == "Option<u32>");
      }
      THEN("Result is Ok(T) 0 / Err(E) 1 with path Result and params T, E") {
        const Type& t = r.type(res.value);
        CHECK(t.path == Strings{"Result"});
        REQUIRE(t.params.size() == 2);
        CHECK(t.params[0].type == r.id_of<std::tuple<>>());
        CHECK(t.params[1].type == r.id_of<bool>());
        const auto& v = def_of<TypeDefVariant>(r, res);
        CHECK(variant_named(v, "Ok").index == 0);
        CHECK(variant_named(v, "Err").index == 1);
        CHECK(variant_named(v, "Err").fields.at(0).type == r.id_of<bool>());
      }
    }
  }
}

SCENARIO("described structs, enums and variants carry their names, indices, paths and docs") {
  GIVEN("a registry") {
    TypeRegistry r;
    WHEN("a described struct is registered") {
      const TypeId id = r.id_of<test::Point>();
      const auto types = r.types();
      THEN("it is a Composite at its C++ namespaces with named fields, trailing '_' dropped") {
        const Type& t = types.at(id.value).type;
        CHECK(t.path == Strings{"bazaar", "runtime", "metadata", "test", "Point"});
        const auto& c = std::get<TypeDefComposite>(t.def);
        REQUIRE(c.fields.size() == 2);
        CHECK(c.fields[0].name == "x");
        CHECK(c.fields[0].type == r.id_of<uint32_t>());
        CHECK(c.fields[0].type_name == "u32");
        CHECK(c.fields[1].name == "y");
        CHECK(c.fields[1].type_name == "i64");
      }
    }
    WHEN("a struct with a declared path is registered") {
      const TypeId id = r.id_of<test::Renamed>();
      THEN("the declared path wins") { CHECK(r.type(id.value).path == Strings{"my_crate", "Flag"}); }
    }
    WHEN("a described enum is registered") {
      const TypeId id = r.id_of<test::Colour>();
      THEN("it is a Variant without fields, index = enumerator value, docs from metadata_docs") {
        const auto& v = def_of<TypeDefVariant>(r, id);
        REQUIRE(v.variants.size() == 2);
        CHECK(variant_named(v, "Red").index == 0);
        CHECK(variant_named(v, "Red").docs.empty());
        CHECK(variant_named(v, "Green").index == 2);
        CHECK(variant_named(v, "Green").docs == Strings{"The colour of grass."});
        CHECK(variant_named(v, "Green").fields.empty());
      }
    }
    WHEN("a variant of kIndex structs is registered") {
      const TypeId id = r.id_of<test::Message>();
      THEN("names come from kName or the struct's name, indices from kIndex, docs from kDocs") {
        const auto& v = def_of<TypeDefVariant>(r, id);
        const auto& ping = variant_named(v, "ping");
        CHECK(ping.index == 5);
        CHECK(ping.docs == Strings{"Ping it."});
        REQUIRE(ping.fields.size() == 1);
        CHECK(ping.fields[0].name == "n");
        const auto& pong = variant_named(v, "Pong");
        CHECK(pong.index == 9);
        CHECK(pong.docs.empty());
        REQUIRE(pong.fields.size() == 2);
        CHECK(pong.fields[0].type == r.id_of<Bytes>());
        CHECK(pong.fields[1].name == "loud");
      }
    }
    WHEN("a recursive struct is registered") {
      const TypeId id = r.id_of<test::Tree>();
      THEN("its children's element type is the struct itself") {
        const auto& c = def_of<TypeDefComposite>(r, id);
        REQUIRE(c.fields.size() == 2);
        CHECK(def_of<TypeDefSequence>(r, c.fields[1].type).type == id);
      }
    }
  }
}

SCENARIO("paths are derived from C++ names") {
  CHECK(path_from_cpp_name("bazaar::modules::credits::Module") == Strings{"bazaar", "modules", "credits", "Module"});
  CHECK(path_from_cpp_name("a::b::Y<a::b::X, std::pair<int, int> >") == Strings{"a", "b", "Y"});
  CHECK(path_from_cpp_name("(anonymous namespace)::Foo") == Strings{"Foo"});
  CHECK(short_cpp_name("a::b::c::Z") == "Z");
  CHECK(split_path("sp_core::crypto::AccountId32") == Strings{"sp_core", "crypto", "AccountId32"});
  CHECK(field_name("new_") == "new");
  CHECK(field_name("class_") == "class");
  CHECK(field_name("value") == "value");
}

SCENARIO("the Substrate types have the paths and shapes polkadot.js relies on") {
  GIVEN("a registry") {
    TypeRegistry r;
    WHEN("AccountId32, H256 and Weight are registered") {
      const TypeId account = r.id_of<AccountId32>();
      const TypeId hash = r.id_of<H256>();
      const TypeId weight = r.id_of<Weight>();
      THEN("they are Substrate's composites") {
        CHECK(r.type(account.value).path == Strings{"sp_core", "crypto", "AccountId32"});
        CHECK(def_of<TypeDefComposite>(r, account).fields.at(0).type == r.id_of<std::array<uint8_t, 32>>());
        CHECK(r.type(hash.value).path == Strings{"primitive_types", "H256"});
        CHECK(r.type(weight.value).path == Strings{"sp_weights", "weight_v2", "Weight"});
        const auto& w = def_of<TypeDefComposite>(r, weight);
        REQUIRE(w.fields.size() == 2);
        CHECK(w.fields[0].name == "ref_time");
        CHECK(w.fields[0].type == r.id_of<Compact<uint64_t>>());
        CHECK(w.fields[1].name == "proof_size");
      }
    }
    WHEN("MultiAddress and MultiSignature are registered") {
      const TypeId address = r.id_of<MultiAddress>();
      const TypeId signature = r.id_of<MultiSignature>();
      THEN("MultiAddress has Substrate's path, params and variants") {
        const Type& t = r.type(address.value);
        CHECK(t.path == Strings{"sp_runtime", "multiaddress", "MultiAddress"});
        REQUIRE(t.params.size() == 2);
        CHECK(t.params[0].name == "AccountId");
        CHECK(t.params[0].type == r.id_of<AccountId32>());
        CHECK(t.params[1].name == "AccountIndex");
        const auto& v = def_of<TypeDefVariant>(r, address);
        CHECK(variant_named(v, "Id").index == 0);
        CHECK(variant_named(v, "Id").fields.at(0).type == r.id_of<AccountId32>());
        CHECK(variant_named(v, "Index").fields.at(0).type == r.id_of<Compact<uint32_t>>());
        CHECK(variant_named(v, "Raw").index == 2);
        CHECK(variant_named(v, "Address32").index == 3);
        CHECK(variant_named(v, "Address20").index == 4);
      }
      THEN("MultiSignature is Ed25519 0 / Sr25519 1 / Ecdsa([u8; 65]) 2") {
        CHECK(r.type(signature.value).path == Strings{"sp_runtime", "MultiSignature"});
        const auto& v = def_of<TypeDefVariant>(r, signature);
        CHECK(variant_named(v, "Ed25519").index == 0);
        CHECK(variant_named(v, "Sr25519").index == 1);
        CHECK(variant_named(v, "Ecdsa").index == 2);
        CHECK(variant_named(v, "Ecdsa").fields.at(0).type == r.id_of<std::array<uint8_t, 65>>());
      }
    }
    WHEN("Era is registered") {
      const TypeId era = r.id_of<Era>();
      THEN("it is Immortal plus Mortal1..Mortal255, each mortal one u8") {
        CHECK(r.type(era.value).path == Strings{"sp_runtime", "generic", "era", "Era"});
        const auto& v = def_of<TypeDefVariant>(r, era);
        REQUIRE(v.variants.size() == 256);
        CHECK(variant_named(v, "Immortal").fields.empty());
        CHECK(variant_named(v, "Mortal1").index == 1);
        CHECK(variant_named(v, "Mortal255").index == 255);
        CHECK(variant_named(v, "Mortal9").fields.at(0).type == r.id_of<uint8_t>());
      }
    }
    WHEN("DispatchError, DispatchInfo and Phase are registered") {
      const TypeId error = r.id_of<framework::DispatchError>();
      const TypeId info = r.id_of<framework::DispatchInfo>();
      const TypeId phase = r.id_of<framework::Phase>();
      THEN("DispatchError's Module variant carries one sp_runtime::ModuleError") {
        CHECK(r.type(error.value).path == Strings{"sp_runtime", "DispatchError"});
        const auto& v = def_of<TypeDefVariant>(r, error);
        CHECK(v.variants.size() == std::variant_size_v<framework::DispatchError::Variant>);
        const auto& module = variant_named(v, "Module");
        CHECK(module.index == 3);
        REQUIRE(module.fields.size() == 1);
        CHECK_FALSE(module.fields[0].name.has_value());
        CHECK(r.type(module.fields[0].type.value).path == Strings{"sp_runtime", "ModuleError"});
        const auto& token = variant_named(v, "Token");
        CHECK(token.index == 7);
        CHECK(r.type(token.fields.at(0).type.value).path == Strings{"sp_runtime", "TokenError"});
        CHECK(variant_named(v, "BadOrigin").fields.empty());
      }
      THEN("DispatchInfo is frame_support's with fields weight, class, pays_fee") {
        CHECK(r.type(info.value).path == Strings{"frame_support", "dispatch", "DispatchInfo"});
        const auto& c = def_of<TypeDefComposite>(r, info);
        REQUIRE(c.fields.size() == 3);
        CHECK(c.fields[0].name == "weight");
        CHECK(c.fields[1].name == "class");
        CHECK(r.type(c.fields[1].type.value).path == Strings{"frame_support", "dispatch", "DispatchClass"});
        CHECK(c.fields[2].name == "pays_fee");
      }
      THEN("Phase is ApplyExtrinsic(u32) 0 / Finalization 1 / Initialization 2 with an unnamed field") {
        CHECK(r.type(phase.value).path == Strings{"frame_system", "Phase"});
        const auto& v = def_of<TypeDefVariant>(r, phase);
        const auto& apply = variant_named(v, "ApplyExtrinsic");
        CHECK(apply.index == 0);
        REQUIRE(apply.fields.size() == 1);
        CHECK_FALSE(apply.fields[0].name.has_value());
        CHECK(apply.fields[0].type == r.id_of<uint32_t>());
        CHECK(variant_named(v, "Initialization").index == 2);
      }
    }
  }
}

SCENARIO("the extrinsic section lists our signed extensions in encoding order") {
  GIVEN("a registry and a call type") {
    TypeRegistry r;
    const Extrinsic x = extrinsic_metadata<test::Message>(r);
    THEN("the UncheckedExtrinsic type has Substrate's path and its four params") {
      CHECK(x.version == 4);
      const Type& t = r.type(x.type.value);
      CHECK(t.path == Strings{"sp_runtime", "generic", "unchecked_extrinsic", "UncheckedExtrinsic"});
      REQUIRE(t.params.size() == 4);
      CHECK(t.params[0].name == "Address");
      CHECK(t.params[0].type == r.id_of<MultiAddress>());
      CHECK(t.params[1].name == "Call");
      CHECK(t.params[1].type == r.id_of<test::Message>());
      CHECK(t.params[2].name == "Signature");
      CHECK(t.params[2].type == r.id_of<MultiSignature>());
      CHECK(t.params[3].name == "Extra");
      CHECK(def_of<TypeDefTuple>(r, *t.params[3].type).fields.size() == 8);
      CHECK(def_of<TypeDefComposite>(r, x.type).fields.at(0).type == r.id_of<Bytes>());
    }
    THEN("extras and additional-signed types match SignedExtra and AdditionalSigned") {
      std::vector<std::string> names;
      for (const auto& e : x.signed_extensions) names.push_back(e.identifier);
      CHECK(names == Strings{"CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis",
                             "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment"});
      const TypeId unit = r.id_of<std::tuple<>>();
      const auto extra_field = [&](std::size_t i) -> std::optional<TypeId> {
        const auto& fields = def_of<TypeDefComposite>(r, x.signed_extensions.at(i).type).fields;
        if (fields.empty()) return std::nullopt;
        return fields.at(0).type;
      };
      CHECK_FALSE(extra_field(0));
      CHECK(x.signed_extensions[0].additional_signed == unit);
      CHECK(x.signed_extensions[1].additional_signed == r.id_of<uint32_t>());
      CHECK(x.signed_extensions[2].additional_signed == r.id_of<uint32_t>());
      CHECK(x.signed_extensions[3].additional_signed == r.id_of<H256>());
      CHECK(extra_field(4) == r.id_of<Era>());
      CHECK(x.signed_extensions[4].additional_signed == r.id_of<H256>());
      CHECK(extra_field(5) == r.id_of<Compact<uint32_t>>());
      CHECK(x.signed_extensions[5].additional_signed == unit);
      CHECK_FALSE(extra_field(6));
      CHECK(extra_field(7) == r.id_of<Compact<u128>>());
      CHECK(r.type(x.signed_extensions[7].type.value).path ==
            Strings{"pallet_transaction_payment", "ChargeTransactionPayment"});
    }
  }
}

}  // namespace
}  // namespace bazaar::runtime::metadata
