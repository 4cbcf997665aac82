#pragma once
// Loads tests/fixtures/vectors.json (a copy of shared/spec/vectors.json, the
// byte layouts polkadot.js produces) for tests that check against it.

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace bazaar::test {

inline const nlohmann::json& vectors() {
  static const nlohmann::json v = [] {
    std::ifstream in(std::string(BAZAAR_FIXTURES_DIR) + "/vectors.json");
    if (!in) throw std::runtime_error("cannot open tests/fixtures/vectors.json");
    return nlohmann::json::parse(in)["vectors"];
  }();
  return v;
}

}  // namespace bazaar::test
