#include "node/finality/chain_view.hpp"

namespace bazaar::node::finality {

bool ChainView::is_descendant(const BlockInfo& block, const BlockInfo& ancestor) const {
  return route_to(block, ancestor).has_value();
}

std::optional<BlockNumber> ChainView::number_of(const H256& hash) const {
  auto h = header(hash);
  if (!h) return std::nullopt;
  return h->number.value;
}

std::optional<std::vector<BlockInfo>> ChainView::route_to(const BlockInfo& block, const BlockInfo& ancestor) const {
  auto headers = headers_to(block, ancestor);
  if (!headers) return std::nullopt;
  std::vector<BlockInfo> route;
  route.reserve(headers->size());
  BlockInfo at = block;
  for (const auto& h : *headers) {
    route.push_back(at);
    at = BlockInfo{h.parent_hash, at.number - 1};
  }
  return route;
}

std::optional<std::vector<Header>> ChainView::headers_to(const BlockInfo& block, const BlockInfo& ancestor) const {
  if (block.number < ancestor.number) return std::nullopt;
  std::vector<Header> headers;
  headers.reserve(block.number - ancestor.number);
  BlockInfo at = block;
  while (at.number > ancestor.number) {
    auto h = header(at.hash);
    if (!h || h->number.value != at.number) return std::nullopt;
    at = BlockInfo{h->parent_hash, at.number - 1};
    headers.push_back(std::move(*h));
  }
  if (at.hash != ancestor.hash) return std::nullopt;
  if (block.number == ancestor.number && !header(block.hash)) return std::nullopt;
  return headers;
}

}  // namespace bazaar::node::finality
