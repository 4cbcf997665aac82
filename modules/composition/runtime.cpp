#include "modules/composition/runtime.hpp"

#include "runtime/framework/json.hpp"

#include <boost/describe/enum_to_string.hpp>

namespace bazaar::modules::composition {

runtime::Weight call_weight(const RuntimeCall& call) {
  return std::visit([](const auto& mc) { return variant_call_weight(mc.call); }, call.value);
}

DispatchClass call_class(const RuntimeCall& call) {
  return std::visit(
      [](const auto& mc) {
        return std::visit([](const auto& c) { return runtime::framework::call_class<std::decay_t<decltype(c)>>(); },
                          mc.call);
      },
      call.value);
}

Pays call_pays(const RuntimeCall& call) {
  return call_class(call) == DispatchClass::Mandatory ? Pays::No : Pays::Yes;
}

std::string call_name(const RuntimeCall& call) {
  return std::visit(
      [](const auto& mc) {
        using M = typename std::decay_t<decltype(mc)>::Module;
        return std::string(M::kName) + "." +
               std::visit([](const auto& c) { return std::string(std::decay_t<decltype(c)>::kName); }, mc.call);
      },
      call.value);
}

DispatchResult dispatch(Context& ctx, const Origin& origin, const RuntimeCall& call) {
  return std::visit(
      [&](const auto& mc) {
        using M = typename std::decay_t<decltype(mc)>::Module;
        return M::dispatch(ctx, origin, mc.call);
      },
      call.value);
}

DispatchResult dispatch_transactional(Context& ctx, const Origin& origin, const RuntimeCall& call) {
  ctx.state().start_transaction();
  auto r = dispatch(ctx, origin, call);
  if (r) {
    ctx.state().commit_transaction();
  } else {
    ctx.state().rollback_transaction();
  }
  return r;
}

DispatchResultWith<AccountId32> lookup(const runtime::MultiAddress& address) { return credits::lookup(address); }

Result<std::vector<EventRecord>> decode_events(runtime::ByteSpan value) {
  return runtime::codec::decode<std::vector<EventRecord>>(value);
}

std::string event_name(const RuntimeEvent& event) {
  return std::visit(
      [](const auto& me) {
        using M = typename std::decay_t<decltype(me)>::Module;
        return std::string(M::kName) + "." +
               std::visit([](const auto& e) { return std::string(std::decay_t<decltype(e)>::kName); }, me.event);
      },
      event.value);
}

nlohmann::json event_to_json(const RuntimeEvent& event) {
  return std::visit(
      [](const auto& me) {
        using M = typename std::decay_t<decltype(me)>::Module;
        return std::visit(
            [](const auto& e) {
              using E = std::decay_t<decltype(e)>;
              return nlohmann::json{{"module", std::string(M::kName)},
                                    {"event", std::string(E::kName)},
                                    {"fields", runtime::framework::json::to_json(e)}};
            },
            me.event);
      },
      event.value);
}

std::string describe_error(const DispatchError& error) {
  const auto* m = error.as_module();
  if (!m) return describe_generic(error);
  std::string out = describe_generic(error);
  boost::mp11::mp_for_each<Modules>([&](auto module) {
    using M = decltype(module);
    if (M::kIndex != m->index) return;
    using E = typename M::Error;
    const char* name = boost::describe::enum_to_string(static_cast<E>(m->error[0]), nullptr);
    out = std::string(M::kName) + "." + (name ? name : "Unknown(" + std::to_string(m->error[0]) + ")");
  });
  return out;
}

}  // namespace bazaar::modules::composition
