#!/usr/bin/env python3
"""Side-by-side loader benchmark: the reference's per-sample pickled .npy loading versus `ecg bench loader`.

Writes a reference-format folder (DATA_DIR/ptb_xl/preprocessed_<len>/*.npy, each `np.save` of a dict with a
float64 [12, len] `ecg`, as ELM-Research/ecg_preprocess writes them), times the reference's item pipeline in
one process (np.load(allow_pickle=True).item(), instance min-max normalisation in float64, float32 padding,
stacking a batch: what its Dataset and default_collate do, minus torch), then runs
`ecg bench loader --reference-dir` on the same folder and prints both as JSON.

    python3 scripts/reference_loader_bench.py --ecg .build/release/ecg [--count 512] [--batch-size 32] [--tokenizer FILE]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np


def write_folder(root, count, length):
    folder = os.path.join(root, "ptb_xl", f"preprocessed_{length}")
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    t = np.arange(length)
    for i in range(count):
        ecg = 0.3 * np.sin(2 * np.pi * t / (150 + i % 50))[None, :] * (1 + np.arange(12)[:, None] / 10)
        ecg = ecg + 0.02 * rng.standard_normal((12, length))
        record = {"ecg": ecg, "report": "sinus rhythm", "ecg_path": f"/raw/{i:05d}", "original_sf": 500,
                  "target_sf": 250, "segment_len": length}
        np.save(os.path.join(folder, f"{i:05d}_0.npy"), record, allow_pickle=True)
    return folder


def reference_item(path, length, eps=1e-6):
    ecg = np.load(path, allow_pickle=True).item()["ecg"]
    low, high = ecg.min(), ecg.max()
    normalized = np.clip((ecg - low) / (high - low + eps), 0, 1)
    padded = np.zeros((12, length), dtype=np.float32)
    padded[: normalized.shape[0], : min(normalized.shape[1], length)] = normalized[:, :length]
    return padded


def time_reference(folder, length, batch_size, batches):
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    order = np.random.default_rng(0).permutation(len(files))
    start = time.perf_counter()
    cpu_start = time.process_time()
    done = 0
    position = 0
    while done < batches:
        indices = [order[(position + k) % len(files)] for k in range(batch_size)]
        position += batch_size
        np.stack([reference_item(files[i], length) for i in indices])
        done += 1
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    return {"batches_per_s": done / seconds, "samples_per_s": done * batch_size / seconds,
            "samples_per_cpu_s": done * batch_size / cpu_seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ecg", default=".build/release/ecg", help="the ecg binary")
    parser.add_argument("--count", type=int, default=512)
    parser.add_argument("--length", type=int, default=2500)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--tokenizer", default=None,
                        help="ECG-Byte tokenizer for bpe_symbolic (e.g. ../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        folder = write_folder(root, args.count, args.length)
        reference = time_reference(folder, args.length, args.batch_size, args.batches)
        ours = subprocess.run(
            [args.ecg, "bench", "loader", "--reference-dir", root, "--reference-name", "ptb_xl", "--windows", str(args.count),
             "--batch-size", str(args.batch_size), "--batches", str(args.batches)]
            + (["--tokenizer", args.tokenizer] if args.tokenizer else []),
            check=True, capture_output=True, text=True)
        print(json.dumps({"reference_python_numpy_1_process": reference, "ecg_bench_loader": json.loads(ours.stdout)}, indent=2))


if __name__ == "__main__":
    main()
