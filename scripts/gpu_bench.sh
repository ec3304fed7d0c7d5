#!/usr/bin/env bash
# Side-by-side training-step figures: `ecg bench train` and PyTorch eager (scripts/torch_reference/bench.py) on the
# same device, every network, fp32 and bf16; one table of ms/step, samples/s, peak memory and MFU.
#
#   scripts/gpu_bench.sh                         # on the GPU machine (PyTorch 2.11 + CUDA in /opt/torch/.venv)
#   DEVICE=cpu PRESET=tiny BATCH=2 STEPS=2 WARMUP=1 ECG=.build/debug/ecg PYTHON=/work/venv-torch/bin/python \
#     scripts/gpu_bench.sh                       # a CPU smoke run of the same script
#
# ECG: the ecg binary or bundle launcher (default dist/ecg-bundle/bin/ecg from `make dist`; ECG_LIBTORCH is set to
# PYTHON's torch folder for it). MODELS, PRECISIONS (fp32 bf16), PRESET (base), BATCH (64, halved on failure
# down to 1), STEPS (10), WARMUP (3), OUT (results folder). MFU for both = the FLOPs PyTorch's flop counter counts
# for one step of the same network and batch / measured time / the device peak (bench.py: bf16 989, tf32 494,
# fp32 67 TFLOP/s: H100/H200 SXM dense). fp32 runs without TF32 on both sides (TF32=1 adds --tf32 to both).
# ADAMS (default fused): ecg's AdamW implementations, each one row: default (PyTorch's choice: foreach on CUDA),
# single, foreach or fused (--optimizer-impl); PyTorch runs once with its default (fused on CUDA).
# On CUDA it first runs scripts/gpu_check_distributed.sh (NCCL through `ecg launch`, about a minute; its PASS/FAIL
# lines land in OUT/distributed.txt); CHECK_DISTRIBUTED=0 skips it.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-/opt/torch/.venv/bin/python}
ecg=${ECG:-dist/ecg-bundle/bin/ecg}
device=${DEVICE:-cuda}
preset=${PRESET:-base}
steps=${STEPS:-10}
warmup=${WARMUP:-3}
out=${OUT:-${TMPDIR:-/tmp}/ecg-gpu-bench}
models=${MODELS:-dit_rf dit_ddpm nepa decoder mae_vit mlae mtae st_mem merl}
precisions=${PRECISIONS:-fp32 bf16}
adams=${ADAMS:-default fused}
"$python" -c "import torch" || { echo "PYTHON=$python has no torch" >&2; exit 2; }
# The bundle may arrive packed: make dist writes dist/ecg-bundle.tar.gz beside it.
if [ -z "${ECG:-}" ] && [ ! -x "$ecg" ] && [ -f dist/ecg-bundle.tar.gz ]; then tar -C dist -xzf dist/ecg-bundle.tar.gz; fi
[ -x "$ecg" ] || { echo "no ecg at $ecg: run make dist (or set ECG)" >&2; exit 2; }
export ECG_LIBTORCH=${ECG_LIBTORCH:-$("$python" -c 'import os, torch; print(os.path.dirname(torch.__file__))')}
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
"$python" -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'cpu')" |
  tee "$out/machine.txt"
date -u +%Y-%m-%dT%H:%MZ >> "$out/machine.txt"
if [ "${CHECK_DISTRIBUTED:-1}" = 1 ] && [ "$device" = cuda ]; then
  OUT="$out/distributed" ECG="$ecg" PYTHON="$python" scripts/gpu_check_distributed.sh | tee "$out/distributed.txt"
fi

# run_with_batch KIND MODEL PRECISION [ADAM]: tries BATCH, halving on failure (out of memory); appends one JSON
# line. ADAM (ecg only): default or an --optimizer-impl value.
run_with_batch() {
  local kind=$1 model=$2 precision=$3 adam=${4:-default} batch=${BATCH:-64} line tf32=() impl=()
  [ "${TF32:-0}" = 1 ] && tf32=(--tf32)
  [ "$adam" != default ] && impl=(--optimizer-impl "$adam")
  while [ "$batch" -ge 1 ]; do
    if [ "$kind" = ecg ]; then
      line=$("$ecg" bench train --model "$model" --preset "$preset" --batch "$batch" --steps "$steps" \
        --warmup "$warmup" --device "$device" --precision "$precision" "${tf32[@]}" "${impl[@]}" 2> "$out/last.err" |
        tr -d '\n')
    else
      line=$("$python" -B scripts/torch_reference/bench.py --model "$model" --preset "$preset" --batch "$batch" \
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

for model in $models; do
  for precision in $precisions; do
    run_with_batch pytorch "$model" "$precision"
    for adam in $adams; do run_with_batch ecg "$model" "$precision" "$adam"; done
  done
done
"$python" - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
# bench.py names fp32 with TF32 "tf32"; ecg reports fp32 plus a tf32 flag.
torch_runs = {(r["result"]["model"], r["result"]["precision"].replace("tf32", "fp32")): r["result"]
              for r in rows if r["kind"] == "pytorch"}
print(f"{'model':10} {'prec':5} {'adam':7} {'batch':>5} | {'ecg ms':>9} {'samples/s':>9} {'peak MB':>8} {'MFU':>6} | "
      f"{'torch ms':>9} {'samples/s':>9} {'peak MB':>8} {'MFU':>6} | speed-up")
for r in rows:
    if r["kind"] != "ecg":
        continue
    e = r["result"]
    t = torch_runs.get((e["model"], e["precision"]))
    flops = t["flops_per_step"] * e["batch"] / t["batch"] if t else 0
    mfu = flops / (e["ms_per_step"] / 1000) / (t["peak_tflops"] * 1e12) if t else float("nan")
    peak = e.get("peak_gpu_mb", e.get("peak_rss_mb", 0))
    ecg_cols = f"{e['ms_per_step']:9.1f} {e['samples_per_s']:9.1f} {peak:8.0f} {mfu:6.1%}"
    if t:
        torch_cols = (f"{t['ms_per_step']:9.1f} {t['samples_per_s']:9.1f} {t['peak_memory_bytes'] / 2**20:8.0f} "
                      f"{t['mfu']:6.1%}")
        speedup = f"{e['samples_per_s'] / t['samples_per_s']:.2f}x"
    else:
        torch_cols, speedup = f"{'—':>9} {'—':>9} {'—':>8} {'—':>6}", "—"
    print(f"{e['model']:10} {e['precision']:5} {e.get('optimizer_impl', '?'):7} {e['batch']:5d} | {ecg_cols} | {torch_cols} | {speedup}")
print("peak MB = the GPU allocator's peak (max_memory_allocated) on CUDA, peak resident host memory on the CPU, "
      "on both sides; adam = ecg's AdamW implementation (PyTorch: fused on CUDA).")
PY
