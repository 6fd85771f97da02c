#!/usr/bin/env bash
# Fault runner: drives real exchange-node processes (the debug binary in .build) through
#   - the SIGKILL campaign (Faults: SIGKILL campaign): kills at random moments during import, sync (the
#     pulling node or the serving one) and outbox delivery, restarts, and checks that nothing is lost or
#     duplicated, cursors stay consistent and the stores end equal to a clean run;
#   - the peer-fault suites (down, garbage, reset, slow, stalled, gaps/replays/forgeries, backoff and
#     convergence while serving, clock skew) and the hostile-input suites, unless --kills-only.
#
# Usage: scripts/faults.sh [--long] [--kills N] [--entries N] [--seed N] [--kills-only]
#   short (default): 3 kills per phase (9 in all), 3 000 entries per file
#   --long:          20 kills per phase (60 in all), 12 000 entries per file (the killed sync pulls in
#                    pages and transactions of 2 000 events, so kills land between committed ones too)
# The figures are printed and written to .build/faults/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

kills=3
entries=3000
seed=""
suites="KillCampaignTests|PeerFaultTests|ClockSkewTests|FeedReplayTests|Hostile"
while [ $# -gt 0 ]; do
  case "$1" in
    --long) kills=20; entries=12000 ;;
    --kills) kills="$2"; shift ;;
    --entries) entries="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --kills-only) suites="KillCampaignTests" ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "faults.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$seed" ] || seed=$(( $(date +%s) % 1000000 + 1 ))

out=.build/faults
mkdir -p "$out"
report="$(pwd)/$out/report.txt"
: >"$report"

echo "== faults: $kills kills per phase, $entries entries per file, seed $seed"
# Reuses the debug build when it is current (in CI, `swift test` has just built it).
swift build --build-tests >"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; echo "faults.sh: build failed" >&2; exit 1; }

started=$(date +%s)
status=0
XN_FAULT_KILLS=$kills XN_FAULT_ENTRIES=$entries XN_FAULT_SEED=$seed XN_FAULT_REPORT="$report" \
  swift test --skip-build --filter "$suites" >"$out/test.log" 2>&1 || status=$?

grep -E '✘|error:|Expectation failed|recorded an issue' "$out/test.log" | head -40 || true
summary=$(grep -E 'Test run with [0-9]+ tests?' "$out/test.log" | tail -1 || true)
echo "== fault results ($(( $(date +%s) - started )) s): ${summary:-no summary, see $out/test.log}"
cat "$report"
[ $status -eq 0 ] || { echo "faults.sh: FAILED (log: $out/test.log; rerun with --seed $seed)" >&2; exit 1; }
