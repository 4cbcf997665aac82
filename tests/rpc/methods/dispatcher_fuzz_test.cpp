// Fuzz-style test of the JSON-RPC dispatcher with every node method
// registered (over the fake ports): a fixed-seed stream of malformed requests
// -- mutated bytes of valid requests, random JSON params of every type for
// every method, deep nesting, odd ids and batches -- must each get either no
// answer (notifications) or a well-formed JSON-RPC 2.0 response, never an
// exception or a crash. BAZAAR_FUZZ_SCALE multiplies the number of cases.

#include "tests/rpc/methods/harness.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

using namespace bazaar;
using nlohmann::json;

namespace {

class Gen {
 public:
  explicit Gen(uint64_t seed) : m_rng(seed) {}
  uint64_t below(uint64_t n) { return m_rng() % n; }

  /// A random JSON value, up to `depth` levels deep, biased to what parameters look like.
  json value(int depth) {
    switch (below(depth > 0 ? 12 : 9)) {
      case 0: return nullptr;
      case 1: return below(2) == 0;
      case 2: return static_cast<int64_t>(m_rng()) >> below(64);
      case 3: return static_cast<double>(m_rng()) / 7.0;
      case 4: return "0x" + hex(below(80));
      case 5: return hex(below(10));
      case 6: return std::string(below(3) == 0 ? "PERSISTENT" : "aura");
      case 7: return below(2) ? "0x" : "";
      case 8: return "0x" + hex(64);  // a hash-sized value
      case 9: {
        json a = json::array();
        for (uint64_t i = below(4); i > 0; --i) a.push_back(value(depth - 1));
        return a;
      }
      case 10: {
        json o = json::object();
        for (uint64_t i = below(3); i > 0; --i) o["k" + std::to_string(below(4))] = value(depth - 1);
        return o;
      }
      default: return std::numeric_limits<uint64_t>::max() - below(3);
    }
  }
  std::string hex(uint64_t nibbles) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (uint64_t i = 0; i < nibbles; ++i) s += kDigits[below(16)];
    return s;
  }
  /// `text` with 1..4 byte-level mutations.
  std::string mutate(std::string text) {
    static const std::vector<std::string> kTokens = {"{", "}", "[", "]", ",", ":", "\"", "null", "-1", "1e999",
                                                     "\\u0000", "\"jsonrpc\"", "\"2.0\"", "\"id\"", "\xff"};
    for (uint64_t n = 1 + below(4); n > 0 && !text.empty(); --n) {
      auto pos = below(text.size());
      switch (below(5)) {
        case 0: text[pos] = static_cast<char>(m_rng()); break;
        case 1: text.erase(pos, 1 + below(8)); break;
        case 2: text.insert(pos, kTokens[below(kTokens.size())]); break;
        case 3: text.resize(pos); break;
        default: text.insert(pos, text.substr(pos, below(16))); break;
      }
    }
    return text;
  }

 private:
  std::mt19937_64 m_rng;
};

/// Checks one answer of the dispatcher: none, or a well-formed response (or batch of them).
void check_response(const std::optional<std::string>& out) {
  if (!out) return;
  auto parsed = json::parse(*out, nullptr, false);
  REQUIRE_FALSE(parsed.is_discarded());
  auto check_one = [](const json& r) {
    REQUIRE(r.is_object());
    REQUIRE(r.value("jsonrpc", "") == "2.0");
    REQUIRE(r.contains("id"));
    REQUIRE(r.contains("result") != r.contains("error"));
    if (r.contains("error")) {
      REQUIRE(r["error"]["code"].is_number_integer());
      REQUIRE(r["error"]["message"].is_string());
      REQUIRE_FALSE(r["error"]["message"].get<std::string>().empty());
    }
  };
  if (parsed.is_array()) {
    for (const auto& r : parsed) check_one(r);
  } else {
    check_one(parsed);
  }
}

std::size_t scale() {
  const char* s = std::getenv("BAZAAR_FUZZ_SCALE");
  return s ? std::max<std::size_t>(1, std::strtoul(s, nullptr, 10)) : 1;
}

}  // namespace

SCENARIO("the dispatcher survives malformed requests to every method") {
  test::MethodsHarness h;
  h.state.set_state(h.chain.genesis_hash(), {{{0x01}, {0x02}}});
  auto names = h.registry.method_names();
  Gen gen(0xb42aa5);
  auto run = [&](const std::string& text) {
    rpc::CallContext ctx;
    ctx.peer_is_loopback = gen.below(2) == 0;
    ctx.host = gen.below(4) == 0 ? nullptr : h.host;
    std::optional<std::string> out;
    REQUIRE_NOTHROW(out = h.dispatcher.handle(text, ctx));
    ctx.activate_subscriptions();
    check_response(out);
  };

  WHEN("every method gets random parameters, by position and by name") {
    for (std::size_t round = 0; round < 40 * scale(); ++round) {
      for (const auto& name : names) {
        json params = gen.below(3) == 0 ? gen.value(3) : json::array();
        if (params.is_array())
          for (uint64_t i = gen.below(5); i > 0; --i) params.push_back(gen.value(3));
        json id = gen.below(5) == 0 ? json(gen.hex(4)) : json(gen.below(1000));
        json request{{"jsonrpc", "2.0"}, {"method", name}, {"params", params}};
        if (gen.below(6) != 0) request["id"] = id;
        INFO(request.dump());
        run(request.dump());
      }
    }
  }
  WHEN("valid requests are mutated byte by byte") {
    std::vector<std::string> seeds;
    for (const auto& name : names)
      seeds.push_back(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", name}, {"params", json::array({"0x01"})}}.dump());
    seeds.push_back(R"([{"jsonrpc":"2.0","id":1,"method":"system_name"},{"jsonrpc":"2.0","method":"system_name"}])");
    for (std::size_t i = 0; i < 4000 * scale(); ++i) {
      auto text = gen.mutate(seeds[gen.below(seeds.size())]);
      INFO(text);
      run(text);
    }
  }
  WHEN("requests nest deeply, repeat keys or carry odd ids") {
    for (const std::string& text : std::vector<std::string>{
             std::string(100000, '['), std::string(200, '[') + std::string(200, ']'),
          R"({"jsonrpc":"2.0","jsonrpc":"1.0","id":1,"method":"system_name"})",
          R"({"jsonrpc":"2.0","id":{"a":1},"method":"system_name"})", R"({"jsonrpc":"2.0","id":[1],"method":"x"})",
          R"({"jsonrpc":"2.0","id":1.5,"method":"system_name"})", R"({"jsonrpc":"2.0","id":1,"method":"system_name","params":7})",
          "[]", "[1,2,3]", "null", "\"\"", "", std::string("\0\0\0", 3)}) {
      INFO(text);
      run(text);
    }
  }
}
