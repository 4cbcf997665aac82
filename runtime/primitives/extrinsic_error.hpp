#pragma once
// Errors of decoding extrinsics and their parts (era, addresses, signatures).
// SCALE errors from the parts pass through as codec::CodecError.

#include "runtime/result.hpp"

namespace bazaar::runtime {

enum class ExtrinsicError {
  BadLengthPrefix = 1,  ///< the compact length prefix differs from the bytes that follow
  UnsupportedVersion,   ///< version byte other than 0x84 (signed v4) or 0x04 (bare v4)
  EmptyCall,            ///< no call bytes after the signature part
  InvalidEra,           ///< a mortal era whose period < 4 or phase >= period
};
const char* to_string(ExtrinsicError e);

}  // namespace bazaar::runtime

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::runtime, ExtrinsicError)
