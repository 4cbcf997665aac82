#pragma once
// The composite SCALE types of fuzz_scale_struct (shared with the corpus
// generator): described structs nesting options, variants with explicit
// indices, ScaleResult, a described enum, bounded vectors, fixed arrays,
// tuples, and a recursive type through Box whose depth the Decoder bounds.

#include "runtime/codec/box.hpp"
#include "runtime/codec/scale.hpp"

#include <boost/describe.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace bazaar::fuzz::scale_struct {

using runtime::Bytes;
using runtime::H256;
using runtime::u128;
using runtime::codec::BoundedVec;
using runtime::codec::Box;
using runtime::codec::Compact;
using runtime::codec::ScaleResult;

enum class Kind : uint8_t { Small = 0, Large = 1, Huge = 9 };
BOOST_DESCRIBE_ENUM(Kind, Small, Large, Huge)

struct Inner {
  Compact<uint32_t> id;
  std::optional<std::string> label;
  bool flag = false;
  Kind kind = Kind::Small;
};
BOOST_DESCRIBE_STRUCT(Inner, (), (id, label, flag, kind))

struct Empty {
  static constexpr uint8_t kIndex = 0;
};
struct WithItems {
  static constexpr uint8_t kIndex = 3;
  uint16_t count = 0;
  std::vector<Inner> items;
};
struct WithBounded {
  static constexpr uint8_t kIndex = 7;
  BoundedVec<uint8_t, 8> small;
  std::optional<std::optional<bool>> maybe_maybe;
};
BOOST_DESCRIBE_STRUCT(Empty, (), ())
BOOST_DESCRIBE_STRUCT(WithItems, (), (count, items))
BOOST_DESCRIBE_STRUCT(WithBounded, (), (small, maybe_maybe))
using Choice = std::variant<Empty, WithItems, WithBounded>;

/// A recursive value: each level may hold a boxed child.
struct Tree {
  Compact<u128> weight;
  std::vector<Choice> tags;
  std::optional<Box<Tree>> child;
};
BOOST_DESCRIBE_STRUCT(Tree, (), (weight, tags, child))

struct Outer {
  uint8_t version = 0;
  Choice choice;
  std::optional<Inner> maybe;
  std::tuple<u128, Compact<uint64_t>> pair;
  std::array<uint8_t, 3> fixed{};
  H256 hash;
  ScaleResult<uint32_t, std::string> result;
  std::vector<std::optional<Choice>> list;
  Tree tree;
};
BOOST_DESCRIBE_STRUCT(Outer, (), (version, choice, maybe, pair, fixed, hash, result, list, tree))

/// Levels of a tree (1 for a tree without child).
inline std::size_t tree_depth(const Tree& t) {
  std::size_t depth = 1;
  for (const Tree* p = &t; p->child; p = p->child->ptr.get()) ++depth;
  return depth;
}

}  // namespace bazaar::fuzz::scale_struct
