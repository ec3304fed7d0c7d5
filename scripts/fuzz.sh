#!/usr/bin/env bash
# Runs the libFuzzer targets (Fuzz/Targets) for SECONDS each, one after the other, and prints per target the
# executions and the crashing inputs found. A crash does not end a target's turn: the fuzzer restarts (keeping its
# corpus) until the time is used, at most 20 times. See docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh SECONDS [target...]      e.g. scripts/fuzz.sh 600, scripts/fuzz.sh 60 NPY WFDBHeader
# Environment: FUZZ_DIR (work folder, default .build/fuzz: corpora, crashes, logs; outside git),
#              SHARED (shared data read for seeds, default ../shared), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] && [[ "$1" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh SECONDS [target...]" >&2; exit 64; }
seconds=$1; shift
work="${FUZZ_DIR:-$root/.build/fuzz}"
shared="${SHARED:-$root/../shared}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(for f in "$root"/Fuzz/Targets/*Fuzz.swift; do basename "$f" Fuzz.swift; done)

"$root/Fuzz/build.sh" "${targets[@]}"
for target in "${targets[@]}"; do
  [ -d "$work/seeds/$target" ] || { python3 "$root/Fuzz/seeds.py" "$work/seeds" "$shared"; break; }
done

# A Swift trap under the fuzzer must not start the runtime's interactive backtracer (it waits on the process).
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-symbolize=1:detect_leaks=0}"
printf '%-14s %8s %12s %10s %8s\n' target seconds executions exec/s crashes
for target in "${targets[@]}"; do
  corpus="$work/corpus/$target" crashes="$work/crashes/$target" log="$work/logs/$target.log"
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  : >"$log"
  seeds=()
  [ -d "$work/seeds/$target" ] && seeds=("$work/seeds/$target")
  start=$(date +%s) runs=0 executions=0
  while left=$((seconds - ($(date +%s) - start))); [ "$left" -gt 0 ] && [ "$runs" -lt 20 ]; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    "$work/bin/$target" "$corpus" "${seeds[@]}" -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 \
      -max_len=16384 -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_ARGS:-} >>"$log" 2>&1 || true
    executions=$((executions + $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)))
    seeds=()  # the seeds are in the corpus after the first run
  done
  elapsed=$(($(date +%s) - start))
  found=$(find "$crashes" -type f | wc -l)
  printf '%-14s %8d %12d %10d %8d\n' "$target" "$elapsed" "$executions" $((executions / (elapsed > 0 ? elapsed : 1))) "$found"
done
echo "crashing inputs: $work/crashes/<target>/, logs: $work/logs/"
