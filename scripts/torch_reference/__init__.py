"""The reference's networks (ELM-Research/ecg_encoder) written out in plain PyTorch from
../shared/spec/models.md, so checkpoints exported by `ecg checkpoint export` can be loaded with
`load_state_dict(strict=True)` and so PyTorch eager can be timed beside `ecg bench train`.

No reference code was available: every module follows the spec's state_dict names, shapes and
forward computation. `check_reference.py` validates them against the reference's own checkpoints.
"""
