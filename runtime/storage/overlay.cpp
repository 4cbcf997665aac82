#include "runtime/storage/overlay.hpp"

#include "runtime/codec/scale.hpp"

#include <xxhash.h>

#include <cassert>
#include <random>

namespace bazaar::runtime::storage {

std::size_t KeyHash::operator()(ByteSpan key) const noexcept {
  static const XXH64_hash_t kSeed = (XXH64_hash_t{std::random_device{}()} << 32) ^ std::random_device{}();
  return static_cast<std::size_t>(XXH3_64bits_withSeed(key.data(), key.size(), kSeed));
}

std::optional<Bytes>* Overlay::Layer::find(ByteSpan key) const {
  auto it = index.find(key);
  return it == index.end() ? nullptr : it->second;
}

std::optional<Bytes>& Overlay::Layer::slot(ByteSpan key) {
  if (auto* value = find(key)) return *value;
  auto it = changes.try_emplace(Bytes(key.begin(), key.end())).first;
  index.emplace(ByteSpan(it->first), &it->second);
  return it->second;
}

void Overlay::Layer::adopt(ChangeSet::node_type node) {
  auto it = changes.insert(std::move(node)).position;
  index.emplace(ByteSpan(it->first), &it->second);
}

Overlay::Overlay(const StorageReader& base) : m_base(base), m_layers(1), m_undo(1) {}

const std::optional<Bytes>* Overlay::find(ByteSpan key) const {
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
    if (auto* value = it->find(key)) return value;
  }
  return nullptr;
}

std::optional<Bytes> Overlay::get(ByteSpan key) const {
  if (auto* v = find(key)) return *v;
  return m_base.get(key);
}

std::optional<Bytes> Overlay::next_key(ByteSpan key) const {
  Bytes cursor(key.begin(), key.end());
  for (;;) {
    std::optional<Bytes> candidate = m_base.next_key(cursor);
    for (const auto& layer : m_layers) {
      auto it = layer.changes.upper_bound(cursor);
      if (it != layer.changes.end() && (!candidate || it->first < *candidate)) candidate = it->first;
    }
    if (!candidate) return std::nullopt;
    if (get(*candidate)) return candidate;
    cursor = std::move(*candidate);  // deleted in the overlay: skip it
  }
}

void Overlay::put(ByteSpan key, std::optional<Bytes> value) { m_layers.back().slot(key) = std::move(value); }

void Overlay::set(ByteSpan key, Bytes value) { put(key, std::move(value)); }

void Overlay::clear(ByteSpan key) { put(key, std::nullopt); }

std::size_t Overlay::clear_prefix(ByteSpan prefix) {
  std::vector<Bytes> keys;
  Bytes p(prefix.begin(), prefix.end());
  if (get(p)) keys.push_back(p);
  for (auto k = next_key(p); k && k->size() >= p.size() && std::equal(p.begin(), p.end(), k->begin());
       k = next_key(*k))
    keys.push_back(*k);
  for (const auto& k : keys) clear(k);
  return keys.size();
}

namespace {

/// The item count and the length of the compact prefix of a SCALE vector.
std::optional<std::pair<uint64_t, std::size_t>> vector_header(const Bytes& value) {
  codec::Decoder d(value);
  auto n = codec::decode_length(d);
  if (!n) return std::nullopt;
  return std::pair<uint64_t, std::size_t>{n.value(), value.size() - d.rest().size()};
}

/// `value` (a SCALE vector with a `prefix`-byte length) with count `count` and
/// `items_bytes` bytes of items (a prefix of its current items).
void rewrite_vector(Bytes& value, std::size_t prefix, uint64_t count, std::size_t items_bytes) {
  codec::Encoder e;
  codec::encode_compact(e, count);
  const Bytes& head = e.bytes();
  if (head.size() == prefix) {
    std::copy(head.begin(), head.end(), value.begin());
    value.resize(prefix + items_bytes);
    return;
  }
  Bytes out(head.begin(), head.end());
  out.insert(out.end(), value.begin() + static_cast<std::ptrdiff_t>(prefix),
             value.begin() + static_cast<std::ptrdiff_t>(prefix + items_bytes));
  value = std::move(out);
}

}  // namespace

void Overlay::append(ByteSpan key, ByteSpan encoded_item) {
  const std::size_t top = m_layers.size() - 1;
  // The topmost layer that holds the key: its vector is extended in place.
  std::optional<Bytes>* value = nullptr;
  std::size_t holder = top;
  for (std::size_t i = m_layers.size(); i-- > 0;) {
    if (auto* found = m_layers[i].find(key)) {
      value = found;
      holder = i;
      break;
    }
  }
  auto header = value && *value ? vector_header(**value) : std::nullopt;
  if (holder != top && !header) {
    value = &m_layers[top].slot(key);  // a deleted or malformed value below: a fresh vector in this layer
    holder = top;
  } else if (!value) {
    auto current = m_base.get(key);
    value = &m_layers[top].slot(key);
    *value = current ? std::move(current) : std::nullopt;
    header = *value ? vector_header(**value) : std::nullopt;
  }
  if (!*value || !header) {
    *value = Bytes{0};  // compact(0): the empty vector
    header = std::pair<uint64_t, std::size_t>{0, 1};
  }
  auto [count, prefix] = *header;
  Bytes& bytes = **value;
  if (holder != top) m_undo[top].try_emplace(Bytes(key.begin(), key.end()), AppendUndo{count, bytes.size() - prefix});
  const std::size_t items_bytes = bytes.size() - prefix;
  rewrite_vector(bytes, prefix, count + 1, items_bytes);
  bytes.insert(bytes.end(), encoded_item.begin(), encoded_item.end());
}

void Overlay::start_transaction() {
  m_layers.emplace_back();
  m_undo.emplace_back();
}

void Overlay::commit_transaction() {
  assert(depth() > 0);
  Layer top = std::move(m_layers.back());
  auto undo = std::move(m_undo.back());
  m_layers.pop_back();
  m_undo.pop_back();
  // An in-place append into the layer below itself needs no undo any more;
  // one into a layer further down is the layer below's to undo now.
  for (auto& [k, u] : undo)
    if (!m_layers.back().find(k)) m_undo.back().try_emplace(k, u);
  // New keys move over as nodes (no copy); keys the layer below holds take the new value.
  auto& below = m_layers.back();
  for (auto it = top.changes.begin(); it != top.changes.end();) {
    if (auto* value = below.find(it->first)) {
      *value = std::move(it->second);
      ++it;
    } else {
      below.adopt(top.changes.extract(it++));
    }
  }
}

void Overlay::rollback_transaction() {
  assert(depth() > 0);
  auto undo = std::move(m_undo.back());
  m_layers.pop_back();
  m_undo.pop_back();
  for (const auto& [k, u] : undo) {
    for (std::size_t i = m_layers.size(); i-- > 0;) {
      auto* value = m_layers[i].find(k);
      if (!value) continue;
      auto header = vector_header(**value);  // present and valid: appends extended it in place
      assert(header);
      rewrite_vector(**value, header->second, u.count, u.items_bytes);
      break;
    }
  }
}

const ChangeSet& Overlay::changes() const {
  assert(depth() == 0);
  return m_layers.front().changes;
}

ChangeSet Overlay::take_changes() {
  assert(depth() == 0);
  ChangeSet out = std::move(m_layers.front().changes);
  m_layers.front() = Layer();
  return out;
}

}  // namespace bazaar::runtime::storage
