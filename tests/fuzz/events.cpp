// Fuzz target: the System.Events value (modules::composition::decode_events),
// which wallets, the worker and RPC views decode from storage read over the
// network. Checks the canonical round trip and that every decoded event can
// be named and rendered as JSON (what RPC answers carry), including the
// description of a failed extrinsic's DispatchError.

#include "modules/composition/runtime.hpp"
#include "modules/system/system.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

#include <algorithm>

namespace bazaar::fuzz {

void fuzz_events(const uint8_t* data, std::size_t size) {
  namespace composition = modules::composition;
  auto events = composition::decode_events({data, size});
  if (!events) {
    check_error_message(events.error());
    return;
  }
  note_accepted();
  FUZZ_CHECK(std::ranges::equal(runtime::codec::encode(events.value()), runtime::ByteSpan(data, size)));
  for (const auto& record : events.value()) {
    std::string name = composition::event_name(record.event);
    FUZZ_CHECK(name.find('.') != std::string::npos);
    std::string json = composition::event_to_json(record.event).dump();
    FUZZ_CHECK(!json.empty());
    using SystemEvent = composition::ModuleEvent<modules::system::Module>;
    if (const auto* system = std::get_if<SystemEvent>(&record.event.value)) {
      if (const auto* failed = std::get_if<modules::system::ExtrinsicFailed>(&system->event))
        FUZZ_CHECK(!composition::describe_error(failed->dispatch_error).empty());
    }
  }
}

}  // namespace bazaar::fuzz
