#include "runtime/storage/overlay.hpp"

#include "runtime/codec/scale.hpp"

#include <cassert>

namespace bazaar::runtime::storage {

Overlay::Overlay(const StorageReader& base) : m_base(base), m_layers(1) {}

const std::optional<Bytes>* Overlay::find(ByteSpan key) const {
  Bytes k(key.begin(), key.end());
  for (auto it = m_layers.rbegin(); it != m_layers.rend(); ++it) {
    auto f = it->find(k);
    if (f != it->end()) return &f->second;
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
      auto it = layer.upper_bound(cursor);
      if (it != layer.end() && (!candidate || it->first < *candidate)) candidate = it->first;
    }
    if (!candidate) return std::nullopt;
    if (get(*candidate)) return candidate;
    cursor = std::move(*candidate);  // deleted in the overlay: skip it
  }
}

void Overlay::set(ByteSpan key, Bytes value) {
  m_layers.back()[Bytes(key.begin(), key.end())] = std::move(value);
}

void Overlay::clear(ByteSpan key) { m_layers.back()[Bytes(key.begin(), key.end())] = std::nullopt; }

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

void Overlay::append(ByteSpan key, ByteSpan encoded_item) {
  std::size_t count = 0;
  ByteSpan items;
  auto current = get(key);
  if (current) {
    codec::Decoder d(*current);
    if (auto n = codec::decode_length(d)) {
      count = n.value();
      items = d.rest();
    }
  }
  codec::Encoder e;
  codec::encode_compact(e, count + 1);
  e.write(items);
  e.write(encoded_item);
  set(key, e.take());
}

void Overlay::start_transaction() { m_layers.emplace_back(); }

void Overlay::commit_transaction() {
  assert(depth() > 0);
  ChangeSet top = std::move(m_layers.back());
  m_layers.pop_back();
  for (auto& [k, v] : top) m_layers.back()[k] = std::move(v);
}

void Overlay::rollback_transaction() {
  assert(depth() > 0);
  m_layers.pop_back();
}

const ChangeSet& Overlay::changes() const {
  assert(depth() == 0);
  return m_layers.front();
}

ChangeSet Overlay::take_changes() {
  assert(depth() == 0);
  ChangeSet out = std::move(m_layers.front());
  m_layers.front().clear();
  return out;
}

}  // namespace bazaar::runtime::storage
