#include "rpc/server/method_registry.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace bazaar::rpc {

namespace detail {

void registration_bug(const std::string& method, const std::string& what) {
  std::fprintf(stderr, "bug: RPC method %s %s\n", method.c_str(), what.c_str());
  std::abort();
}

std::vector<ParamSpec> parse_param_specs(const std::vector<std::string>& names) {
  std::vector<ParamSpec> out;
  out.reserve(names.size());
  for (const auto& n : names) {
    bool optional = !n.empty() && n.back() == '?';
    out.push_back(ParamSpec{optional ? n.substr(0, n.size() - 1) : n, optional});
  }
  return out;
}

}  // namespace detail

MethodRegistry::MethodRegistry() {
  add("rpc_methods", "Lists every method name of this server, aliases included, sorted", {},
      [this]() { return nlohmann::json{{"methods", method_names()}}; });
}

void MethodRegistry::insert(std::shared_ptr<MethodEntry> entry) {
  for (std::size_t i = 0; i < entry->params.size(); ++i) {
    const auto& name = entry->params[i].name;
    if (name.empty()) detail::registration_bug(entry->name, "has a parameter without a name");
    for (std::size_t j = 0; j < i; ++j)
      if (entry->params[j].name == name) detail::registration_bug(entry->name, "declares parameter " + name + " twice");
  }
  std::unique_lock lock(m_mutex);
  auto name = entry->name;
  if (!m_methods.emplace(name, std::move(entry)).second) {
    lock.unlock();
    detail::registration_bug(name, "is declared twice");
  }
}

void MethodRegistry::add_unsubscribe(const SubscriptionSpec& spec, MethodSafety safety) {
  auto entry = std::make_shared<MethodEntry>();
  entry->kind = MethodEntry::Kind::Unsubscribe;
  entry->name = spec.unsubscribe;
  entry->docs = "Ends a " + spec.subscribe + " subscription; true if it existed";
  entry->params = {ParamSpec{"subscription", false}};
  entry->safety = safety;
  entry->notification = spec.notification;
  insert(std::move(entry));
}

void MethodRegistry::alias(const std::string& alias_name, const std::string& existing) {
  std::unique_lock lock(m_mutex);
  auto it = m_methods.find(existing);
  if (it == m_methods.end()) {
    lock.unlock();
    detail::registration_bug(alias_name, "is an alias of the unknown method " + existing);
  }
  auto target = it->second;
  if (!m_methods.emplace(alias_name, std::move(target)).second) {
    lock.unlock();
    detail::registration_bug(alias_name, "is declared twice");
  }
}

std::shared_ptr<const MethodEntry> MethodRegistry::find(std::string_view name) const {
  std::shared_lock lock(m_mutex);
  auto it = m_methods.find(name);
  return it == m_methods.end() ? nullptr : it->second;
}

std::vector<std::string> MethodRegistry::method_names() const {
  std::shared_lock lock(m_mutex);
  std::vector<std::string> names;
  names.reserve(m_methods.size());
  for (const auto& [name, entry] : m_methods) names.push_back(name);  // std::map: already sorted
  return names;
}

std::vector<std::shared_ptr<const MethodEntry>> MethodRegistry::entries() const {
  std::shared_lock lock(m_mutex);
  std::vector<std::shared_ptr<const MethodEntry>> out;
  for (const auto& [name, entry] : m_methods)
    if (entry->name == name) out.push_back(entry);
  return out;
}

}  // namespace bazaar::rpc
