"""PyTorch eager training steps of the reference's networks, the counterpart of `ecg bench train`.

    python scripts/torch_reference/bench.py --model dit_rf --preset base --batch 64 --device cuda \\
        --precision bf16 [--tf32] [--steps 20] [--warmup 5] [--adam fused|foreach|single]

Each step: zero_grad, forward, backward, AdamW step (the reference's loop, runners/train.py), timed after
the warm-up with a device synchronisation per step. Prints one JSON line: ms/step (median), samples/s,
peak memory (CUDA: torch.cuda.max_memory_allocated; CPU: peak resident set), FLOPs per step (counted by
torch.utils.flop_counter on one step: matmuls, convolutions and attention, forward and backward) and
model FLOPs utilisation against --peak_tflops (defaults: H100/H200 dense 989 bf16, 494 tf32, 67 fp32).
bf16 = autocast(dtype=bfloat16) with float32 weights, like `ecg --bfloat_16`.

Under torchrun (WORLD_SIZE > 1) it is PyTorch DDP, the counterpart of `ecg bench train --world N`: NCCL on CUDA
(each rank on cuda:LOCAL_RANK), Gloo on the CPU; every rank trains --batch rows per step, and rank 0 prints the
JSON with samples/s = world × batch / the slowest rank's median step:

    torchrun --standalone --nproc_per_node 8 scripts/torch_reference/bench.py --model dit_rf --preset base ...
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from torch_reference.build import build  # noqa: E402

MODELS = ["dit_rf", "dit_ddpm", "nepa", "decoder", "mae_vit", "mlae", "mtae", "st_mem", "merl"]
VOCABULARY, PAD = 10259, 10256
PEAK_TFLOPS = {"bf16": 989.0, "tf32": 494.0, "fp32": 67.0}


def signal_length(preset):
    return 2500 if preset == "base" else 500


def network_and_config(model, preset):
    """Builder defaults at `base`; the tiny preset of `ecg bench train` (TrainBenchModels*.swift)."""
    tiny = preset == "tiny"
    transformer = {"d_model": 64, "n_heads": 4, "dim_ff": 256, "num_layers": 2} if tiny else {}
    length = signal_length(preset)
    if model in ("dit_rf", "dit_ddpm"):
        objective = "rectified_flow" if model == "dit_rf" else "ddpm"
        return "trans_continuous_dit", {"loss_type": objective, "num_steps": 50 if model == "dit_rf" else 1000,
                                        **transformer}
    if model == "nepa":
        return "trans_continuous_nepa", {"max_seq_len": length, **transformer}
    if model == "decoder":
        return "trans_discrete_decoder", {"vocab_size": VOCABULARY, "pad_id": PAD, "max_seq_len": token_count(preset),
                                          **transformer}
    if model == "mae_vit":
        sizes = {"d_model": 64, "decoder_d_model": 64, "n_heads": 4, "dim_ff": 256, "num_encoder_layers": 2,
                 "num_decoder_layers": 2} if tiny else {}
        return "mae_vit", {"patch_dim": length, **sizes}
    if model in ("mlae", "mtae", "st_mem"):
        sizes = {"embed_dim": 64, "depth": 2, "num_heads": 4, "decoder_embed_dim": 64, "decoder_depth": 2,
                 "decoder_num_heads": 4} if tiny else {"embed_dim": 768, "depth": 12, "num_heads": 12,
                                                       "decoder_embed_dim": 256, "decoder_depth": 4,
                                                       "decoder_num_heads": 4}
        patch = 1 if model == "mlae" else patch_size(length)
        return model, {"seq_len": length, "patch_size": patch, **sizes}
    if model == "merl":
        if not tiny:
            return "merl", {"seq_len": length}
        text = {"vocab_size": 30522, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                "intermediate_size": 256, "max_position_embeddings": 512, "type_vocab_size": 2,
                "layer_norm_eps": 1e-12}
        return "merl", {"seq_len": length, "resnet_block": "BasicBlock", "resnet_num_blocks": [2, 2, 2, 2],
                        "resnet_widths": [16, 32, 64, 64], "in_channels": 64, "proj_hidden": 64, "proj_out": 64,
                        "text_model": text}
    raise SystemExit(f"unknown --model {model}; use one of {', '.join(MODELS)}")


def token_count(preset):
    return 2048 if preset == "base" else 512


def patch_size(n):
    """P(n) of models.md §2."""
    divisors = [p for p in range(1, n + 1) if n % p == 0]
    qualified = [p for p in divisors if 16 <= n // p <= 64]
    if qualified:
        return min(qualified, key=lambda p: (abs(n // p - 32), p))
    target = int((n / 32) ** 0.5)
    return min(divisors, key=lambda p: (abs(p - target), p))


def make_batch(model, preset, size, device):
    length = signal_length(preset)
    if model == "decoder":
        ids = torch.randint(0, PAD, (size, token_count(preset)), device=device)
        return {"tgt_ids": ids, "labels": ids}
    if model == "mae_vit":
        ranks = torch.rand(size, 12).argsort(dim=1).argsort(dim=1)
        visible = (ranks < 3).float().to(device)
        return {"patches": torch.randn(size, 12, length, device=device), "visible_mask": visible}
    if model == "merl":
        ids = torch.randint(1, 1000, (size, 128), device=device)
        condition = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
        return {"signal": torch.randn(size, 12, length, device=device), "condition": condition}
    return {"signal": torch.randn(size, 12, length, device=device)}


def optimizer_for(network, adam, device):
    options = {"lr": 1e-4, "weight_decay": 0.01}
    if adam == "fused":
        options["fused"] = True
    elif adam == "foreach":
        options["foreach"] = True
    elif adam == "single":
        options["foreach"] = False
    elif device.type == "cuda":
        options["fused"] = True  # auto: the fused kernel on CUDA, PyTorch's default elsewhere
    return torch.optim.AdamW([p for p in network.parameters() if p.requires_grad], **options)


def peak_memory_bytes(device):
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, choices=MODELS)
    parser.add_argument("--preset", default="tiny", choices=["tiny", "base"])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    parser.add_argument("--tf32", action="store_true", help="set_float32_matmul_precision('high'), as pretraining does")
    parser.add_argument("--adam", default="auto", choices=["auto", "fused", "foreach", "single"])
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: PyTorch's default)")
    parser.add_argument("--peak_tflops", type=float, default=0.0, help="the device's peak for MFU (0: H100/H200 dense)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and device.type == "cuda":
        device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(device)
    if args.tf32:
        torch.set_float32_matmul_precision("high")
    network_name, config = network_and_config(args.model, args.preset)
    network = build(network_name, config).to(device).train()
    optimizer = optimizer_for(network, args.adam, device)
    if world > 1:
        import torch.distributed as dist
        from torch.nn.parallel import DistributedDataParallel
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
        network = DistributedDataParallel(network, device_ids=[device.index] if device.type == "cuda" else None)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.precision == "bf16")

    def step():
        batch = make_batch(args.model, args.preset, args.batch, device)
        optimizer.zero_grad(set_to_none=True)
        with autocast:
            loss = network(**batch)["loss"]
        loss.backward()
        optimizer.step()
        return loss

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(args.warmup):
        step()
    synchronize()
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter:
        step()
    synchronize()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        loss = step()
        synchronize()
        times.append(time.perf_counter() - start)
    ms = statistics.median(times) * 1000
    if world > 1:  # a data-parallel step is as slow as the slowest rank
        slowest = torch.tensor([ms], dtype=torch.float64, device=device)
        dist.all_reduce(slowest, op=dist.ReduceOp.MAX)
        ms = slowest.item()
    flops = counter.get_total_flops()
    precision = "bf16" if args.precision == "bf16" else ("tf32" if args.tf32 else "fp32")
    peak = args.peak_tflops or PEAK_TFLOPS[precision]
    if world > 1:
        dist.destroy_process_group()
        if int(os.environ["RANK"]) != 0:
            return
    print(json.dumps({
        "framework": "pytorch-eager" if world == 1 else "pytorch-ddp", "torch": torch.__version__,
        "model": args.model, "preset": args.preset, "world_size": world,
        "batch": args.batch, "device": str(device), "precision": precision, "adam": args.adam,
        "steps": args.steps, "ms_per_step": round(ms, 3), "samples_per_s": round(world * args.batch / ms * 1000, 3),
        "peak_memory_bytes": peak_memory_bytes(device), "flops_per_step": flops,
        "mfu": round(flops / (ms / 1000) / (peak * 1e12), 4), "peak_tflops": peak, "last_loss": loss.item()}))


if __name__ == "__main__":
    main()
