#include "runtime/framework/context.hpp"

namespace bazaar::runtime::framework {

void Context::deposit_event(uint8_t module_index, ByteSpan encoded_event, const std::vector<H256>& topics) {
  codec::Encoder e;
  codec::encode_to(e, m_phase);
  e.push(module_index);
  e.write(encoded_event);
  codec::encode_to(e, topics);
  deposit_event_record(e.bytes());
}

void Context::deposit_event_record(ByteSpan encoded_record) {
  m_state.append(EventsItem::key(), encoded_record);
  EventCountItem::mutate(m_state, [](uint32_t& n) { ++n; });
}

}  // namespace bazaar::runtime::framework
