#include "node/chain/chain_error.hpp"

namespace bazaar::node::chain {

const char* to_string(ChainError e) {
  switch (e) {
    case ChainError::UnknownBlock: return "unknown block";
    case ChainError::CorruptDatabase: return "corrupt chain database";
    case ChainError::GenesisMismatch: return "the database belongs to another chain (genesis hash differs)";
    case ChainError::InvalidGenesis: return "invalid genesis state";
    case ChainError::ResumeCheckFailed: return "the stored best block does not re-execute to its state root";
    case ChainError::NotInFinalizedChain: return "block is not a descendant of the last finalized block";
    case ChainError::StateUnavailable: return "state of the block is not available";
    case ChainError::UnsupportedSchema: return "the database was written in a layout this node does not read";
  }
  return "unknown chain error";
}

}  // namespace bazaar::node::chain

BAZAAR_DEFINE_ERROR_CATEGORY(bazaar::node::chain, ChainError, "chain", to_string)
