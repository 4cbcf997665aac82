#pragma once
// The runtime's metadata V14, generated from the module declarations in
// runtime.hpp (pallets, storage items, calls, events, errors, constants) and
// the extrinsic format in runtime/primitives/extrinsic.hpp.

#include "runtime/codec/bytes.hpp"
#include "runtime/metadata/v14.hpp"

namespace bazaar::modules::composition {

/// The metadata as a structure (built once, then cached; thread-safe).
const runtime::metadata::MetadataV14& metadata_v14();

/// SCALE-encoded RuntimeMetadataPrefixed ("meta", 14, body): what
/// state_getMetadata returns and Metadata_metadata wraps as OpaqueMetadata.
const runtime::Bytes& metadata_v14_bytes();

}  // namespace bazaar::modules::composition
