#include "runtime/metadata/v14.hpp"

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::runtime::metadata, MetadataError, "metadata", to_string)

namespace bazaar::runtime::metadata {

const char* to_string(MetadataError e) {
  switch (e) {
    case MetadataError::BadMagic: return "not runtime metadata (magic is not \"meta\")";
    case MetadataError::UnsupportedVersion: return "unsupported metadata version (only 14 is read)";
  }
  return "unknown metadata error";
}

}  // namespace bazaar::runtime::metadata
