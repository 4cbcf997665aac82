#include "node/finality/authority_set.hpp"

#include <algorithm>

namespace bazaar::node::finality {

std::optional<std::size_t> AuthoritySet::index_of(const AuthorityId& id) const {
  const auto it = std::find(authorities.begin(), authorities.end(), id);
  if (it == authorities.end()) return std::nullopt;
  return static_cast<std::size_t>(it - authorities.begin());
}

}  // namespace bazaar::node::finality
