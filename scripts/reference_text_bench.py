#!/usr/bin/env python3
"""Times transformers on the batch `ecg bench text` measures, for a side-by-side comparison.

    .build/release/ecg bench text --dump-reports /tmp/reports.txt      # Swift figures + the reports
    python3 scripts/reference_text_bench.py --model DIR --reports /tmp/reports.txt

Needs `transformers` and `torch` (a throwaway venv is enough). Tokenises the reports with
AutoTokenizer(padding="max_length", max_length=N, truncation=True) and runs AutoModel in eval mode under
torch.no_grad(), --repeat times after --warmup untimed runs, and prints the medians as JSON with the field names of
`ecg bench text`.
"""
import argparse
import json
import statistics
import time

import torch
from transformers import AutoModel, AutoTokenizer


def median_seconds(body, warmup, repeat):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="Hugging Face BERT folder")
    parser.add_argument("--reports", required=True, help="reports, one per line (ecg bench text --dump-reports)")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    reports = open(args.reports, encoding="utf-8").read().splitlines()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModel.from_pretrained(args.model).eval()

    def tokenize():
        return tokenizer(reports, padding="max_length", max_length=args.max_length, truncation=True,
                         return_tensors="pt")

    batch = tokenize()
    tokenize_s = median_seconds(tokenize, args.warmup, args.repeat)

    def forward():
        with torch.no_grad():
            model(**batch).last_hidden_state

    forward_s = median_seconds(forward, args.warmup, args.repeat)
    print(json.dumps({
        "implementation": "transformers " + __import__("transformers").__version__ + ", torch " + torch.__version__,
        "attention": getattr(model.config, "_attn_implementation", None),
        "batch": len(reports),
        "max_length": args.max_length,
        "threads": torch.get_num_threads(),
        "repeat": args.repeat,
        "tokenize_ms": tokenize_s * 1000,
        "forward_ms": forward_s * 1000,
        "reports_per_s": len(reports) / (tokenize_s + forward_s),
    }, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
