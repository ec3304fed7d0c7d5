#!/usr/bin/env bash
# Data-parallel scaling on one machine's GPUs, ecg against PyTorch DDP: for each world size N in WORLDS,
# `ecg bench train --world N --device cuda` (N workers, each on cuda:LOCAL_RANK, NCCL) and
# `torchrun --nproc_per_node N scripts/torch_reference/bench.py` (DDP), each rank with BATCH rows per step.
# Prints samples/s and the scaling efficiency samples/s(N) / (N × samples/s(1)) for both (issue 16's goal:
# ≥ 90 % from 1 to 8 GPUs for DiT base, at least as good as DDP).
#
#   scripts/gpu_scaling.sh                      # on a machine with several GPUs (PyTorch + CUDA in /opt/torch/.venv)
#   DEVICE=cpu WORLDS="1 2" PRESET=tiny BATCH=2 STEPS=3 WARMUP=1 ECG=.build/release/ecg \
#     PYTHON=/path/to/venv/bin/python scripts/gpu_scaling.sh        # the same over Gloo on the CPU
#
# MODEL (dit_rf), PRESET (base), BATCH (per rank, 32), PRECISION (bf16), STEPS (10), WARMUP (3), WORLDS (in the
# order run: 1 8 2 4, so that the goal's two ends come first; sizes above the GPU count are dropped), BUDGET_S (no
# run starts after it, 300), RUN_TIMEOUT_S (180), OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu_env.sh
device=${DEVICE:-cuda}
model=${MODEL:-dit_rf}
preset=${PRESET:-base}
batch=${BATCH:-32}
precision=${PRECISION:-bf16}
steps=${STEPS:-10}
warmup=${WARMUP:-3}
budget=${BUDGET_S:-300}
run_timeout=${RUN_TIMEOUT_S:-180}
out=${OUT:-${TMPDIR:-/tmp}/ecg-gpu-scaling}
started=$(date +%s)
"$python" -c "import torch" || { echo "PYTHON=$python has no torch" >&2; exit 2; }
if [ "$device" = cuda ]; then
  gpus=$("$python" -c 'import torch; print(torch.cuda.device_count())')
else
  gpus=$(nproc)
fi
worlds=""
for n in ${WORLDS:-1 8 2 4}; do [ "$n" -le "$gpus" ] && worlds="$worlds $n"; done
mkdir -p "$out"
results="$out/scaling.jsonl"
: > "$results"
echo "$model $preset, batch $batch per rank, $precision, $device: world sizes$worlds ($gpus available)"

# run KIND N: one measurement, its JSON line appended to $results as {"kind": …, "result": …}.
run() {
  local kind=$1 n=$2 line
  if [ $(($(date +%s) - started)) -ge "$budget" ]; then
    echo "budget of $budget s used: $kind world $n not run" >&2
    return 1
  fi
  if [ "$kind" = ecg ]; then
    line=$(timeout "$run_timeout" "$ecg" bench train --model "$model" --preset "$preset" --batch "$batch" \
      --steps "$steps" --warmup "$warmup" --device "$device" --precision "$precision" --world "$n" \
      2> "$out/last.err" | tr -d '\n')
  else
    line=$(timeout "$run_timeout" "$python" -B -m torch.distributed.run --standalone --nproc_per_node "$n" \
      scripts/torch_reference/bench.py --model "$model" --preset "$preset" --batch "$batch" --steps "$steps" \
      --warmup "$warmup" --device "$device" --precision "$precision" 2> "$out/last.err" | grep '^{' | tail -1)
  fi
  if [ "${line:0:1}" = "{" ]; then
    echo "{\"kind\": \"$kind\", \"result\": $line}" >> "$results"
  else
    echo "$kind world $n failed: $(tail -3 "$out/last.err" | tr '\n' ' ')" >&2
  fi
}

for n in $worlds; do
  run pytorch "$n"
  run ecg "$n"
done
"$python" - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = {(r["kind"], r["result"]["world_size"]): r["result"]["samples_per_s"] for r in rows}
print(f"{'world':>5} | {'ecg samples/s':>13} {'efficiency':>10} | {'DDP samples/s':>13} {'efficiency':>10}")
for n in sorted({w for _, w in by}):
    cells = []
    for kind in ("ecg", "pytorch"):
        rate, one = by.get((kind, n)), by.get((kind, 1))
        cells.append(f"{rate:13.1f} {rate / (n * one):10.1%}" if rate and one else f"{'—':>13} {'—':>10}")
    print(f"{n:5d} | {cells[0]} | {cells[1]}")
PY
echo "$(($(date +%s) - started)) s; results in $results"
