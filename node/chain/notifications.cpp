#include "node/chain/notifications.hpp"

namespace bazaar::node::chain {

ListenerId ChainListeners::subscribe(ChainListener listener) {
  std::lock_guard lock(m_mutex);
  const ListenerId id = m_next++;
  m_listeners.emplace(id, std::make_shared<ChainListener>(std::move(listener)));
  return id;
}

void ChainListeners::unsubscribe(ListenerId id) {
  std::lock_guard lock(m_mutex);
  m_listeners.erase(id);
}

template <class Event, class Member>
void ChainListeners::dispatch(const Event& event, Member member) const {
  std::vector<std::pair<ListenerId, std::shared_ptr<ChainListener>>> snapshot;
  {
    std::lock_guard lock(m_mutex);
    snapshot.assign(m_listeners.begin(), m_listeners.end());
  }
  for (const auto& [id, listener] : snapshot) {
    {
      // Skip listeners that unsubscribed while earlier ones ran.
      std::lock_guard lock(m_mutex);
      if (!m_listeners.contains(id)) continue;
    }
    const auto& callback = (*listener).*member;
    if (callback) callback(event);
  }
}

void ChainListeners::notify(const BlockImportedEvent& event) const { dispatch(event, &ChainListener::on_imported); }
void ChainListeners::notify(const NewBestEvent& event) const { dispatch(event, &ChainListener::on_new_best); }
void ChainListeners::notify(const FinalizedEvent& event) const { dispatch(event, &ChainListener::on_finalized); }
void ChainListeners::notify(const EquivocationEvent& event) const {
  dispatch(event, &ChainListener::on_equivocation);
}

}  // namespace bazaar::node::chain
