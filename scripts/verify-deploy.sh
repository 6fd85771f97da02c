#!/usr/bin/env bash
# Checks the systemd units in deploy/ (for CI and before an install):
#   1. `systemd-analyze verify` accepts every unit and timer with no message at all (an unknown or
#      misspelt key is only a warning there, so any output fails the check);
#   2. `systemd-analyze security --offline` rates every service at or below the exposure threshold;
#   3. the hardening the operations guide promises is present in each daemon unit (dedicated user,
#      NoNewPrivileges, ProtectSystem=strict, ReadWritePaths = the home only, PrivateTmp,
#      ProtectHome, no capability, address families, syscall filter, Restart=on-failure,
#      UMask=0077, TimeoutStopSec that leaves the 2 s graceful stop a margin);
#   4. the users and directories of deploy/sysusers.d and deploy/tmpfiles.d are created as
#      declared, in a scratch root;
#   5. every ExecStart names a subcommand of the binary and only options its --help lists.
#
# Usage: scripts/verify-deploy.sh [BINARY] [--threshold N]
#   BINARY defaults to $EXCHANGE_NODE_BIN, else .build/debug/exchange-node, else exchange-node on PATH.
#   systemd-analyze must be installed (Debian: apt-get install systemd; it needs no running systemd).
set -euo pipefail
cd "$(dirname "$0")/.."

threshold=2.0
binary="${EXCHANGE_NODE_BIN:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --threshold) threshold="$2"; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "verify-deploy.sh: unknown option $1" >&2; exit 2 ;;
    *) binary="$1" ;;
  esac
  shift
done
if [ -z "$binary" ]; then
  if [ -x .build/debug/exchange-node ]; then binary=.build/debug/exchange-node
  else binary="$(command -v exchange-node || true)"; fi
fi
[ -n "$binary" ] && [ -x "$binary" ] || { echo "verify-deploy.sh: no exchange-node binary (build it, or pass its path)" >&2; exit 2; }
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
command -v systemd-analyze >/dev/null || { echo "verify-deploy.sh: systemd-analyze is missing (apt-get install systemd)" >&2; exit 2; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The units name the installed path; verify checks that the executable exists, so check copies
# that name the binary under test instead.
mkdir -p "$scratch/units"
units=()
for unit in deploy/*.service deploy/*.timer; do
  sed "s#/usr/local/bin/exchange-node#$binary#g" "$unit" > "$scratch/units/$(basename "$unit")"
  units+=("$(basename "$unit")")
done

# 1. systemd-analyze verify, silent.
out="$(cd "$scratch/units" && systemd-analyze verify --man=no "${units[@]}" 2>&1)" && rc=0 || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then fail "systemd-analyze verify (exit $rc): $out"; else pass "systemd-analyze verify ${units[*]}"; fi

# 2. Exposure, offline.
for unit in "${units[@]}"; do
  case "$unit" in *.service) ;; *) continue ;; esac
  line="$(systemd-analyze security --offline=true --no-pager "$scratch/units/$unit" 2>&1 | grep 'Overall exposure level' || true)"
  level="$(sed -E 's/.*: ([0-9.]+) .*/\1/' <<<"$line")"
  if [ -z "$level" ]; then fail "$unit: no exposure level from systemd-analyze security"
  elif awk -v l="$level" -v t="$threshold" 'BEGIN { exit !(l <= t) }'; then pass "$unit exposure $level <= $threshold"
  else fail "$unit exposure $level > $threshold"; fi
done

# 3. The hardening each daemon promises (the effective value: the last assignment wins).
setting() { grep -E "^$2=" "deploy/$1" | tail -1 | cut -d= -f2-; }
expect() {  # unit key value
  local actual; actual="$(setting "$1" "$2")"
  if [ "$actual" = "$3" ]; then pass "$1 $2=$3"; else fail "$1: $2 is '${actual}', expected '$3'"; fi
}
for pair in exchange-node.service:exchange-node exchange-coordinator.service:exchange-coordinator; do
  unit="${pair%%:*}"; user="${pair##*:}"; home="/var/lib/$user"
  expect "$unit" User "$user"
  expect "$unit" Group "$user"
  expect "$unit" NoNewPrivileges yes
  expect "$unit" ProtectSystem strict
  expect "$unit" ProtectHome yes
  expect "$unit" PrivateTmp yes
  expect "$unit" ReadWritePaths "$home"
  expect "$unit" StateDirectory "$user"
  expect "$unit" UMask 0077
  expect "$unit" Restart on-failure
  expect "$unit" CapabilityBoundingSet ""
  expect "$unit" RestrictAddressFamilies "AF_INET AF_INET6 AF_UNIX AF_NETLINK"
  expect "$unit" SystemCallArchitectures native
  expect "$unit" LimitCORE 0
  grep -qE "^SystemCallFilter=@system-service$" "deploy/$unit" && pass "$unit SystemCallFilter=@system-service" \
    || fail "$unit: no SystemCallFilter=@system-service"
  grep -qE "^ExecStart=/usr/local/bin/exchange-node .*--home $home( |$)" "deploy/$unit" && pass "$unit runs with --home $home" \
    || fail "$unit: ExecStart does not use --home $home"
  # TimeoutStopSec must leave the 2 s graceful stop at least a 5x margin.
  stop="$(setting "$unit" TimeoutStopSec)"
  micros="$(systemd-analyze timespan "$stop" 2>/dev/null | awk '/μs:/ { print $2 }')"
  if [ -n "$micros" ] && [ "$micros" -ge 10000000 ]; then pass "$unit TimeoutStopSec=$stop (>= 10 s)"
  else fail "$unit: TimeoutStopSec '$stop' is under 10 s or unreadable"; fi
done
expect exchange-node-backup.service User exchange-node
expect exchange-node-backup.service ReadWritePaths "/var/lib/exchange-node /var/backups/exchange-node"
expect exchange-node-backup.service PrivateNetwork yes

# 4. Users and directories, in a scratch root.
mkdir -p "$scratch/root/etc"
if systemd-sysusers --root="$scratch/root" "$PWD/deploy/sysusers.d/exchange-node.conf" >/dev/null 2>&1 \
   && systemd-tmpfiles --root="$scratch/root" --create "$PWD/deploy/tmpfiles.d/exchange-node.conf" >/dev/null 2>&1; then
  for user in exchange-node exchange-coordinator; do
    shell="$(awk -F: -v u="$user" '$1 == u { print $7 }' "$scratch/root/etc/passwd")"
    [ "$shell" = /usr/sbin/nologin ] && pass "sysusers creates $user without a login shell" || fail "sysusers: $user has shell '$shell'"
  done
  uid="$(awk -F: '$1 == "exchange-node" { print $3 }' "$scratch/root/etc/passwd")"
  mode="$(stat -c '%a %u' "$scratch/root/var/backups/exchange-node" 2>/dev/null || true)"
  [ "$mode" = "700 $uid" ] && pass "tmpfiles creates /var/backups/exchange-node 0700 exchange-node" \
    || fail "tmpfiles: /var/backups/exchange-node is '$mode', expected '700 $uid'"
else
  fail "systemd-sysusers / systemd-tmpfiles refused deploy/sysusers.d or deploy/tmpfiles.d"
fi

# 5. Every ExecStart (commented alternatives too) is a command line the binary accepts.
while IFS= read -r line; do
  read -r -a words <<<"${line#*=}"
  subcommand=()
  for word in "${words[@]:1}"; do
    case "$word" in -*) break ;; *) subcommand+=("$word") ;; esac
  done
  # An unknown subcommand makes --help print the root command's help: require the subcommand's usage line.
  help="$("$binary" "${subcommand[@]}" --help 2>&1 || true)"
  if ! grep -qF "USAGE: exchange-node ${subcommand[*]} " <<<"$help"; then
    fail "'exchange-node ${subcommand[*]}' is not a command of $binary"; continue
  fi
  missing=()
  for word in "${words[@]}"; do
    case "$word" in --*) grep -qE -- "(^|[ ,\[])${word}([ =<,]|$)" <<<"$help" || missing+=("$word") ;; esac
  done
  if [ ${#missing[@]} -eq 0 ]; then pass "command line accepted: ${words[*]:1}"
  else fail "exchange-node ${subcommand[*]} has no option ${missing[*]}"; fi
done < <(grep -hE '^#? ?ExecStart=/usr/local/bin/exchange-node ' deploy/*.service | sed 's/^# //')

if [ "$failures" -gt 0 ]; then echo "verify-deploy: $failures check(s) failed"; exit 1; fi
echo "verify-deploy: all checks passed"
