#!/usr/bin/env bash
# The prepared GPU check that evaluation and sampling run on CUDA, from a run folder a pretraining left (by default
# the one scripts/gpu_check_distributed.sh writes): ecg sample, ecg eval --task generation, reconstruction and
# classification (linear probe on the store's synthetic labels, with the random-initialisation row) on --device,
# each checked for its exit status and its output file.
#
#   scripts/gpu_check_eval.sh RUN STORE       # prints PASS or FAIL lines, exits non-zero on a failure
#   DEVICE=cpu ECG=.build/debug/ecg scripts/gpu_check_eval.sh RUN STORE   # the same on the CPU
#
# RUN: a DiT run folder over STORE's windows (segment 250), e.g. OUT/runs/pretrain/trans_continuous_dit/0 of the
# distributed check. OUT keeps the outputs and logs; TIMEOUT bounds each command (seconds).
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: scripts/gpu_check_eval.sh RUN STORE" >&2; exit 64; }
source scripts/gpu_env.sh
run=$1
store=$2
device=${DEVICE:-cuda}
out=${OUT:-${TMPDIR:-/tmp}/ecg-gpu-check-eval}
limit=${TIMEOUT:-120}
rm -rf "$out" && mkdir -p "$out"
failures=0
# step NAME EXPECTED_FILE COMMAND...: runs COMMAND (its output in OUT/NAME.log) and checks status and file.
step() {
  local name=$1 expected=$2 start status
  shift 2
  start=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  status=$?
  if [ "$status" -eq 0 ] && [ -e "$expected" ]; then
    echo "PASS $name on $device ($(($(date +%s) - start)) s)"
  else
    echo "FAIL $name on $device: status $status, $expected $([ -e "$expected" ] && echo present || echo missing)"
    tail -5 "$out/$name.log" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}
common=(--nn_ckpt "$run" --data "$store" --segment_len 250 --seeds 0 --device "$device")
step sample "$run/samples.svg" "$ecg" sample "$run" --count 2 --steps 5 --device "$device"
step generation "$out/generation/generation_None_$(basename "$store")_results.json" \
  "$ecg" eval --task generation "${common[@]}" --max_samples 16 --sample_steps 5 --figures 1 --out "$out/generation"
step reconstruction "$out/reconstruction/reconstruction_None_$(basename "$store")_results.json" \
  "$ecg" eval --task reconstruction "${common[@]}" --max_samples 16 --sample_steps 5 --figures 1 \
  --out "$out/reconstruction"
step classification "$out/classification/classification_synthetic_linear_$(basename "$store")_results.json" \
  "$ecg" eval --task classification "${common[@]}" --labels synthetic --protocol linear --label_fraction 1 \
  --probe_epochs 2 --out "$out/classification"
echo "evaluation check: $failures failure(s); logs in $out"
[ "$failures" -eq 0 ]
