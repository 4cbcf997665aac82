#pragma once
// How a port reports that it cannot answer (unknown block, pruned state).
// Header-only: plain data, turned into JSON-RPC errors by rpc/methods.

#include <boost/outcome/result.hpp>

#include <string>

namespace bazaar::rpc {

struct PortError {
  enum class Kind {
    UnknownBlock,      ///< no block with the given hash is stored
    StateUnavailable,  ///< the block is known but its state was pruned or cannot be read
    Internal,          ///< the node failed (database error, ...)
    CallFailed,        ///< a runtime API call failed: unknown method, malformed arguments, failed execution
  };
  Kind kind = Kind::Internal;
  std::string message;  ///< human-readable detail, e.g. "unknown block 0x12…"
};

/// A port answer: a value or a PortError. Reading the value of a failure terminates (a bug).
template <class T>
using PortResult = boost::outcome_v2::result<T, PortError, boost::outcome_v2::policy::terminate>;

}  // namespace bazaar::rpc
