#include "node/txpool/types.hpp"

namespace bazaar::node::txpool {

std::string_view to_string(TxStatusKind kind) {
  switch (kind) {
    case TxStatusKind::Future: return "future";
    case TxStatusKind::Ready: return "ready";
    case TxStatusKind::InBlock: return "inBlock";
    case TxStatusKind::Finalized: return "finalized";
    case TxStatusKind::FinalityTimeout: return "finalityTimeout";
    case TxStatusKind::Usurped: return "usurped";
    case TxStatusKind::Dropped: return "dropped";
    case TxStatusKind::Invalid: return "invalid";
  }
  return "unknown";
}

}  // namespace bazaar::node::txpool
