#include "node/network/frame.hpp"

namespace bazaar::node::network {

Bytes encode_frame(const Frame& frame) {
  const std::size_t body = 2 + frame.payload.size();
  Bytes out;
  out.reserve(kFrameHeaderSize + body);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(body >> (8 * i)));
  out.push_back(frame.protocol);
  out.push_back(frame.version);
  out.insert(out.end(), frame.payload.begin(), frame.payload.end());
  return out;
}

Result<std::size_t> frame_body_length(const std::array<uint8_t, kFrameHeaderSize>& header, std::size_t max_size) {
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len |= static_cast<uint32_t>(header[i]) << (8 * i);
  if (len > max_size) return NetworkError::FrameTooLarge;
  if (len < 2) return NetworkError::Undecodable;
  return static_cast<std::size_t>(len);
}

Result<Frame> decode_frame_body(ByteSpan body) {
  if (body.size() < 2) return NetworkError::Undecodable;
  Frame f;
  f.protocol = body[0];
  f.version = body[1];
  f.payload.assign(body.begin() + 2, body.end());
  return f;
}

Result<std::optional<Frame>> FrameReader::next() {
  if (m_buffer.size() < kFrameHeaderSize) return std::optional<Frame>{};
  std::array<uint8_t, kFrameHeaderSize> header{};
  std::copy_n(m_buffer.begin(), kFrameHeaderSize, header.begin());
  BAZAAR_TRY(auto len, frame_body_length(header, m_max));
  if (m_buffer.size() < kFrameHeaderSize + len) return std::optional<Frame>{};
  BAZAAR_TRY(auto frame, decode_frame_body(ByteSpan(m_buffer).subspan(kFrameHeaderSize, len)));
  m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(kFrameHeaderSize + len));
  return std::optional<Frame>(std::move(frame));
}

}  // namespace bazaar::node::network
