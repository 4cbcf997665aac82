#pragma once
// `bazaar tx` and `bazaar query`: any call and any storage item of the node's
// runtime, built and decoded generically from the node's metadata
// (state_getMetadata) with runtime/metadata/dynamic.hpp.

#include <string>
#include <vector>

#include "tools/wallet/wallet.hpp"

namespace bazaar::tools::wallet {

/// bazaar tx MODULE CALL [ARG...] [--encode-only] [--metadata FILE] [--suri SURI]
///           [--tip UNITS] [--immortal] [--finalized] [--ss58]
/// Each ARG is parsed as JSON, falling back to a plain string (//Bob, 12.5 CC).
int run_tx(Wallet& w, const std::vector<std::string>& args);

/// bazaar query MODULE ITEM [KEY...] [--at HASH] [--metadata FILE] [--ss58]
/// Prints the decoded value as JSON; a map given fewer keys than it has prints
/// all entries under them as [{"keys": [...], "value": ...}].
int run_query(Wallet& w, const std::vector<std::string>& args);

/// One command-line argument as JSON: valid JSON as such (a number, "…", {…},
/// […], true, null), anything else as a string. Integers too large for JSON
/// numbers stay decimal strings.
nlohmann::json parse_cli_value(const std::string& text);

}  // namespace bazaar::tools::wallet
