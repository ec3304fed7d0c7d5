#!/usr/bin/env python3
"""Writes small seed inputs for the fuzz targets into OUT/<Target>/ (outside git: Fuzz/build.sh's .build/fuzz).

Shared data (../shared) is read in place and only cut down into the seed folder, never into the repository.
Usage: Fuzz/seeds.py OUT SHARED
"""
import io
import json
import os
import pickle
import struct
import sys

out, shared = sys.argv[1], sys.argv[2]


def seed(target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def read(path):
    with open(os.path.join(shared, path), "rb") as f:
        return f.read()


# WFDB headers: the shared records' headers, plus oversampled, skewed and offset signals.
wfdb = os.path.join(shared, "data/wfdb")
for name in sorted(os.listdir(wfdb)) if os.path.isdir(wfdb) else []:
    if name.endswith(".hea"):
        seed("WFDBHeader", name, read("data/wfdb/" + name))
extra = {
    "spf.hea": "r 2 250 8\nr.dat 16x4 200(5)/mV 12 0 1 0 0 II\nr.dat 16 100/uV 16 0 0 0 0 V1\n",
    "skew.hea": "r 2 360/1000(0) 4 10:00:00 01/01/2000\nr.dat 212:1+16 200 12 1024 0 0 0 MLII\nr.dat 212 200\n",
    "fmt8.hea": "r 1 100 6\nr.dat 8x2 100 8 0 5 0 0 d\n# comment\n",
    "fmt310.hea": "r 3 500 3 # trailing\nr.dat 310 1 10 0 0 0 0 a\nr.dat 310\nr.dat 310 2(1)/mmHg\n",
}
for name, text in extra.items():
    seed("WFDBHeader", name, text)
    # Records: header, NUL, data bytes (every data file gets the same bytes).
    seed("WFDBRecord", name + ".rec", text.encode() + b"\0" + bytes(range(0, 256, 3)))
if os.path.isdir(wfdb):
    # The shared records with their frame counts cut so the data fits a small input.
    for record, frames, size in [("test01_00s", 16, 128), ("100", 20, 60), ("binformats", 12, 48)]:
        lines = [line for line in read("data/wfdb/%s.hea" % record).decode().splitlines() if not line.startswith("#")]
        first = lines[0].split()
        first[3] = str(frames)
        data = read("data/wfdb/%s.dat" % record if record != "binformats" else "data/wfdb/binformats.d1")[:size]
        seed("WFDBRecord", record, ("\n".join([" ".join(first)] + lines[1:]) + "\n").encode() + b"\0" + data)

# safetensors: the reference fixture and a small file with metadata and two dtypes.
if os.path.exists(os.path.join(shared, "reference/formats/tensors.safetensors")):
    seed("SafeTensors", "reference", read("reference/formats/tensors.safetensors"))
header = {
    "__metadata__": {"z": "1", "format": "pt"},
    "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
    "b": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [8, 12]},
    "c": {"dtype": "BOOL", "shape": [0], "data_offsets": [12, 12]},
}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
seed("SafeTensors", "small", struct.pack("<Q", len(text)) + text + bytes(12))

# PyTorch checkpoint: the shared fixture (a torch.save ZIP archive).
if os.path.exists(os.path.join(shared, "reference/formats/checkpoint.pt")):
    seed("TorchCheckpoint", "reference", read("reference/formats/checkpoint.pt"))

# Pickles: plain data in every protocol, and the hostile fixture.
values = [None, True, 1, -(2**70), 1.5, "é", b"\x00\xff", [1, 2], (1, (2, 3)), {"a": [1.0]}, {1, 2}, frozenset([3])]
for protocol in range(0, 6):
    seed("Unpickler", "plain-p%d" % protocol, pickle.dumps(values, protocol=protocol))
    seed("TokenizerFile", "reference-p%d" % protocol, pickle.dumps(({0: "a", 1: "b", 256: "ab"}, [([97, 98], 256)]), protocol=protocol))
if os.path.exists(os.path.join(shared, "reference/formats/malicious.pkl")):
    seed("Unpickler", "malicious", read("reference/formats/malicious.pkl"))

try:
    import numpy as np

    arrays = {
        "f32": np.arange(6, dtype=np.float32).reshape(2, 3),
        "i16-fortran": np.asfortranarray(np.arange(6, dtype=">i2").reshape(3, 2)),
        "bool": np.array([True, False]),
        "scalar": np.array(3.0),
        "empty": np.zeros((0, 4), dtype=np.uint8),
    }
    for name, array in arrays.items():
        buffer = io.BytesIO()
        np.save(buffer, array)
        seed("NPY", name, buffer.getvalue())
        seed("Unpickler", "ndarray-" + name, pickle.dumps(array, protocol=2))
    buffer = io.BytesIO()
    np.save(buffer, np.array({"ecg": np.zeros((2, 3), dtype=np.float32), "fs": 250}, dtype=object), allow_pickle=True)
    seed("NPY", "object-dict", buffer.getvalue())
except ImportError:
    pass

# Tokenizer JSON: our format with text, bytes and pair fields.
seed(
    "TokenizerFile",
    "json",
    '{"format": "ecg-byte-tokenizer", "version": 1, "merges": [\n'
    + '{"id": 256, "text": "ab", "pair": [97, 98]},\n'
    + '{"id": 257, "bytes": [97, 98, 99], "pair": [256, 99]},\n'
    + '{"id": 258, "text": "abcab"}]}\n',
)
