"""The table of scripts/gpu_bench.sh from its results.jsonl (also of a partial file, e.g. a run stopped by its
time budget): one row per ecg run beside PyTorch eager's run of the same network and precision, then PyTorch runs
that no ecg run matched.

    python3 scripts/gpu_bench_table.py OUT/results.jsonl
"""
import json
import sys


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    # bench.py names fp32 with TF32 "tf32"; ecg reports fp32 plus a tf32 flag.
    torch_runs = {(r["result"]["model"], r["result"]["precision"].replace("tf32", "fp32")): r["result"]
                  for r in rows if r["kind"] == "pytorch"}
    print(f"{'model':10} {'prec':5} {'adam':7} {'batch':>5} | {'ecg ms':>9} {'samples/s':>9} {'peak MB':>8} "
          f"{'MFU':>6} | {'torch ms':>9} {'samples/s':>9} {'peak MB':>8} {'MFU':>6} | speed-up")
    dash = f"{'—':>9} {'—':>9} {'—':>8} {'—':>6}"
    matched = set()
    for r in rows:
        if r["kind"] != "ecg":
            continue
        e = r["result"]
        key = (e["model"], e["precision"])
        t = torch_runs.get(key)
        matched.add(key)
        flops = t["flops_per_step"] * e["batch"] / t["batch"] if t else 0
        mfu = flops / (e["ms_per_step"] / 1000) / (t["peak_tflops"] * 1e12) if t else float("nan")
        peak = e.get("peak_gpu_mb", e.get("peak_rss_mb", 0))
        ecg_cols = f"{e['ms_per_step']:9.1f} {e['samples_per_s']:9.1f} {peak:8.0f} {mfu:6.1%}"
        if t:
            speedup = f"{e['samples_per_s'] / t['samples_per_s']:.2f}x"
            print(f"{e['model']:10} {e['precision']:5} {e.get('optimizer_impl', '?'):7} {e['batch']:5d} | {ecg_cols} | "
                  f"{torch_columns(t)} | {speedup}")
        else:
            print(f"{e['model']:10} {e['precision']:5} {e.get('optimizer_impl', '?'):7} {e['batch']:5d} | {ecg_cols} | "
                  f"{dash} | —")
    for key, t in torch_runs.items():
        if key not in matched:
            print(f"{key[0]:10} {key[1]:5} {'—':7} {t['batch']:5d} | {dash} | {torch_columns(t)} | —")
    print("peak MB = the GPU allocator's peak (max_memory_allocated) on CUDA, peak resident host memory on the CPU, "
          "on both sides; adam = ecg's AdamW implementation (PyTorch: fused on CUDA); MFU of both from PyTorch's "
          "FLOP count of the same step.")


def torch_columns(t):
    return (f"{t['ms_per_step']:9.1f} {t['samples_per_s']:9.1f} {t['peak_memory_bytes'] / 2**20:8.0f} "
            f"{t['mfu']:6.1%}")


if __name__ == "__main__":
    main(sys.argv[1])
