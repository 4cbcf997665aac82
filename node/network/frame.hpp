#pragma once
// Framing of every message on a connection:
//
//   length: u32 little-endian = number of bytes that follow
//   body:   protocol (u8) ++ version (u8) ++ payload (SCALE of the message)
//
// i.e. the SCALE value {protocol_id: u8, version: u8, payload} with the
// payload running to the end of the frame (the length already bounds it).
// The receiver checks the length against its maximum message size BEFORE
// allocating the body, so a peer cannot make it reserve gigabytes.

#include "node/network/messages.hpp"

#include <array>
#include <cstddef>

namespace bazaar::node::network {

inline constexpr std::size_t kFrameHeaderSize = 4;
/// The default maximum frame body size (16 MiB).
inline constexpr std::size_t kDefaultMaxFrameSize = 16 * 1024 * 1024;

struct Frame {
  uint8_t protocol = 0;
  uint8_t version = kProtocolVersion;
  Bytes payload;
};

/// Length prefix ++ body of `frame`.
Bytes encode_frame(const Frame& frame);

/// Frame of message `msg` of protocol `p` at the current version.
template <class Message>
Bytes encode_message(Protocol p, const Message& msg) {
  return encode_frame({static_cast<uint8_t>(p), kProtocolVersion, runtime::codec::encode(msg)});
}

/// The body length announced by a 4-byte header. Errors: FrameTooLarge
/// (> max_size), Undecodable (shorter than protocol + version).
Result<std::size_t> frame_body_length(const std::array<uint8_t, kFrameHeaderSize>& header, std::size_t max_size);

/// Splits a frame body into protocol, version and payload. Errors: Undecodable.
Result<Frame> decode_frame_body(ByteSpan body);

/// Decodes a payload as `Message`, the whole payload (NetworkError::Undecodable otherwise).
template <class Message>
Result<Message> decode_message(ByteSpan payload);

/// Splits a byte stream into frames (for clients that read in chunks, e.g.
/// test clients; connections read header and body with exact reads).
class FrameReader {
 public:
  explicit FrameReader(std::size_t max_size = kDefaultMaxFrameSize) : m_max(max_size) {}
  /// Appends received bytes.
  void feed(ByteSpan data) { m_buffer.insert(m_buffer.end(), data.begin(), data.end()); }
  /// The next complete frame, nullopt if more bytes are needed. Errors:
  /// FrameTooLarge, Undecodable (the stream cannot continue after an error).
  Result<std::optional<Frame>> next();

 private:
  std::size_t m_max;
  Bytes m_buffer;
};

}  // namespace bazaar::node::network

#include "node/network/error.hpp"

namespace bazaar::node::network {

template <class Message>
Result<Message> decode_message(ByteSpan payload) {
  auto r = runtime::codec::decode<Message>(payload);
  if (!r) return NetworkError::Undecodable;
  return std::move(r).value();
}

}  // namespace bazaar::node::network
