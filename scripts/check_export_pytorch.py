"""Loads a checkpoint written by `ecg checkpoint export --format pytorch` into the reference's modules
(scripts/torch_reference) with load_state_dict(strict=True), and runs one training-mode forward.

    python scripts/check_export_pytorch.py OUT.pt --network trans_continuous_dit [--n_heads 4]

The module's configuration is read off the state dict's shapes (widths, depths, vocabulary, table
lengths); only the head count, which no shape carries, is a flag.
"""
import argparse
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference.build import NETWORKS, build, load_checkpoint  # noqa: E402


def count(state, pattern):
    return len({match.group(1) for key in state if (match := re.match(pattern, key))})


def decoder_config(state, heads, prefix=""):
    vocab, d = state[prefix + "token_emb.weight"].shape
    return {"vocab_size": vocab, "pad_id": vocab - 3, "d_model": d, "n_heads": heads,
            "dim_ff": state[prefix + "layers.0.lin1.weight"].shape[0],
            "num_layers": count(state, re.escape(prefix) + r"layers\.(\d+)\."),
            "max_seq_len": state[prefix + "pos_emb.weight"].shape[0]}


def mae_family_config(state, network):
    width = state["encoder.norm.weight"].shape[0]
    decoder_width = state["decoder_norm.weight"].shape[0]
    linear = state["encoder.to_patch_embedding.2.weight"]
    head_rows = 3 * 64  # q, k, v rows per head (dim_head is fixed at 64)
    config = {"embed_dim": width, "depth": count(state, r"encoder\.block(\d+)\."),
              "num_heads": state["encoder.block0.attn.fn.to_qkv.weight"].shape[0] // head_rows,
              "decoder_embed_dim": decoder_width, "decoder_depth": count(state, r"decoder_blocks\.(\d+)\."),
              "decoder_num_heads": state["decoder_blocks.0.attn.fn.to_qkv.weight"].shape[0] // head_rows,
              "mlp_ratio": state["encoder.block0.ff.fn.net.0.weight"].shape[0] // width}
    n = state["encoder.pos_embedding"].shape[1]
    if network == "mlae":
        config.update(seq_len=linear.shape[1], patch_size=1)
    elif network == "mtae":
        patch = linear.shape[1] // 12
        config.update(seq_len=(n - 1) * patch, patch_size=patch)
    else:
        patch = linear.shape[1]
        config.update(seq_len=(n - 2) * patch, patch_size=patch)
    return config


def merl_config(state):
    blocks = [count(state, rf"resnet\.layer{k}\.(\d+)\.") for k in range(1, 5)]
    widths = [state[f"resnet.layer{k}.0.conv1.weight"].shape[0] for k in range(1, 5)]
    config = {"resnet_num_blocks": blocks, "resnet_widths": widths, "in_channels": widths[-1] * 4,
              "proj_out": state["downconv.weight"].shape[0], "proj_hidden": state["proj_t.0.weight"].shape[0],
              "spacial_dim": state["att_pool_head.positional_embedding"].shape[1] - 1}
    if "lm.embeddings.word_embeddings.weight" in state:
        vocab, hidden = state["lm.embeddings.word_embeddings.weight"].shape
        config["text_model"] = {
            "vocab_size": vocab, "hidden_size": hidden, "num_hidden_layers": count(state, r"lm\.encoder\.layer\.(\d+)\."),
            "num_attention_heads": max(1, hidden // 64), "intermediate_size": state["lm.encoder.layer.0.intermediate.dense.weight"].shape[0],
            "max_position_embeddings": state["lm.embeddings.position_embeddings.weight"].shape[0],
            "type_vocab_size": state["lm.embeddings.token_type_embeddings.weight"].shape[0], "layer_norm_eps": 1e-12}
    return config


def config_from_state(network, state, heads):
    if network == "trans_continuous_dit":
        d, channels = state["input_proj.weight"].shape
        config = {"input_dim": channels, "d_model": d, "n_heads": heads, "dim_ff": state["layers.0.ff.0.weight"].shape[0],
                  "num_layers": count(state, r"layers\.(\d+)\."), "max_seq_len": state["pos_emb.weight"].shape[0],
                  "loss_type": "ddpm" if "betas" in state else "rectified_flow"}
        if "condition_embedder.proj.weight" in state:
            config["condition"] = "lead"
        return config
    if network == "trans_continuous_nepa":
        d, channels = state["signal_proj.weight"].shape
        return {"input_dim": channels, "d_model": d, "n_heads": heads, "dim_ff": state["layers.0.lin1.weight"].shape[0],
                "num_layers": count(state, r"layers\.(\d+)\."), "max_seq_len": state["pos_emb.weight"].shape[0]}
    if network == "trans_discrete_decoder":
        return decoder_config(state, heads)
    if network == "trans_discrete_decoder_signal_head":
        decoder = decoder_config(state, heads, "decoder.")
        d, signal_dim = state["signal_head.input_proj.weight"].shape
        head = {"signal_dim": signal_dim, "d_model": d, "n_heads": heads,
                "dim_ff": state["signal_head.layers.0.ff.0.weight"].shape[0],
                "num_layers": count(state, r"signal_head\.layers\.(\d+)\."),
                "max_signal_len": state["signal_head.pos_emb.weight"].shape[0]}
        return {"decoder": decoder, "signal_head": head}
    if network == "mae_vit":
        d, patch_dim = state["patch_proj.weight"].shape
        return {"patch_dim": patch_dim, "d_model": d, "n_heads": heads, "dim_ff": state["encoder.0.lin1.weight"].shape[0],
                "num_encoder_layers": count(state, r"encoder\.(\d+)\."), "num_decoder_layers": count(state, r"decoder\.(\d+)\."),
                "max_patches": state["pos_enc.weight"].shape[0], "decoder_d_model": state["dec_pos.weight"].shape[1]}
    if network == "merl":
        return merl_config(state)
    return mae_family_config(state, network)


def training_forward(network, model, config):
    """One training-mode forward on random inputs of the checkpoint's shapes; returns the loss."""
    torch.manual_seed(0)
    model.train()
    if network == "trans_continuous_dit":
        length = min(64, config["max_seq_len"])
        return model(torch.randn(2, config["input_dim"], length))["loss"]
    if network == "trans_continuous_nepa":
        return model(torch.randn(2, config["input_dim"], min(64, config["max_seq_len"])))["loss"]
    if network in ("trans_discrete_decoder", "trans_discrete_decoder_signal_head"):
        decoder = config.get("decoder", config)
        ids = torch.randint(0, decoder["vocab_size"] - 3, (2, min(16, decoder["max_seq_len"])))
        if network == "trans_discrete_decoder":
            return model(ids, labels=ids)["loss"]
        head = config["signal_head"]
        return model(ids, torch.randn(2, head["signal_dim"], min(32, head["max_signal_len"])), labels=ids)["loss"]
    if network == "mae_vit":
        visible = torch.zeros(2, config["max_patches"])
        visible[:, :3] = 1
        return model(torch.randn(2, config["max_patches"], config["patch_dim"]), visible)["loss"]
    if network == "merl":
        length = {157: 2500, 79: 1250}.get(config["spacial_dim"], 500)
        text = config.get("text_model")
        ids = torch.randint(1, text["vocab_size"] if text else 30522, (2, 16))
        return model(torch.randn(2, 12, length), {"input_ids": ids, "attention_mask": torch.ones_like(ids)})["loss"]
    return model(torch.randn(2, 12, config["seq_len"]))["loss"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="a .pt file written by `ecg checkpoint export --format pytorch`")
    parser.add_argument("--network", required=True, choices=NETWORKS)
    parser.add_argument("--n_heads", type=int, default=4, help="attention heads (no shape carries it)")
    args = parser.parse_args()
    checkpoint = load_checkpoint(args.checkpoint)
    if "model_state_dict" not in checkpoint:
        raise SystemExit(f"{args.checkpoint} has no model_state_dict (keys: {sorted(checkpoint)}); is it an export?")
    state = checkpoint["model_state_dict"]
    config = config_from_state(args.network, state, args.n_heads)
    model = build(args.network, config)
    model.load_state_dict(state, strict=True)
    if "ema_state_dict" in checkpoint:
        model.load_state_dict(checkpoint["ema_state_dict"], strict=False)
    loss = training_forward(args.network, model, config)
    if not torch.isfinite(loss):
        raise SystemExit(f"{args.network}: loss {loss.item()} is not finite after the strict load")
    loss.backward()
    print(f"ok {args.network}: strict load of {len(state)} entries from {args.checkpoint}, "
          f"training forward loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
