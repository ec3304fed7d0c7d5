"""Builds a reference network from a configuration and loads reference-layout checkpoints."""
import codecs

import numpy
import torch

from .decoder import DecoderTransformer, DecoderWithSignalHead
from .dit import DiT
from .mae_family import MTAE, STMEM
from .mae_vit import MAEViT
from .merl import Merl
from .nepa import NEPA

NETWORKS = ["trans_continuous_dit", "trans_continuous_nepa", "trans_discrete_decoder",
            "trans_discrete_decoder_signal_head", "mae_vit", "merl", "mlae", "mtae", "st_mem"]


def build(network, config):
    """The module for `network` (an `--neural_network` name, or `trans_discrete_decoder_signal_head`)."""
    builders = {
        "trans_continuous_dit": lambda: DiT(**config),
        "trans_continuous_nepa": lambda: NEPA(**config),
        "trans_discrete_decoder": lambda: DecoderTransformer(**config),
        "trans_discrete_decoder_signal_head": lambda: DecoderWithSignalHead(**config),
        "mae_vit": lambda: MAEViT(**config),
        "merl": lambda: Merl(**config),
        "mlae": lambda: MTAE(lead_patches=True, **config),
        "mtae": lambda: MTAE(**config),
        "st_mem": lambda: STMEM(**config),
    }
    if network not in builders:
        raise SystemExit(f"unknown network {network!r}; use one of {', '.join(NETWORKS)}")
    return builders[network]()


def load_checkpoint(path):
    """torch.load with weights_only=True, allowing the value-only NumPy globals the reference's schedule state uses."""
    allowed = [numpy.dtype, codecs.encode]
    for name in ("numpy._core.multiarray", "numpy.core.multiarray"):
        try:
            allowed.append(__import__(name, fromlist=["scalar"]).scalar)
        except (ImportError, AttributeError):
            pass
    allowed += [type(numpy.dtype(kind)) for kind in ("float64", "float32", "int64")]
    with torch.serialization.safe_globals(allowed):
        return torch.load(path, map_location="cpu", weights_only=True)


def load_strict(model, state_dict):
    """load_state_dict(strict=True); raises with the missing/unexpected keys named."""
    model.load_state_dict(state_dict, strict=True)
    return model
