#pragma once
// The runtime's metadata V14, generated from the module declarations in
// runtime.hpp (pallets, storage items, calls, events, errors, constants) and
// the extrinsic format in runtime/primitives/extrinsic.hpp.
//
// One pallet per module of composition::Modules, in that order: name and
// index from the module; storage prefix = module name, one entry per
// Module::Storage item (modifier Default for ValueQuery with default
// SCALE(V{}), Optional for OptionQuery with default SCALE(None) = 0x00, as
// FRAME); calls / event / error = the module's Call, Event and Error types at
// `<crate>::pallet::{Call,Event,Error}` (crate frame_system for System,
// pallet_<namespace> otherwise; no error type for an empty Error enum);
// constants from Module::Constants. Types are described by
// runtime/metadata/type_registry.hpp and substrate_types.hpp; the extrinsic
// section by runtime/metadata/extrinsic.hpp. A reviewed golden copy lives in
// tests/fixtures/metadata-v14.{hex,json} (tests/modules/composition/metadata_test.cpp).

#include "runtime/codec/bytes.hpp"
#include "runtime/metadata/v14.hpp"

namespace bazaar::modules::composition {

/// The metadata as a structure (built once, then cached; thread-safe).
const runtime::metadata::MetadataV14& metadata_v14();

/// SCALE-encoded RuntimeMetadataPrefixed ("meta", 14, body): what
/// state_getMetadata returns and Metadata_metadata wraps as OpaqueMetadata.
const runtime::Bytes& metadata_v14_bytes();

}  // namespace bazaar::modules::composition
