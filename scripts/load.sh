#!/usr/bin/env bash
# Bounded load run on loopback (issue 7, part 4): one hub node serves real-time screening to
# concurrent clients while three peers sync from it in a loop and it keeps amending its entries
# (new versions, same number of entries); prints throughput, p50/p99, errors and the resident
# memory curve. Loopback only; stops by itself.
#   scripts/load.sh                  short mode (8 s, debug build: what CI runs)
#   scripts/load.sh --long [SECONDS] against a release build (builds it if needed), 300 s by default
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--long" ]; then
  swift build -c release --product exchange-node >/dev/null
  exec .build/release/exchange-node bench --load-only --load-seconds "${2:-300}" --load-clients 32
fi
[ -x .build/debug/exchange-node ] || swift build --product exchange-node >/dev/null
exec .build/debug/exchange-node bench --load-only --load-seconds 8 --load-clients 8
