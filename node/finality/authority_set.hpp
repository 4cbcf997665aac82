#pragma once
// The voters of the finality gadget: an ordered list of authority keys with
// equal weight and the id of the set (it changes whenever the list does).
// Thresholds count authorities, as the DESIGN asks: a supermajority is more
// than 2/3 of n, i.e. at least floor(2n/3) + 1 (for every n this equals
// finality-grandpa's n - floor((n-1)/3)); up to n - threshold authorities
// may be faulty.

#include "node/finality/messages.hpp"

#include <optional>
#include <vector>

namespace bazaar::node::finality {

struct AuthoritySet {
  SetId set_id = 0;
  std::vector<AuthorityId> authorities;

  std::size_t size() const { return authorities.size(); }
  /// floor(2n/3) + 1: the count of distinct authorities that finalizes.
  std::size_t threshold() const { return authorities.size() * 2 / 3 + 1; }
  /// The position of `id` in the set; nullopt if it is not an authority.
  std::optional<std::size_t> index_of(const AuthorityId& id) const;
};

}  // namespace bazaar::node::finality
