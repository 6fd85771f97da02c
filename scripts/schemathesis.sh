#!/usr/bin/env bash
# Proves the internal API against its contract (docs/openapi.yaml) with schemathesis: starts a throwaway
# node (its own CA, home, a few entries, an outbox with a match and a retraction), serves it, and runs every
# check (no 5xx, no undocumented status or content type, every answer inside its schema, malformed input
# refused with a documented 4xx, the bearer token enforced, 405 with Allow for other methods, no answer
# slower than 1 s) over positive and negative data, the contract's examples, its coverage cases and its
# stateful links. Prints the operations and cases run; exits non-zero on any failure.
#
#   scripts/schemathesis.sh [--binary PATH] [--examples N] [--seed N] [--workers N] [--keep] [-- SCHEMATHESIS ARGS]
#     --binary PATH   the exchange-node to test (default .build/debug/exchange-node; CI passes it)
#     --examples N    test cases per operation (default 40, or $SCHEMATHESIS_EXAMPLES); more for a long run
#     --seed N        reproduce a run
#     --workers N     concurrent schemathesis workers (default 1)
#     --keep          keep the throwaway node's folder (printed) for inspection
#     -- ARGS         passed on to `schemathesis run` (e.g. -- --include-path /v1/screen --phases fuzzing)
# Needs python3 with schemathesis 4.x (`pip install schemathesis`) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

binary=.build/debug/exchange-node
examples=${SCHEMATHESIS_EXAMPLES:-40}
seed=""
workers=1
keep=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --examples) examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "schemathesis.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$binary" in /*) ;; *) binary="$repo/$binary" ;; esac
[ -x "$binary" ] || { echo "schemathesis.sh: no executable at $binary (swift build first, or --binary PATH)" >&2; exit 2; }
# `python3 -m schemathesis.cli` works wherever pip put the package, with or without its script on PATH.
st() { python3 -m schemathesis.cli "$@"; }
st --version >/dev/null 2>&1 || { echo "schemathesis.sh: schemathesis is not installed (pip install schemathesis)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/schemathesis-node.XXXXXX")
node_pid=""
cleanup() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$node_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
peer_port=$(free_port)
internal_port=$(free_port)
base="http://127.0.0.1:$internal_port"

# A throwaway member: CA, certificate, home, three entries (one red-list), an outbox with two matches and a retraction.
x() { "$binary" "$@" >>"$work/setup.log" 2>&1 || { echo "schemathesis.sh: '$*' failed:" >&2; cat "$work/setup.log" >&2; exit 1; }; }
x certs init --dir "$work/ca"
x certs issue --dir "$work/ca" --member alpha --ip 127.0.0.1
x init --home "$work/home" --member alpha --certs "$work/ca/members/alpha" \
  --listen "127.0.0.1:$peer_port" --internal-listen "127.0.0.1:$internal_port"
cat >"$work/entries.csv" <<'EOF'
entry_id,list,category,severity,kind,identifier,listed_on,expires_on
E1,black,brushing,2,phone,+8613800138000,2026-01-01,
E2,black,counterfeiting,3,uscc,91350100M000100Y43,2026-01-01,2099-12-31
E3,red,trustworthy,1,email,seller@example.com,2026-01-01,
EOF
x import --home "$work/home" "$work/entries.csv"
printf 'ref,kind,identifier\nacct-1,phone,13800138000\nacct-2,uscc,91350100M000100Y43\n' >"$work/accounts.csv"
"$binary" screen --home "$work/home" "$work/accounts.csv" --out "$work/matches.jsonl" >>"$work/setup.log" 2>&1 || true
x revoke --home "$work/home" --entry E2 --reason erroneous

"$binary" serve --home "$work/home" --no-sync >"$work/serve.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/v1/health" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { echo "schemathesis.sh: serve exited:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
token=$(tr -d '[:space:]' <"$work/home/keys/internal-api.token")

status=0
# The contract the node serves is the one in the repository.
if curl -fsS "$base/openapi.yaml" -o "$work/served.yaml" 2>/dev/null && cmp -s "$work/served.yaml" docs/openapi.yaml; then
  echo "GET /openapi.yaml serves docs/openapi.yaml"
else
  echo "FAILED: GET /openapi.yaml does not serve docs/openapi.yaml" >&2
  status=1
fi

# Operations the contract marks `x-pending` (specified, not served yet) are left out, and named.
pending=$(python3 - <<'PY'
import yaml
spec = yaml.safe_load(open("docs/openapi.yaml"))
print(" ".join(op["operationId"] for item in spec["paths"].values() for op in item.values()
               if isinstance(op, dict) and "x-pending" in op))
PY
)
excluded=()
for id in $pending; do excluded+=(--exclude-operation-id "$id"); done
[ -n "$pending" ] && echo "left out (x-pending in the contract): $pending"

args=(run docs/openapi.yaml --url "$base" -H "Authorization: Bearer $token" --checks all
      --mode all --max-examples "$examples" --max-response-time 1 --workers "$workers"
      --request-timeout 5 --generation-database none --continue-on-failure --no-color)
[ -n "$seed" ] && args+=(--seed "$seed")
args+=("${excluded[@]}")
args+=("${extra[@]}")
set +e
st --config-file scripts/schemathesis.toml "${args[@]}" 2>&1 | tee "$work/schemathesis.log"
run_status=${PIPESTATUS[0]}
set -e
[ "$run_status" = 0 ] || status=1

# Totals, from schemathesis's own summary ("Tested: N" operations, "N generated" test cases).
operations=$(grep -Eo 'Tested: [0-9]+' "$work/schemathesis.log" | tail -1 | grep -Eo '[0-9]+' || echo "?")
cases=$(grep -Eo '[0-9]+ generated' "$work/schemathesis.log" | tail -1 | grep -Eo '[0-9]+' || echo "?")
if ! kill -0 "$node_pid" 2>/dev/null; then
  echo "FAILED: the node died during the run" >&2; tail -20 "$work/serve.log" >&2; status=1
fi
echo "schemathesis: $operations operations, $cases test cases, exit status $run_status"
if [ "$status" = 0 ]; then echo "schemathesis.sh: passed"; else echo "schemathesis.sh: FAILED" >&2; fi
exit "$status"
