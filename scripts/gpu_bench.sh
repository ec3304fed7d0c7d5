#!/usr/bin/env bash
# Side-by-side training-step figures: `ecg bench train` and PyTorch eager (scripts/torch_reference/bench.py) on the
# same device, every network, bf16 and fp32; one table of ms/step, samples/s, peak memory and MFU.
#
#   scripts/gpu_bench.sh                         # on the GPU machine (PyTorch 2.11 + CUDA in /opt/torch/.venv)
#   DEVICE=cpu PRESET=tiny BATCH=2 STEPS=2 WARMUP=1 ECG=.build/debug/ecg PYTHON=/work/venv-torch/bin/python \
#     scripts/gpu_bench.sh                       # a CPU smoke run of the same script
#
# ECG: the ecg binary or bundle launcher (default dist/ecg-bundle/bin/ecg from `make dist`; ECG_LIBTORCH is set to
# PYTHON's torch folder for it). MODELS, PRECISIONS (bf16 fp32), PRESET (base), BATCH (64, halved on failure
# down to 1), STEPS (10), WARMUP (3), OUT (results folder). MFU for both = the FLOPs PyTorch's flop counter counts
# for one step of the same network and batch / measured time / the device peak (bench.py: bf16 989, tf32 494,
# fp32 67 TFLOP/s: H100/H200 SXM dense). fp32 runs without TF32 on both sides (TF32=1 adds --tf32 to both).
# ADAMS (default "default fused"): ecg's AdamW implementations, each one row: default (PyTorch's choice: foreach on
# CUDA), single, foreach or fused (--optimizer-impl); PyTorch runs once with its default (fused on CUDA).
#
# Order, so that a session's short device time gets the essential rows first: the checks (on CUDA:
# scripts/gpu_check_distributed.sh, NCCL through `ecg launch`, then scripts/gpu_check_eval.sh, sampling and
# evaluation on CUDA from the run it left; PASS/FAIL lines in OUT/checks.txt; CHECKS=0 skips them, CHECKS=1 runs
# them on the CPU too), then for each
# precision and network PyTorch and ecg with the first of ADAMS, then the other ADAMS rows. BUDGET_S (default 480)
# seconds after the start no new run begins; RUN_TIMEOUT_S (default 150) ends a run that hangs. Each result is
# appended to OUT/results.jsonl as it comes, and the table (scripts/gpu_bench_table.py) is printed at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/gpu_env.sh
device=${DEVICE:-cuda}
preset=${PRESET:-base}
steps=${STEPS:-10}
warmup=${WARMUP:-3}
out=${OUT:-${TMPDIR:-/tmp}/ecg-gpu-bench}
models=${MODELS:-dit_rf dit_ddpm nepa decoder mae_vit mlae mtae st_mem merl}
precisions=${PRECISIONS:-bf16 fp32}
adams=${ADAMS:-default fused}
budget=${BUDGET_S:-480}
run_timeout=${RUN_TIMEOUT_S:-150}
started=$(date +%s)
"$python" -c "import torch" || { echo "PYTHON=$python has no torch" >&2; exit 2; }
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
"$python" -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu')" |
  tee "$out/machine.txt"
date -u +%Y-%m-%dT%H:%MZ >> "$out/machine.txt"
checks=${CHECKS:-${CHECK_DISTRIBUTED:-$([ "$device" = cuda ] && echo 1 || echo 0)}}
if [ "$checks" = 1 ]; then
  OUT="$out/distributed" DEVICE="$device" ECG="$ecg" PYTHON="$python" scripts/gpu_check_distributed.sh |
    tee "$out/checks.txt"
  run_folder=$(sed -n 's/^Run folder: //p' "$out/distributed/pretrain.log" 2> /dev/null | head -1)
  if [ -n "$run_folder" ]; then
    OUT="$out/eval" DEVICE="$device" ECG="$ecg" PYTHON="$python" scripts/gpu_check_eval.sh "$run_folder" "$out/distributed/store" |
      tee -a "$out/checks.txt"
  fi
fi

# run_with_batch KIND MODEL PRECISION [ADAM]: tries BATCH, halving on failure (out of memory); appends one JSON
# line. ADAM (ecg only): default or an --optimizer-impl value.
run_with_batch() {
  local kind=$1 model=$2 precision=$3 adam=${4:-default} batch=${BATCH:-64} line tf32=() impl=()
  [ "${TF32:-0}" = 1 ] && tf32=(--tf32)
  [ "$adam" != default ] && impl=(--optimizer-impl "$adam")
  while [ "$batch" -ge 1 ]; do
    if [ $(($(date +%s) - started)) -ge "$budget" ]; then
      echo "budget of $budget s used: $kind $model $precision $adam not run" >&2
      return 1
    fi
    if [ "$kind" = ecg ]; then
      line=$(timeout "$run_timeout" "$ecg" bench train --model "$model" --preset "$preset" --batch "$batch" --steps "$steps" \
        --warmup "$warmup" --device "$device" --precision "$precision" "${tf32[@]}" "${impl[@]}" 2> "$out/last.err" |
        tr -d '\n')
    else
      line=$(timeout "$run_timeout" "$python" -B scripts/torch_reference/bench.py --model "$model" --preset "$preset" --batch "$batch" \
        --steps "$steps" --warmup "$warmup" --device "$device" --precision "$precision" "${tf32[@]}" 2> "$out/last.err" | tail -1)
    fi
    if [ -n "$line" ] && [ "${line:0:1}" = "{" ]; then
      echo "{\"kind\": \"$kind\", \"result\": $line}" >> "$results"
      return 0
    fi
    echo "$kind $model $precision $adam batch $batch failed: $(tail -2 "$out/last.err" | tr '\n' ' ')" >&2
    batch=$((batch / 2))
  done
}

first_adam=${adams%% *}
for precision in $precisions; do
  for model in $models; do
    run_with_batch pytorch "$model" "$precision"
    run_with_batch ecg "$model" "$precision" "$first_adam"
  done
done
for adam in ${adams#"$first_adam"}; do
  for precision in $precisions; do
    for model in $models; do run_with_batch ecg "$model" "$precision" "$adam"; done
  done
done
echo "$(($(date +%s) - started)) s; results in $results"
"$python" scripts/gpu_bench_table.py "$results"
