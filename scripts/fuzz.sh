#!/usr/bin/env bash
# Fuzzes the wire decoders and the tabular reader:
#   feed   FeedPage(decoding:) under default and tiny limits, then FeedVerifier
#   event  EntryEvent(canonical:)
#   csv    InputFuzzEntry.parse(bytes:) (CSV and JSONL readers, default and tiny limits)
# A target fails when an input crashes it or breaks a property it checks (an accepted page or event
# must re-encode to exactly its input; limits hold; the verifier's digests are right).
#
# Engine: libFuzzer (coverage-guided, `swiftc -sanitize=fuzzer,address`) when the toolchain has it,
# otherwise a seeded random + mutation fuzzer built from the same target sources (`--engine seeded`
# forces it). The harness is compiled straight from Sources/ (ExchangeCrypto, ExchangeProtocol and
# ExchangeNode/Input as three modules) and links swift-crypto's objects from the debug build in .build,
# so it does not rebuild the package. Output, corpora and crash inputs go to .build/fuzz/.
#
# Usage: scripts/fuzz.sh [--long] [--runs N] [--targets "feed event csv"] [--engine libfuzzer|seeded]
#   short (default): 100 000 inputs per target, fixed seed, about a minute after the build
#   --long:          5 000 000 inputs per target, random seed, corpus kept in .build/fuzz/corpus
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=short
runs=100000
targets="feed event csv"
engine=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --long) mode=long; runs=5000000 ;;
    --runs) runs="$2"; shift ;;
    --targets) targets="$2"; shift ;;
    --engine) engine="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

out="$root/.build/fuzz"
mkdir -p "$out/obj" "$out/modules" "$out/logs"
debug="$root/.build/debug"

echo "== fuzz ($mode mode, $runs inputs per target)"
# swift-crypto's objects and module interfaces come from the debug build; building the one target that
# needs them is a no-op when `swift build`/`swift test` already ran.
swift build --target ExchangeProtocol >"$out/logs/swift-build.log" 2>&1 || {
  tail -30 "$out/logs/swift-build.log"; echo "fuzz.sh: swift build --target ExchangeProtocol failed" >&2; exit 1; }

# Dependency modules for the harness: everything the debug build has except the three modules compiled here.
rm -f "$out/modules"/*.swiftmodule
for module in "$debug"/Modules/*.swiftmodule; do
  case "$(basename "$module")" in
    ExchangeCrypto.swiftmodule|ExchangeProtocol.swiftmodule|ExchangeNode.swiftmodule|ExchangeNodeTests.swiftmodule) ;;
    *) ln -s "$module" "$out/modules/" ;;
  esac
done
crypto_objects=()
for target in Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims CXKCP CXKCPShims; do
  [ -d "$debug/$target.build" ] || { echo "fuzz.sh: $debug/$target.build is missing (swift-crypto layout changed?)" >&2; exit 1; }
  while IFS= read -r object; do crypto_objects+=("$object"); done < <(find "$debug/$target.build" -name '*.o')
done

# compile_module NAME SANITIZE SOURCES...: one whole-module object and its .swiftmodule.
compile_module() {
  local name=$1 sanitize=$2; shift 2
  swiftc -parse-as-library -wmo -O -c $sanitize -module-name "$name" -package-name exchange_node \
    -emit-module -emit-module-path "$out/obj/$engine_dir/$name.swiftmodule" \
    -I "$out/obj/$engine_dir" -I "$out/modules" "$@" -o "$out/obj/$engine_dir/$name.o" \
    2> >(grep -v -E 'warning:|^\s*$|note:' >&2 || true)
}

# build ENGINE: compiles the harness for libfuzzer or seeded into $out/xn-fuzz-ENGINE.
build() {
  local which=$1 sanitize
  engine_dir=$which
  mkdir -p "$out/obj/$engine_dir"
  if [ "$which" = libfuzzer ]; then sanitize="-sanitize=fuzzer,address"; else sanitize=""; fi
  compile_module ExchangeCrypto "$sanitize" $(find Sources/Crypto -name '*.swift' | sort)
  compile_module ExchangeProtocol "$sanitize" $(find Sources/Protocol -name '*.swift' | sort)
  compile_module ExchangeInput "$sanitize" $(find Sources/ExchangeNode/Input -name '*.swift' | sort)
  local harness=(scripts/fuzz/FuzzTargets.swift scripts/fuzz/FuzzSeeds.swift scripts/fuzz/SeedWriter.swift)
  if [ "$which" = libfuzzer ]; then
    harness+=(scripts/fuzz/FuzzEntryPoints.swift)
  else
    harness+=(scripts/fuzz/SeededDriver.swift)
  fi
  swiftc -parse-as-library -O $sanitize -module-name XNFuzz -I "$out/obj/$engine_dir" -I "$out/modules" \
    "${harness[@]}" "$out/obj/$engine_dir"/Exchange{Crypto,Protocol,Input}.o "${crypto_objects[@]}" -lstdc++ \
    -o "$out/xn-fuzz-$which" 2> >(grep -v -E 'warning:|^\s*$|note:' >&2 || true)
}

started=$(date +%s)
if [ "$engine" = auto ] || [ "$engine" = libfuzzer ]; then
  if build libfuzzer >"$out/logs/build-libfuzzer.log" 2>&1 && [ -x "$out/xn-fuzz-libfuzzer" ]; then
    engine=libfuzzer
  elif [ "$engine" = libfuzzer ]; then
    cat "$out/logs/build-libfuzzer.log" >&2; echo "fuzz.sh: libFuzzer build failed" >&2; exit 1
  else
    echo "libFuzzer is not usable here (see $out/logs/build-libfuzzer.log); using the seeded engine"
    engine=seeded
  fi
fi
if [ "$engine" = seeded ]; then
  build seeded >"$out/logs/build-seeded.log" 2>&1 || { cat "$out/logs/build-seeded.log" >&2; exit 1; }
fi
echo "built the $engine harness in $(( $(date +%s) - started )) s"

if [ "$mode" = long ]; then seed=$(( $(date +%s) % 1000000 + 1 )); else seed=20260701; fi
failed=0
summary=()
for target in $targets; do
  artifacts="$out/artifacts/$target"
  log="$out/logs/$target-$mode.log"
  mkdir -p "$artifacts"
  t0=$(date +%s)
  status=0
  if [ "$engine" = libfuzzer ]; then
    corpus="$out/corpus/$target"
    [ "$mode" = long ] || corpus="$out/corpus-short/$target"
    rm -rf "$out/corpus-short/$target"
    mkdir -p "$corpus" "$out/seeds/$target"
    FUZZ_TARGET=$target FUZZ_WRITE_SEEDS="$out/seeds/$target" "$out/xn-fuzz-libfuzzer" >/dev/null 2>&1
    case $target in feed) max_len=16384 ;; event) max_len=4096 ;; *) max_len=8192 ;; esac
    # Swift's own crash reporter would catch the signal before libFuzzer can save the input.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 FUZZ_TARGET=$target \
      "$out/xn-fuzz-libfuzzer" -runs="$runs" -seed="$seed" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$out/seeds/$target" >"$log" 2>&1 || status=$?
    done_runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
    coverage=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
    corpus_size=$(find "$corpus" -type f | wc -l)
    extra="$coverage, corpus $corpus_size"
  else
    SWIFT_BACKTRACE=enable=no "$out/xn-fuzz-seeded" "$target" "$runs" "$seed" "$artifacts" >"$log" 2>&1 || status=$?
    done_runs=$runs
    [ $status -eq 0 ] || done_runs='?'
    extra="no coverage feedback"
  fi
  seconds=$(( $(date +%s) - t0 ))
  if [ $status -ne 0 ]; then
    failed=1
    summary+=("$target: FAILED (exit $status) after ${seconds} s; log $log; crash inputs in $artifacts")
    grep -E 'Fatal error|precondition|ERROR: (libFuzzer|AddressSanitizer)|SUMMARY' "$log" | head -5 >&2 || true
  else
    summary+=("$target: $done_runs inputs in ${seconds} s ($extra)")
  fi
done

echo "== fuzz results ($engine, seed $seed)"
for line in "${summary[@]}"; do echo "  $line"; done
exit $failed
