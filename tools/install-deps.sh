#!/usr/bin/env bash
# Installs Bazaar's build and test dependencies from Debian 12's packages.
# Idempotent and fast when everything is present: apt-get runs only for
# packages that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-all-dev libsecp256k1-dev libcrypto++-dev libxxhash-dev libleveldb-dev
  nlohmann-json3-dev libfmt-dev libspdlog-dev catch2 wabt
  clang lld wasi-libc libclang-rt-dev-wasm32 libstb-dev
)
if [[ "${BAZAAR_WITH_NODE:-0}" == 1 ]]; then
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
