#pragma once
// bazaar channel open|fund|top-up|list|close|settle|watch and
// bazaar task run --channel: payment channels from the requester's side
// (node/offchain/channels). Channel states live in the requester's own
// LevelDB, `--store DIR` (default $BAZAAR_CHANNEL_STORE, else ~/.bazaar/channels).

#include "tools/wallet/wallet.hpp"

namespace bazaar::tools::wallet {

/// `bazaar channel SUBCOMMAND ...`. Throws CommandError.
int run_channel(Wallet& w, const std::vector<std::string>& args);
/// `bazaar task run --channel ID --program FILE|HASH --input FILE ...` (args start with "run"). Throws CommandError.
int run_channel_task(Wallet& w, const std::vector<std::string>& args);

}  // namespace bazaar::tools::wallet
