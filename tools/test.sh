#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest): unit tests,
# integration tests that start real bazaar-node processes on loopback ports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/install-deps.sh"
mkdir -p "$root/build"
"$root/tools/build.sh"
cd "$root/build"
ctest --output-on-failure -j"${BAZAAR_TEST_JOBS:-2}" --timeout 600 "$@"
