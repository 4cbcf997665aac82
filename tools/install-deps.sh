#!/usr/bin/env bash
# Installs Bazaar's build and test dependencies from Debian 12's packages.
# Idempotent and fast when everything is present: apt-get runs only for
# packages that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-all-dev libsecp256k1-dev libcrypto++-dev libxxhash-dev libleveldb-dev libjemalloc-dev
  nlohmann-json3-dev libfmt-dev libspdlog-dev catch2 wabt
  clang lld wasi-libc libclang-rt-dev-wasm32 libstb-dev jq
)
# Node.js (>= 18) and npm run the end-to-end tests with @polkadot/api (tests/e2e). Debian 12's nodejs is 18;
# a newer Node.js installed another way (e.g. NodeSource, which bundles npm) is kept as it is.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ((node_major < 18)) || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
