#pragma once
// Errors of the chain's storage, start-up and finality (block-import
// rejections are data of their own: see ImportError in block_import.hpp).

#include "runtime/result.hpp"

namespace bazaar::node::chain {

enum class ChainError {
  UnknownBlock = 1,     ///< no stored header with that hash
  CorruptDatabase,      ///< stored chain data that does not decode or does not fit together
  GenesisMismatch,      ///< the database was created for another chain spec (its genesis hash differs)
  InvalidGenesis,       ///< the genesis storage could not be turned into a state
  ResumeCheckFailed,    ///< re-executing the best block at start-up did not give its state root back
  NotInFinalizedChain,  ///< the block does not descend from the last finalized block (finality never reverts)
  StateUnavailable,     ///< the state of that block is not stored
  UnsupportedSchema,    ///< the database was written in a layout this node does not read (BlockStore::kSchemaVersion)
};
const char* to_string(ChainError e);

}  // namespace bazaar::node::chain

BAZAAR_DECLARE_ERROR_CATEGORY(bazaar::node::chain, ChainError)
