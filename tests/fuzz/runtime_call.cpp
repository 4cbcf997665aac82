// Fuzz target: the runtime's call decoder (modules/composition/runtime.hpp),
// which every extrinsic's call bytes go through. Sudo calls nest calls
// (Box<RuntimeCall>); the Decoder's depth limit must stop hostile nesting long
// before the stack, so a decoded call is never nested deeper than kMaxDepth.
// Decoded calls re-encode to the input, and the functions the pool and the
// executive apply to a call before dispatch (name, weight, class, pays) work.

#include "modules/composition/runtime.hpp"
#include "modules/sudo/sudo.hpp"
#include "tests/fuzz/fuzz.hpp"
#include "tests/fuzz/scale_checks.hpp"
#include "tests/fuzz/targets.hpp"

namespace bazaar::fuzz {
namespace {

using modules::composition::ModuleCall;
using modules::composition::RuntimeCall;

/// How many sudo / sudo_as levels wrap the innermost call.
std::size_t sudo_depth(const RuntimeCall& call) {
  const auto* sudo = std::get_if<ModuleCall<modules::sudo::Module>>(&call.value);
  if (sudo == nullptr) return 0;
  if (const auto* s = std::get_if<modules::sudo::Sudo>(&sudo->call)) return 1 + sudo_depth(*s->call);
  if (const auto* s = std::get_if<modules::sudo::SudoAs>(&sudo->call)) return 1 + sudo_depth(*s->call);
  return 0;
}

}  // namespace

void fuzz_runtime_call(const uint8_t* data, std::size_t size) {
  auto call = decode_canonical<RuntimeCall>(data, size);
  if (!call) return;
  FUZZ_CHECK(sudo_depth(*call) <= static_cast<std::size_t>(runtime::codec::Decoder::kMaxDepth));

  std::string name = modules::composition::call_name(*call);
  FUZZ_CHECK(name.find('.') != std::string::npos && name.front() != '.' && name.back() != '.');
  (void)modules::composition::call_weight(*call);
  auto pays = modules::composition::call_pays(*call);
  bool mandatory = modules::composition::call_class(*call) == runtime::framework::DispatchClass::Mandatory;
  FUZZ_CHECK((pays == runtime::framework::Pays::No) == mandatory);
}

}  // namespace bazaar::fuzz
