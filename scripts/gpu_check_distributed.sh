#!/usr/bin/env bash
# The prepared GPU check of multi-process training over NCCL, in one command on the GPU machine (PyTorch 2.11 +
# CUDA in /opt/torch/.venv, no Swift), with the bundle from `make dist`:
#
#   scripts/gpu_check_distributed.sh       # prints PASS or FAIL lines, exits non-zero on a failure
#   DEVICE=cpu ECG=.build/debug/ecg scripts/gpu_check_distributed.sh   # the same run on CPUs over Gloo
#
# It runs `ecg launch --nproc_per_node NPROC -- ecg pretrain --distributed --device cuda` on a tiny DiT for STEPS
# steps on a small synthetic store, then checks that the run finished (DONE), wrote a checkpoint and, on CUDA, that
# NCCL set up its communicator (NCCL_DEBUG=INFO's "NCCL version" line). NPROC defaults to 1: the device machine has
# one GPU, and NCCL refuses two ranks on one GPU. OUT keeps the store, the run and the log.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu_env.sh
device=${DEVICE:-cuda}
nproc=${NPROC:-1}
steps=${STEPS:-5}
out=${OUT:-${TMPDIR:-/tmp}/ecg-gpu-check-distributed}
rm -rf "$out" && mkdir -p "$out"
failures=0
check() { # NAME CONDITION...
  local name=$1; shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

"$ecg" data synth --count 64 --out "$out/store" --quiet > "$out/synth.log" 2>&1
check "synthetic store" test -f "$out/store/store.json"

start=$(date +%s)
NCCL_DEBUG=${NCCL_DEBUG:-INFO} timeout "${TIMEOUT:-300}" "$ecg" launch --nproc_per_node "$nproc" -- \
  ecg pretrain --data "$out/store" --neural_network trans_continuous_dit --objective rectified_flow \
  --preset tiny --segment_len 250 --batch_size 8 --epochs 1 --max_steps "$steps" --log_every 1 \
  --device "$device" --distributed --runs_dir "$out/runs" --plain > "$out/pretrain.log" 2>&1
status=$?
echo "ecg launch --nproc_per_node $nproc -- ecg pretrain --distributed --device $device: status $status," \
  "$(($(date +%s) - start)) s"
run=$(sed -n 's/^Run folder: //p' "$out/pretrain.log" | head -1)
check "pretrain exited 0" test "$status" -eq 0
check "run folder" test -n "$run" -a -d "$run"
check "run finished (DONE)" test -f "$run/DONE"
check "checkpoint written" test -n "$(ls -A "$run/checkpoints" 2> /dev/null)"
if [ "$device" != cpu ]; then
  check "NCCL communicator set up" grep -q "NCCL version" "$out/pretrain.log"
fi
if [ "$failures" -gt 0 ]; then
  echo "--- last lines of $out/pretrain.log"
  tail -30 "$out/pretrain.log"
fi
echo "distributed check: $failures failure(s); logs in $out"
[ "$failures" -eq 0 ]
