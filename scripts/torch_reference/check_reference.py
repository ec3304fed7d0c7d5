"""Validates scripts/torch_reference against the reference's own checkpoints.

For every case in <reference>/checkpoints: build the module from the case's `load_config`, load the
checkpoint's model_state_dict with strict=True, overlay the EMA when the case loads it, and compare the
case's recorded forward outputs within its tolerance.

    python -m scripts.torch_reference.check_reference [--reference ../shared/reference]
"""
import argparse
import glob
import json
import os
import sys

import torch

from .build import build, load_checkpoint
from .safetensors_file import read


def run_case(case, tensors, model):
    inputs = {name[len("input/"):]: value for name, value in tensors.items() if name.startswith("input/")}
    mask = inputs.get("padding_mask")
    if mask is not None:
        mask = mask.bool()
    method = case["method"]
    with torch.no_grad():
        if method == "get_features" and "patches" in inputs:
            return {"features": model.get_features(inputs["patches"], inputs["visible_mask"])}
        if method == "get_features" and "series" in inputs:
            return {"features": model.get_features(inputs["series"])}
        if method == "get_features" and case["network"] == "trans_continuous_dit":
            return {"features": model.get_features(inputs["signal"], mask)}
        if method == "get_features":
            return {"features": model.get_features(inputs["signal"])}
        if method == "encode":
            return {"hidden": model.encode(inputs["signal"], mask)}
        if method == "forward":
            out = model(tgt_ids=inputs["tgt_ids"])
            return {"logits": out["logits"], "hidden_states": out["hidden_states"]}
        if method.startswith("decoder.forward"):
            out = model.decoder(inputs["tgt_ids"])
            context_mask = inputs["tgt_ids"] == model.decoder.pad_id
            velocity = model.signal_head._forward_net(inputs["x_t"], inputs["t"], out["hidden_states"], context_mask)
            return {"logits": out["logits"], "hidden_states": out["hidden_states"], "velocity": velocity}
    raise SystemExit(f"{case['case']}: method {method!r} has no runner here; add one")


def check(path):
    case = json.load(open(path))
    folder = os.path.dirname(path)
    checkpoint = load_checkpoint(os.path.join(folder, case["checkpoint"]["file"]))
    model = build(case["network"], case["load_config"])
    model.load_state_dict(checkpoint["model_state_dict"], strict=True)
    if case["load"]["state_dict"] == "ema_state_dict":
        model.load_state_dict(checkpoint["ema_state_dict"], strict=False)
    model.eval()
    tensors = read(os.path.join(folder, case["case"] + ".safetensors"))
    outputs = run_case(case, tensors, model)
    tolerance = case["tolerance"]
    worst = 0.0
    for name, value in outputs.items():
        expected = tensors["output/" + name]
        if value.shape != expected.shape:
            raise AssertionError(f"{case['case']} {name}: shape {tuple(value.shape)} != {tuple(expected.shape)}")
        excess = ((value - expected).abs() - tolerance["rel"] * expected.abs()).max().item()
        worst = max(worst, (value - expected).abs().max().item())
        if excess > tolerance["abs"]:
            raise AssertionError(f"{case['case']} {name}: max |diff| {worst:.3g} beyond {tolerance}")
    return len(checkpoint["model_state_dict"]), worst


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", default=os.environ.get("ECG_REFERENCE_DIR", "../shared/reference"))
    args = parser.parse_args()
    paths = sorted(glob.glob(os.path.join(args.reference, "checkpoints", "*.json")))
    if not paths:
        raise SystemExit(f"no checkpoint cases under {args.reference}/checkpoints; pass --reference")
    failures = 0
    for path in paths:
        name = os.path.basename(path)[:-5]
        try:
            count, worst = check(path)
            print(f"ok   {name}: strict load of {count} entries, outputs within tolerance (max |diff| {worst:.2e})")
        except Exception as error:  # report every case, then fail
            failures += 1
            print(f"FAIL {name}: {error}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
