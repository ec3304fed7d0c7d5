"""Layers shared by several reference networks (models.md §1.5, §4.3, §9.1, §9.2)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def time_embedding(t, dim):
    """Sinusoidal embedding, cosines first (models.md §1.5): t [B] -> [B, dim]."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    angles = t.float()[:, None] * freqs[None]
    emb = torch.cat([torch.cos(angles), torch.sin(angles)], dim=-1)
    if dim % 2 == 1:
        emb = F.pad(emb, (0, 1))
    return emb


def modulate(x, shift, scale):
    return x * (1 + scale[:, None]) + shift[:, None]


def causal_mask(length, device):
    """True = not allowed (key after the query)."""
    return torch.triu(torch.ones(length, length, dtype=torch.bool, device=device), diagonal=1)


class PostLNBlock(nn.Module):
    """Post-LN transformer block (models.md §4.3); `attention_name` is `self_attn` or `attn` (MAE-ViT)."""

    def __init__(self, d_model, n_heads, dim_ff, dropout, attention_name="self_attn"):
        super().__init__()
        self.attention_name = attention_name
        self.add_module(attention_name, nn.MultiheadAttention(d_model, n_heads, dropout=dropout, batch_first=True))
        self.lin1 = nn.Linear(d_model, dim_ff)
        self.lin2 = nn.Linear(dim_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.dropout_ff = nn.Dropout(dropout)

    def forward(self, x, attn_mask=None, key_padding_mask=None):
        attention = getattr(self, self.attention_name)
        y, _ = attention(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False)
        x = self.norm1(x + self.dropout(y))
        y = self.lin2(self.dropout_ff(F.gelu(self.lin1(x))))
        return self.norm2(x + self.dropout(y))


def sincos_table(width, count, variant):
    """Fixed position table, sines first (models.md §9.2): [1, count+1 (cls) or count+2 (sep), width]."""
    omega = 1.0 / 10000 ** (torch.arange(width // 2, dtype=torch.float32) / (width / 2))
    angles = torch.arange(count, dtype=torch.float32)[:, None] * omega[None]
    table = torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)
    zero = torch.zeros(1, width)
    rows = [zero, table] if variant == "cls" else [zero, table, zero]
    return torch.cat(rows, dim=0)[None]


class Attention(nn.Module):
    """MAE-family attention (models.md §9.1): to_qkv, to_out.0; no masks."""

    def __init__(self, dim, heads, dim_head, qkv_bias=True):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.to_qkv = nn.Linear(dim, 3 * inner, bias=qkv_bias)
        self.to_out = nn.Sequential(nn.Linear(inner, dim), nn.Dropout(0.0))

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (part.reshape(b, n, self.heads, -1).transpose(1, 2) for part in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v)  # (B, h, n, dh)
        return self.to_out(y.transpose(1, 2).reshape(b, n, -1))


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(0.0), nn.Linear(hidden, dim), nn.Dropout(0.0))

    def forward(self, x):
        return self.net(x)


class PreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x))


class PreNormBlock(nn.Module):
    """MAE-family TransformerBlock: x = attn(x) + x; x = ff(x) + x."""

    def __init__(self, dim, heads, dim_head, hidden, qkv_bias=True):
        super().__init__()
        self.attn = PreNorm(dim, Attention(dim, heads, dim_head, qkv_bias))
        self.ff = PreNorm(dim, FeedForward(dim, hidden))

    def forward(self, x):
        x = self.attn(x) + x
        return self.ff(x) + x
