#!/usr/bin/env bash
# Configures and builds Bazaar in build/ (Release by default), binaries in build/bin.
# Usage: tools/build.sh [ninja targets...]   (default: everything, tests included)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="${BAZAAR_BUILD_TYPE:-Release}" >/dev/null
ninja -C "$root/build" -j"${BAZAAR_JOBS:-$(nproc)}" "$@"
