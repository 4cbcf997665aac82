#pragma once
// Box<T>: a heap-allocated value, for recursive types such as a call that
// carries another call (Sudo.sudo(call: Box<RuntimeCall>)). SCALE encodes the
// value itself; nesting depth is bounded by the Decoder.

#include "runtime/codec/scale.hpp"

#include <memory>

namespace bazaar::runtime::codec {

template <class T>
struct Box {
  std::shared_ptr<const T> ptr;

  Box() = default;
  explicit Box(T value) : ptr(std::make_shared<const T>(std::move(value))) {}
  const T& operator*() const { return *ptr; }
  const T* operator->() const { return ptr.get(); }
};

template <class T>
struct Codec<Box<T>> {
  static void encode(Encoder& e, const Box<T>& b) { encode_to(e, *b.ptr); }
  static Result<void> decode(Decoder& d, Box<T>& b) {
    BAZAAR_TRY(d.enter());
    T v{};
    auto r = decode_from(d, v);
    d.leave();
    if (!r) return r;
    b = Box<T>(std::move(v));
    return success();
  }
};

}  // namespace bazaar::runtime::codec
