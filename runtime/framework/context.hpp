#pragma once
// What a call handler sees while it runs: the state (an Overlay), the block
// being built, the execution phase, and event deposit. The runtime never
// sees clocks, sockets or the database (DESIGN.md).

#include "runtime/framework/dispatch.hpp"
#include "runtime/framework/storage_item.hpp"
#include "runtime/storage/overlay.hpp"

#include <boost/describe/class.hpp>

#include <variant>
#include <vector>

namespace bazaar::runtime::framework {

/// frame_system::Phase.
namespace phase {
struct ApplyExtrinsic {
  static constexpr uint8_t kIndex = 0;
  uint32_t index = 0;
};
struct Finalization {
  static constexpr uint8_t kIndex = 1;
};
struct Initialization {
  static constexpr uint8_t kIndex = 2;
};
BOOST_DESCRIBE_STRUCT(ApplyExtrinsic, (), (index))
BOOST_DESCRIBE_STRUCT(Finalization, (), ())
BOOST_DESCRIBE_STRUCT(Initialization, (), ())
}  // namespace phase
using Phase = std::variant<phase::ApplyExtrinsic, phase::Finalization, phase::Initialization>;

/// frame_system's Events and EventCount items. System.Events holds
/// Vec<EventRecord> where EventRecord = Phase ++ RuntimeEvent ++ Vec<H256>
/// topics, RuntimeEvent = module index ++ the module's event. Declared here
/// because every module deposits events; the system module lists them among
/// its storage items for the metadata.
using EventCountItem = StorageValue<"System", "EventCount", uint32_t, ValueQuery,
                                    "The number of events in the `Events<T>` list.">;
/// Raw bytes of an encoded EventRecord (its RuntimeEvent is decoded by the composition).
struct RawEventRecord {
  Bytes encoded;
};
using EventsItem = StorageValue<"System", "Events", std::vector<RawEventRecord>, ValueQuery,
                                "Events deposited for the current block.">;

class Context {
 public:
  Context(storage::Overlay& state, BlockNumber block_number) : m_state(state), m_block_number(block_number) {}

  storage::Overlay& state() { return m_state; }
  const storage::Overlay& state() const { return m_state; }
  BlockNumber block_number() const { return m_block_number; }
  const Phase& phase() const { return m_phase; }
  void set_phase(Phase p) { m_phase = p; }

  /// Appends an EventRecord{current phase, module_index ++ encoded_event, topics} to System.Events.
  void deposit_event(uint8_t module_index, ByteSpan encoded_event, const std::vector<H256>& topics = {});
  /// Appends one encoded EventRecord (phase ++ RuntimeEvent ++ topics) to
  /// System.Events and counts it in System.EventCount.
  void deposit_event_record(ByteSpan encoded_record);

 private:
  storage::Overlay& m_state;
  BlockNumber m_block_number;
  Phase m_phase = phase::Initialization{};
};

}  // namespace bazaar::runtime::framework

/// RawEventRecord is self-delimiting only through the RuntimeEvent type; the
/// framework stores and reads System.Events with Overlay::append and leaves
/// decoding to the composition (modules/composition), which knows every event.
template <>
struct bazaar::runtime::codec::Codec<bazaar::runtime::framework::RawEventRecord> {
  static void encode(Encoder& e, const framework::RawEventRecord& r) { e.write(r.encoded); }
  static Result<void> decode(Decoder&, framework::RawEventRecord&) { return CodecError::InvalidEnumIndex; }
};
