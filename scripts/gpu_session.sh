#!/usr/bin/env bash
# The whole GPU session in one command, for the device tool (a machine with PyTorch + CUDA in /opt/torch/.venv and
# no Swift), after `make dist` here:
#
#   run(command: "scripts/gpu_session.sh", carry: ["dist/ecg-bundle.tar.gz"], timeout_s: 590)
#
# It unpacks the bundle, runs scripts/gpu_bench.sh (the NCCL and evaluation checks, then the side-by-side training
# steps, within BUDGET_S, default 420 s) into a work folder and copies what matters to $OUT, flat, since the tool
# brings back at most 8 files: results.jsonl, checks.txt, machine.txt, table.txt, bench.log (the script's own
# output) and the distributed check's pretrain.log. Read the table again later with
# `python3 scripts/gpu_bench_table.py results.jsonl`. On a machine with several GPUs the NCCL check runs one rank
# per GPU, and scripts/gpu_scaling.sh (ecg against DDP, 1…all GPUs, SCALING_BUDGET_S = 240 s) runs first, its
# output in scaling.txt and scaling.jsonl; the bench then gets what is left of BUDGET_S.
set -uo pipefail
cd "$(dirname "$0")/.."
work=${WORK:-/tmp/ecg-gpu-session}
keep=${OUT:-$work/out}
mkdir -p "$work" "$keep"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -8
budget=${BUDGET_S:-420}
gpus=$("${PYTHON:-/opt/torch/.venv/bin/python}" -c 'import torch; print(torch.cuda.device_count())' 2> /dev/null || echo 0)
if [ "${gpus:-0}" -gt 1 ]; then
  start=$(date +%s)
  BUDGET_S=${SCALING_BUDGET_S:-240} OUT="$work/scaling" scripts/gpu_scaling.sh 2>&1 | tee "$keep/scaling.txt"
  cp "$work/scaling/scaling.jsonl" "$keep/" 2> /dev/null
  budget=$((budget - ($(date +%s) - start)))
  export NPROC=${NPROC:-$gpus}
fi
BUDGET_S=$budget OUT="$work/bench" scripts/gpu_bench.sh 2>&1 | tee "$keep/bench.log"
status=${PIPESTATUS[0]}
for file in results.jsonl checks.txt machine.txt; do cp "$work/bench/$file" "$keep/" 2> /dev/null; done
cp "$work/bench/distributed/pretrain.log" "$keep/" 2> /dev/null
[ -f "$keep/results.jsonl" ] && "${PYTHON:-/opt/torch/.venv/bin/python}" scripts/gpu_bench_table.py "$keep/results.jsonl" \
  > "$keep/table.txt" 2>&1
exit "$status"
