#!/usr/bin/env bash
# Screenshots a dashboard or report page with headless Chromium and checks that it rendered cleanly.
#
#   scripts/dashboard-screenshot.sh HTMLFILE_OR_URL OUT.png
#
# Installs the Debian `chromium` package (and CJK fonts, for the Chinese labels) when missing.
# Fails (exit 1) when the screenshot is not written, the page's DOM is empty, or Chromium logs a
# JavaScript error ("Uncaught …") or a console error for the page.
# Environment: WINDOW_SIZE (default 1400,2000).
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 HTMLFILE_OR_URL OUT.png" >&2
    exit 2
fi
target=$1
out=$2
window=${WINDOW_SIZE:-1400,2000}

case "$target" in
    http://*|https://*|file://*) url=$target ;;
    *)
        if [ ! -f "$target" ]; then echo "error: no such file: $target" >&2; exit 2; fi
        url="file://$(cd "$(dirname "$target")" && pwd)/$(basename "$target")"
        ;;
esac

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not found; installing it with apt-get" >&2
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends chromium fonts-noto-cjk
    browser=$(command -v chromium)
fi
fonts=$(fc-list 2>/dev/null || true)
if ! grep -qi 'cjk' <<<"$fonts"; then
    echo "warning: no CJK font installed (Debian fonts-noto-cjk); Chinese text will show as boxes" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars
       --user-data-dir="$work/profile" --enable-logging=stderr --v=0 --virtual-time-budget=3000)

mkdir -p "$(dirname "$out")"
rm -f "$out"
"$browser" "${flags[@]}" --window-size="$window" --screenshot="$out" "$url" >"$work/shot.out" 2>"$work/shot.err" || {
    echo "error: chromium failed taking the screenshot:" >&2; tail -20 "$work/shot.err" >&2; exit 1; }
"$browser" "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/dom.err" || {
    echo "error: chromium failed dumping the DOM:" >&2; tail -20 "$work/dom.err" >&2; exit 1; }

status=0
if [ ! -s "$out" ]; then
    echo "error: no screenshot written to $out" >&2
    status=1
fi
if ! grep -qi '<body' "$work/dom.html"; then
    echo "error: the page's DOM is empty; it did not render" >&2
    status=1
fi
# Chromium logs page console messages as `CONSOLE(line)] "message", source: …` and uncaught
# exceptions as "Uncaught …"; a blocked resource shows up as a console error too.
errors=$(cat "$work/shot.err" "$work/dom.err" | grep -E 'Uncaught|CONSOLE|console\.error|Refused to|Failed to load' || true)
if [ -n "$errors" ]; then
    echo "error: the page logged console errors:" >&2
    echo "$errors" | sort -u | head -20 >&2
    status=1
fi
svgs=$(grep -o '<svg' "$work/dom.html" | wc -l)
if [ "$status" -eq 0 ]; then
    echo "ok: $out ($(wc -c <"$out") bytes, window $window, $svgs inline SVG charts, no console errors)"
fi
exit "$status"
