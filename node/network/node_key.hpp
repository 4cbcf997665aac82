#pragma once
// The node key: a persistent secp256k1 key pair whose public key names the
// node on the network (peer_id.hpp) and signs the handshake.
//
// File format: the 32-byte secret as 64 hex digits (optionally "0x"-prefixed,
// surrounding whitespace ignored); a file of exactly 32 raw bytes is accepted
// too. A generated file is written with permissions 0600 (owner read/write),
// its directory created if missing.

#include "runtime/crypto/ecdsa.hpp"

#include <filesystem>
#include <string_view>

namespace bazaar::node::network {

using runtime::Bytes;
using runtime::ByteSpan;

/// Where the node key lives by default under a node's base path.
std::filesystem::path default_node_key_path(const std::filesystem::path& base_path);

/// The key from its secret as text (`--node-key`): 64 hex digits, optionally
/// "0x"-prefixed, surrounding whitespace ignored. Errors: InvalidNodeKey (not
/// 64 hex digits, or not a valid secret: zero or not below the curve order).
Result<runtime::crypto::Keypair> parse_node_key(std::string_view text);

/// Reads the key at `path`. Errors: NodeKeyIo (missing or unreadable),
/// InvalidNodeKey (bad hex, wrong length, not a valid secret).
Result<runtime::crypto::Keypair> load_node_key(const std::filesystem::path& path);

/// Reads the key at `path`, or generates a fresh one and writes it there
/// (mode 0600) if the file does not exist. Errors: those of load_node_key,
/// NodeKeyIo when the file cannot be created.
Result<runtime::crypto::Keypair> load_or_generate_node_key(const std::filesystem::path& path);

/// Writes `key`'s secret to `path` in the format above, mode 0600, replacing
/// any existing file. Errors: NodeKeyIo.
Result<void> write_node_key(const std::filesystem::path& path, const runtime::crypto::Keypair& key);

}  // namespace bazaar::node::network
