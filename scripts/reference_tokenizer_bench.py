#!/usr/bin/env python3
"""Time a faithful pure-Python re-implementation of the reference's ECG-Byte algorithms (spec pipeline.md §3.2, §3.4)
on the inputs `ecg bench tokenizer --dump-inputs DIR` wrote, for comparison with `ecg bench tokenizer`.

  python3 scripts/reference_tokenizer_bench.py --inputs DIR --tokenizer ../shared/data/tokenizers/ecg_byte_tokenizer_10000.pkl

Encoding rebuilds the trie from all merges on every call and walks it greedily, as the reference does. Training
recounts every adjacent pair of the whole corpus on every merge and rewrites the sequence left to right. The real
reference trains with a multi-threaded Rust extension running the same recount-per-merge algorithm, so its training
is faster than this Python loop; this script measures the algorithm, not that extension. Training and the batch are
timed on the first --train-merges merges / --batch-subset sequences and reported per merge / per symbol.
Not product code; prints JSON.
"""
import argparse, collections, json, pickle, time


def build_trie(merges):
    root = {}
    for byte in range(256):
        root[byte] = [{}, byte]
    for spelling, token in merges:
        node = root
        for index, byte in enumerate(spelling):
            entry = node.setdefault(byte, [{}, None])
            if index == len(spelling) - 1:
                entry[1] = token
            node = entry[0]
    return root


def encode(symbols, merges):
    trie = build_trie(merges)  # the reference rebuilds its matcher on every call
    data = symbols.encode("ascii")
    tokens, start = [], 0
    while start < len(data):
        node, position, best, best_end = trie, start, None, start + 1
        while position < len(data) and data[position] in node:
            entry = node[data[position]]
            position += 1
            if entry[1] is not None:
                best, best_end = entry[1], position
            node = entry[0]
        tokens.append(best)
        start = best_end
    return tokens


def train(corpus, merges):
    ids = list(corpus.encode("ascii"))
    for step in range(merges):
        counts = collections.Counter(zip(ids, ids[1:]))
        if not counts:
            break
        pair = min(counts, key=lambda p: (-counts[p], p))
        new, rewritten, index = 256 + step, [], 0
        while index < len(ids):
            if index + 1 < len(ids) and ids[index] == pair[0] and ids[index + 1] == pair[1]:
                rewritten.append(new)
                index += 2
            else:
                rewritten.append(ids[index])
                index += 1
        ids = rewritten
    return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--batch-subset", type=int, default=32)
    parser.add_argument("--train-merges", type=int, default=5)
    args = parser.parse_args()
    with open(args.tokenizer, "rb") as handle:
        _, merges = pickle.load(handle)  # our own copy of the reference file: trusted
    read = lambda name: [line.strip() for line in open(f"{args.inputs}/{name}") if line.strip()]
    one, batch, corpus = read("one.txt")[0], read("batch.txt"), "".join(read("corpus.txt"))

    start = time.perf_counter(); build_trie(merges); build = time.perf_counter() - start
    times = []
    for _ in range(3):
        start = time.perf_counter(); encode(one, merges); times.append(time.perf_counter() - start)
    single = sorted(times)[1]
    subset = batch[: args.batch_subset]
    start = time.perf_counter()
    for symbols in subset:
        encode(symbols, merges)
    batch_time = time.perf_counter() - start
    batch_rate = sum(map(len, subset)) / batch_time
    start = time.perf_counter(); train(corpus, args.train_merges); train_time = time.perf_counter() - start
    print(json.dumps({
        "implementation": "pure-Python re-implementation of the reference algorithms",
        "matcher_build_seconds": round(build, 6),
        "encode_one": {"symbols": len(one), "seconds_with_matcher_build": round(single, 6),
                       "symbols_per_second_with_matcher_build": round(len(one) / single, 1)},
        "encode_batch": {"sequences_timed": len(subset), "symbols_per_second_with_matcher_build": round(batch_rate, 1),
                         "estimated_seconds_for_all": round(sum(map(len, batch)) / batch_rate, 2)},
        "train": {"corpus_symbols": len(corpus), "merges_timed": args.train_merges, "seconds": round(train_time, 3),
                  "merges_per_second": round(args.train_merges / train_time, 4),
                  "estimated_seconds_for_1000_merges": round(1000 * train_time / args.train_merges, 1)},
    }, indent=2))


if __name__ == "__main__":
    main()
