#pragma once
// Runs the provider worker on its own thread inside the node (--provider):
// the adapter between node/service's ProviderLauncher hook and Worker.

#include "node/service/provider_hook.hpp"

namespace bazaar::node::offchain {

/// A launcher that opens a Worker for the launch parameters and runs it on a
/// thread until the returned handle is destroyed.
service::ProviderLauncher make_provider_launcher();

}  // namespace bazaar::node::offchain
