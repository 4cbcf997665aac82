#pragma once
// The Bazaar runtime composition: the modules with their fixed indices
// (STYLE.md, 5), and RuntimeCall / RuntimeEvent derived from the module
// declarations (variant index = module index, as FRAME's construct_runtime).
// Wallets and workers link this to build calls and decode events.

#include "modules/aura/aura.hpp"
#include "modules/credits/credits.hpp"
#include "modules/payment_channel/payment_channel.hpp"
#include "modules/sudo/sudo.hpp"
#include "modules/system/system.hpp"
#include "modules/task_queue/task_queue.hpp"
#include "modules/timestamp/timestamp.hpp"
#include "modules/transaction_payment/transaction_payment.hpp"

#include <boost/mp11/algorithm.hpp>
#include <nlohmann/json.hpp>

namespace bazaar::modules::composition {

using runtime::AccountId32;
using namespace runtime::framework;

/// Every module, with its index in Module::kIndex:
/// System 0, Timestamp 1, Aura 2, Sudo 3, Credits 4, TaskQueue 5, TransactionPayment 6, PaymentChannel 7.
using Modules = boost::mp11::mp_list<system::Module, timestamp::Module, aura::Module, sudo::Module, credits::Module,
                                     task_queue::Module, transaction_payment::Module, payment_channel::Module>;

template <class M>
using HasCalls = boost::mp11::mp_bool<!std::is_same_v<typename M::Call, NoCalls>>;
template <class M>
using HasEvents = boost::mp11::mp_bool<!std::is_same_v<typename M::Event, NoEvents>>;

/// One module's call inside RuntimeCall.
template <class M>
struct ModuleCall {
  static constexpr uint8_t kIndex = M::kIndex;
  using Module = M;
  typename M::Call call;
};
/// One module's event inside RuntimeEvent.
template <class M>
struct ModuleEvent {
  static constexpr uint8_t kIndex = M::kIndex;
  using Module = M;
  typename M::Event event;
};

using CallModules = boost::mp11::mp_filter<HasCalls, Modules>;
using EventModules = boost::mp11::mp_filter<HasEvents, Modules>;

/// The outer call enum: module index byte, then the module's call.
struct RuntimeCall {
  boost::mp11::mp_rename<boost::mp11::mp_transform<ModuleCall, CallModules>, std::variant> value;
};
/// The outer event enum: module index byte, then the module's event.
struct RuntimeEvent {
  boost::mp11::mp_rename<boost::mp11::mp_transform<ModuleEvent, EventModules>, std::variant> value;
};

/// Wraps one module's call, e.g. make_call<credits::Module>(credits::TransferKeepAlive{...}).
template <class M, class C>
RuntimeCall make_call(C call) {
  return RuntimeCall{ModuleCall<M>{typename M::Call{std::move(call)}}};
}

runtime::Weight call_weight(const RuntimeCall& call);
DispatchClass call_class(const RuntimeCall& call);
/// Whether the signer pays a fee (Mandatory inherents do not).
Pays call_pays(const RuntimeCall& call);
/// "Credits.transfer_keep_alive".
std::string call_name(const RuntimeCall& call);

/// Dispatches a call to its module.
DispatchResult dispatch(Context& ctx, const Origin& origin, const RuntimeCall& call);
/// Dispatches in its own storage transaction: an error reverts the call's writes.
DispatchResult dispatch_transactional(Context& ctx, const Origin& origin, const RuntimeCall& call);

/// Resolves a MultiAddress to an account (only Id is supported; else CannotLookup).
DispatchResultWith<AccountId32> lookup(const runtime::MultiAddress& address);

/// frame_system::EventRecord<RuntimeEvent, H256>.
struct EventRecord {
  Phase phase;
  RuntimeEvent event;
  std::vector<runtime::H256> topics;
};
BOOST_DESCRIBE_STRUCT(EventRecord, (), (phase, event, topics))

/// Decodes the value of System.Events.
Result<std::vector<EventRecord>> decode_events(runtime::ByteSpan system_events_value);
/// "Credits.Transfer".
std::string event_name(const RuntimeEvent& event);
/// {"module": "Credits", "event": "Transfer", "fields": {...}} (fields as in runtime/framework/json.hpp).
nlohmann::json event_to_json(const RuntimeEvent& event);
/// "TaskQueue.TaskNotOpen" for module errors, "BadOrigin" / "Token::FundsUnavailable" otherwise.
std::string describe_error(const DispatchError& error);

}  // namespace bazaar::modules::composition

template <class M>
struct bazaar::runtime::codec::Codec<bazaar::modules::composition::ModuleCall<M>> {
  static void encode(Encoder& e, const modules::composition::ModuleCall<M>& c) { encode_to(e, c.call); }
  static Result<void> decode(Decoder& d, modules::composition::ModuleCall<M>& c) { return decode_from(d, c.call); }
};
template <class M>
struct bazaar::runtime::codec::Codec<bazaar::modules::composition::ModuleEvent<M>> {
  static void encode(Encoder& e, const modules::composition::ModuleEvent<M>& c) { encode_to(e, c.event); }
  static Result<void> decode(Decoder& d, modules::composition::ModuleEvent<M>& c) { return decode_from(d, c.event); }
};
template <>
struct bazaar::runtime::codec::Codec<bazaar::modules::composition::RuntimeCall> {
  static void encode(Encoder& e, const modules::composition::RuntimeCall& c) { encode_to(e, c.value); }
  static Result<void> decode(Decoder& d, modules::composition::RuntimeCall& c) { return decode_from(d, c.value); }
};
template <>
struct bazaar::runtime::codec::Codec<bazaar::modules::composition::RuntimeEvent> {
  static void encode(Encoder& e, const modules::composition::RuntimeEvent& c) { encode_to(e, c.value); }
  static Result<void> decode(Decoder& d, modules::composition::RuntimeEvent& c) { return decode_from(d, c.value); }
};
