#!/usr/bin/env bash
# The Bazaar demo, end to end on a fresh Debian 12 machine:
#   installs what is missing, builds in Release, starts a dev chain whose node
#   also runs the provider worker as //Bob, and, as the requester //Alice,
#   uploads the image-resize program, posts a task with a real image, follows
#   it (posted -> claimed -> result submitted -> completed) block by block,
#   writes the resized PNG, checks it decodes, and shows the balances move.
#
# Usage: tools/quickstart.sh [--input FILE] [--output FILE] [--bounty CC] [--rpc-port N] [--keep]
#   --keep  leave the node running afterwards and say how to reach it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
input=/usr/share/pixmaps/debian-logo.png
output=$PWD/resized.png
bounty=5
port=${BAZAAR_RPC_PORT:-9944}
keep=0
while (($#)); do
  case "$1" in
    --input) input=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    --bounty) bounty=$2; shift 2 ;;
    --rpc-port) port=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "quickstart: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -r "$input" ]] || { echo "quickstart: cannot read input image $input" >&2; exit 2; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Installing dependencies (apt-get, only what is missing)"
"$root/tools/install-deps.sh"

step "Building (Release)"
"$root/tools/build.sh" bazaar-node bazaar bazaar-worker bazaar-image-info bazaar_tasks

bin=$root/build/bin
program=$root/build/tasks/resize.wasm
rpc=ws://127.0.0.1:$port
logdir=$(mktemp -d /tmp/bazaar-quickstart.XXXXXX)
node_pid=
cleanup() {
  if [[ -n "$node_pid" && $keep == 0 ]]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

step "Starting a dev chain: bazaar-node --dev --tmp --provider --provider-key //Bob (RPC $rpc)"
"$bin/bazaar-node" --dev --tmp --rpc-port "$port" --provider --provider-key //Bob >"$logdir/node.log" 2>&1 &
node_pid=$!

wallet() { "$bin/bazaar" --rpc "$rpc" "$@"; }

# Poll (with a deadline) until the RPC answers and the provider has registered.
deadline=$((SECONDS + 120))
until wallet provider info //Bob >/dev/null 2>&1; do
  if ! kill -0 "$node_pid" 2>/dev/null; then
    echo "quickstart: the node exited; its log:" >&2; tail -n 40 "$logdir/node.log" >&2; exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "quickstart: the node or its provider did not come up in time; log: $logdir/node.log" >&2; exit 1
  fi
  sleep 0.5
done
wallet provider info //Bob

free_of() { wallet --json balance "$1" | sed -E 's/.*"free":"([0-9]+)".*/\1/'; }
fmt_cc() { awk -v u="$1" 'BEGIN { printf "%+.6f CC", u / 1e12 }'; }

step "Balances before"
alice_before=$(free_of //Alice); bob_before=$(free_of //Bob)
wallet balance //Alice
wallet balance //Bob

step "Alice posts a task: resize $(basename "$input") with $(basename "$program"), bounty $bounty CC"
rm -f "$output"
wallet --signer //Alice task post --program "$program" --input "$input" --bounty "$bounty" \
  --fuel 4000000000 --deadline 60 --wait --accept --output "$output"

step "Checking the result"
dims=$("$bin/bazaar-image-info" "$output")
width=${dims%x*}; height=${dims#*x}
if (( (width > height ? width : height) != 128 )); then
  echo "quickstart: expected the longer side to be 128 px, got $dims" >&2; exit 1
fi
echo "$output: PNG, ${dims} (input $("$bin/bazaar-image-info" "$input"))"

step "Balances after"
alice_after=$(free_of //Alice); bob_after=$(free_of //Bob)
wallet balance //Alice
wallet balance //Bob
echo
echo "Alice (requester, and the dev chain's block author who collects every fee): $(fmt_cc $((alice_after - alice_before)))"
echo "Bob   (provider: bounty minus the protocol fee, minus his own claim/submit fees): $(fmt_cc $((bob_after - bob_before)))"

if ((keep)); then
  trap - EXIT
  step "The node keeps running (pid $node_pid)"
  echo "  RPC:   $rpc   (e.g. $bin/bazaar --rpc $rpc balance //Alice)"
  echo "  log:   $logdir/node.log"
  echo "  stop:  kill $node_pid"
else
  step "Done. Stopping the node (use --keep to leave it running)"
fi
