#include "runtime/wasm/wabt_machine.hpp"

#include "runtime/wasm/wabt_read.hpp"

#include <wabt/cast.h>
#include <wabt/config.h>
#include <wabt/interp/interp.h>

#include <algorithm>
#include <cstring>
#include <string_view>

// WABT's public API only runs a function to completion (Func::Call). Fuel
// metering needs to open the call and then execute a counted number of
// instructions; the interpreter does exactly that internally with the private
// Thread::PushCall and Thread::StepInternal (Thread::Run(n) loops over the
// latter but does not report how many instructions ran before a return or a
// trap). The value stack (Thread::values_) is read to bound it, which WABT
// does not. The member signatures used below are those of WABT 1.0.32.
static_assert(std::string_view(WABT_VERSION_STRING) == "1.0.32",
              "wabt_machine.cpp reaches private members of wabt::interp::Thread as of WABT 1.0.32");

namespace bazaar::runtime::wasm {
namespace {

namespace wi = wabt::interp;

// Access to private members through an explicit instantiation: names used in
// the template arguments of an explicit instantiation are exempt from access
// checking ([temp.explicit]), and the friend defined by the instantiated class
// hands the member pointer out.
struct PushCallTag {
  using Type = wi::RunResult (wi::Thread::*)(const wi::DefinedFunc&, wi::Trap::Ptr*);
  friend Type member(PushCallTag);
};
struct StepInternalTag {
  using Type = wi::RunResult (wi::Thread::*)(wi::Trap::Ptr*);
  friend Type member(StepInternalTag);
};
struct ValuesTag {
  using Type = std::vector<wi::Value> wi::Thread::*;
  friend Type member(ValuesTag);
};
template <class Tag, typename Tag::Type Member>
struct Expose {
  friend typename Tag::Type member(Tag) { return Member; }
};
template struct Expose<PushCallTag, &wi::Thread::PushCall>;
template struct Expose<StepInternalTag, &wi::Thread::StepInternal>;
template struct Expose<ValuesTag, &wi::Thread::values_>;

wi::RunResult begin_call(wi::Thread& thread, const wi::DefinedFunc& func, wi::Trap::Ptr* out_trap) {
  return (thread.*member(PushCallTag{}))(func, out_trap);
}

wi::RunResult step(wi::Thread& thread, wi::Trap::Ptr* out_trap) {
  return (thread.*member(StepInternalTag{}))(out_trap);
}

/// The interpreter's value stack (locals and operands of every active frame),
/// which WABT lets grow without bound.
const std::vector<wi::Value>& value_stack(const wi::Thread& thread) { return thread.*member(ValuesTag{}); }

constexpr const char* kHostStopMessage = "stopped by the host";
constexpr const char* kValueStackMessage = "value stack exhausted";

}  // namespace

struct WasmMachine::Impl {
  // Declaration order is destruction order reversed: the store must outlive
  // every object and RefPtr rooted in it, and the thread.
  wi::Store store{wabt::Features{}};
  wi::Module::Ptr module;
  wi::Instance::Ptr instance;
  wi::Memory::Ptr memory;
  wi::DefinedFunc::Ptr start;
  std::unique_ptr<wi::Thread> thread;
  HostCallback host;
  std::size_t max_value_stack = 0;
  bool host_stopped = false;
  MachineState state = MachineState::Running;
  std::string trap_message;

  wabt::Result call_host(uint32_t index, const wi::FuncType& type, wi::Thread& thread, const wi::Values& params,
                         wi::Values& results, wi::Trap::Ptr* out_trap) {
    uint64_t args[16] = {};
    if (params.size() > std::size(args) || type.results.size() > 1) {
      *out_trap = wi::Trap::New(thread.store(), "unsupported host function signature");
      return wabt::Result::Error;
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      switch (type.params[i]) {
        case wabt::Type::I32: args[i] = params[i].Get<uint32_t>(); break;
        case wabt::Type::I64: args[i] = params[i].Get<uint64_t>(); break;
        default:
          *out_trap = wi::Trap::New(thread.store(), "unsupported host function signature");
          return wabt::Result::Error;
      }
    }
    uint8_t* data = memory ? memory->UnsafeData() : nullptr;
    uint64_t data_size = memory ? memory->ByteSize() : 0;
    HostCallResult r = host(index, args, params.size(), data, data_size);
    if (r.stop) {
      host_stopped = true;
      *out_trap = wi::Trap::New(thread.store(), kHostStopMessage);
      return wabt::Result::Error;
    }
    if (!type.results.empty()) {
      if (type.results[0] == wabt::Type::I64)
        results[0] = wi::Value::Make(static_cast<uint64_t>(r.value));
      else
        results[0] = wi::Value::Make(static_cast<uint32_t>(r.value));
    }
    return wabt::Result::Ok;
  }
};

WasmMachine::WasmMachine(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
WasmMachine::~WasmMachine() = default;

std::unique_ptr<WasmMachine> WasmMachine::create(const uint8_t* code, std::size_t size, const MachineLimits& limits,
                                                 HostCallback host, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->host = std::move(host);
  impl->max_value_stack = limits.max_value_stack;

  wi::ModuleDesc desc;
  if (!read_module_desc(code, size, &desc, error)) return nullptr;

  // Cap growth: memory.grow / table.grow past the limits fail in the guest.
  for (auto& memory : desc.memories) {
    auto& l = memory.type.limits;
    if (l.initial > limits.max_memory_pages) {
      *error = "initial memory of " + std::to_string(l.initial) + " pages exceeds the limit of " +
               std::to_string(limits.max_memory_pages);
      return nullptr;
    }
    if (!l.has_max || l.max > limits.max_memory_pages) {
      l.max = limits.max_memory_pages;
      l.has_max = true;
    }
  }
  for (auto& table : desc.tables) {
    auto& l = table.type.limits;
    if (l.initial > limits.max_table_elements) {
      *error = "initial table size exceeds the limit";
      return nullptr;
    }
    if (!l.has_max || l.max > limits.max_table_elements) {
      l.max = limits.max_table_elements;
      l.has_max = true;
    }
  }

  wi::Store& store = impl->store;
  impl->module = wi::Module::New(store, std::move(desc));
  wi::RefVec imports;
  const auto& import_types = impl->module->import_types();
  for (std::size_t i = 0; i < import_types.size(); ++i) {
    auto* func_type = wabt::dyn_cast<wi::FuncType>(import_types[i].type.get());
    if (!func_type) {
      *error = "import " + import_types[i].module + "." + import_types[i].name + " is not a function";
      return nullptr;
    }
    Impl* self = impl.get();
    const uint32_t index = static_cast<uint32_t>(i);
    const wi::FuncType type = *func_type;
    auto func = wi::HostFunc::New(
        store, type,
        [self, index, type](wi::Thread& thread, const wi::Values& params, wi::Values& results,
                            wi::Trap::Ptr* out_trap) { return self->call_host(index, type, thread, params, results, out_trap); });
    imports.push_back(func.ref());
  }

  wi::Trap::Ptr trap;
  impl->instance = wi::Instance::Instantiate(store, impl->module.ref(), imports, &trap);
  if (!impl->instance) {
    *error = "instantiation failed: " + (trap ? trap->message() : std::string("unknown reason"));
    return nullptr;
  }

  const auto& export_types = impl->module->export_types();
  for (std::size_t i = 0; i < export_types.size(); ++i) {
    wi::Ref ref = impl->instance->exports()[i];
    if (export_types[i].name == "_start" && store.Is<wi::DefinedFunc>(ref)) {
      impl->start = store.UnsafeGet<wi::DefinedFunc>(ref);
    } else if (export_types[i].name == "memory" && store.Is<wi::Memory>(ref)) {
      impl->memory = store.UnsafeGet<wi::Memory>(ref);
    }
  }
  if (!impl->start || !impl->start->type().params.empty() || !impl->start->type().results.empty()) {
    *error = "no exported function _start of type () -> ()";
    return nullptr;
  }

  impl->thread = std::make_unique<wi::Thread>(store);
  if (begin_call(*impl->thread, *impl->start, &trap) != wi::RunResult::Ok) {
    *error = "cannot call _start: " + (trap ? trap->message() : std::string("unknown reason"));
    return nullptr;
  }
  return std::unique_ptr<WasmMachine>(new WasmMachine(std::move(impl)));
}

MachineState WasmMachine::run(uint64_t max_instructions, uint64_t* executed, std::string* trap_message) {
  Impl& m = *m_impl;
  *executed = 0;
  if (m.state != MachineState::Running) {
    *trap_message = m.trap_message;
    return m.state;
  }
  wi::Thread& thread = *m.thread;
  wi::Trap::Ptr trap;
  wi::RunResult result = wi::RunResult::Ok;
  const std::vector<wi::Value>& values = value_stack(thread);
  const std::size_t max_values = m.max_value_stack;
  uint64_t n = 0;
  while (n < max_instructions) {
    result = step(thread, &trap);
    ++n;
    if (result != wi::RunResult::Ok) break;
    // Checked after every instruction, so the outcome does not depend on how
    // the caller slices its budget; one instruction adds at most one value or
    // one function's locals.
    if (values.size() > max_values) {
      trap = wi::Trap::New(m.store, kValueStackMessage);
      result = wi::RunResult::Trap;
      break;
    }
  }
  *executed = n;
  switch (result) {
    case wi::RunResult::Ok:
      return MachineState::Running;
    case wi::RunResult::Return:
      m.state = MachineState::Returned;
      break;
    case wi::RunResult::Trap:
      m.state = m.host_stopped ? MachineState::Stopped : MachineState::Trapped;
      m.trap_message = trap ? trap->message() : std::string("trap");
      break;
    case wi::RunResult::Exception:
      m.state = MachineState::Trapped;
      m.trap_message = "uncaught WebAssembly exception";
      break;
  }
  *trap_message = m.trap_message;
  return m.state;
}

}  // namespace bazaar::runtime::wasm
