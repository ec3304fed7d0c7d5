"""MTAE, MLAE (models.md §10, §11) and ST-MEM (§12): pre-norm ViTs with sin-cos tables and random masking."""
import torch
import torch.nn as nn

from .layers import PreNormBlock, sincos_table

DIM_HEAD = 64  # fixed in the reference whatever the width (models.md §9.1: 12 × 64, 4 × 64)


class Rearrange(nn.Module):
    """The einops rearrangement at index 0 of `to_patch_embedding` (no keys)."""

    def __init__(self, layout, patch_size):
        super().__init__()
        self.layout, self.patch_size = layout, patch_size

    def forward(self, x):
        b, c, length = x.shape
        p = self.patch_size
        if self.layout == "time":  # b c (n p) -> b n (p c)
            return x.reshape(b, c, length // p, p).permute(0, 2, 3, 1).reshape(b, length // p, p * c)
        if self.layout == "lead":  # b (n p) t -> b n (p t)
            return x.reshape(b, c // p, p * length)
        return x.reshape(b, c, length // p, p)  # b c (n p) -> b c n p


def random_masking(x, ratio):
    """§9.3 over the token axis (dim -2) of x [..., n, D] -> kept, mask (1 = masked), ids_restore."""
    n = x.shape[-2]
    keep = int(n * (1 - ratio))
    noise = torch.rand(x.shape[:-1], device=x.device)
    ids_shuffle = torch.argsort(noise, dim=-1)
    ids_restore = torch.argsort(ids_shuffle, dim=-1)
    index = ids_shuffle[..., :keep, None].expand(*x.shape[:-2], keep, x.shape[-1])
    kept = torch.gather(x, -2, index)
    mask = torch.ones(x.shape[:-1], device=x.device)
    mask[..., :keep] = 0
    return kept, torch.gather(mask, -1, ids_restore), ids_restore


def unshuffle(tokens, mask_embedding, ids_restore):
    """Append mask embeddings after the kept tokens and restore the original order."""
    n = ids_restore.shape[-1]
    fill = mask_embedding.expand(*tokens.shape[:-2], n - tokens.shape[-2], tokens.shape[-1]).to(tokens.dtype)
    full = torch.cat([tokens, fill], dim=-2)
    return torch.gather(full, -2, ids_restore[..., None].expand(*ids_restore.shape, tokens.shape[-1]))


def masked_patch_loss(pred, target, mask):
    """§9.5 (norm_pix_loss off): mean squared error per patch, averaged over masked patches."""
    per_patch = ((pred.float() - target.float()) ** 2).mean(dim=-1)
    return (per_patch * mask).sum() / mask.sum()


class ViTEncoder(nn.Module):
    def __init__(self, token_size, n, width, depth, heads, mlp_ratio, qkv_bias, layout, patch_size, special):
        super().__init__()
        self.register_parameter("pos_embedding", nn.Parameter(sincos_table(width, n, "cls" if special == "cls" else "sep"),
                                                              requires_grad=False))
        if special == "cls":
            self.cls_embedding = nn.Parameter(torch.zeros(width))
        else:
            self.sep_embedding = nn.Parameter(torch.zeros(width))
        self.to_patch_embedding = nn.Sequential(Rearrange(layout, patch_size), nn.LayerNorm(token_size),
                                                nn.Linear(token_size, width), nn.LayerNorm(width))
        if special == "sep":
            self.lead_embeddings = nn.ParameterList(nn.Parameter(torch.zeros(width)) for _ in range(12))
        self.depth = depth
        for i in range(depth):
            self.add_module(f"block{i}", PreNormBlock(width, heads, DIM_HEAD, width * mlp_ratio, qkv_bias))
        self.norm = nn.LayerNorm(width)

    def blocks(self, x):
        for i in range(self.depth):
            x = getattr(self, f"block{i}")(x)
        return x


class MTAE(nn.Module):
    """MTAE (time patches) or, with `lead_patches=True`, MLAE (each lead a token)."""

    def __init__(self, seq_len=2250, patch_size=75, num_leads=12, embed_dim=768, depth=12, num_heads=12,
                 decoder_embed_dim=256, decoder_depth=4, decoder_num_heads=4, mlp_ratio=4, qkv_bias=True,
                 lead_patches=False, **_unused):
        super().__init__()
        if lead_patches:
            n, token_size, layout = num_leads // patch_size, seq_len * patch_size, "lead"
        else:
            n, token_size, layout = seq_len // patch_size, num_leads * patch_size, "time"
        self.mask_embedding = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        self.decoder_pos_embed = nn.Parameter(sincos_table(decoder_embed_dim, n, "cls"), requires_grad=False)
        self.encoder = ViTEncoder(token_size, n, embed_dim, depth, num_heads, mlp_ratio, qkv_bias, layout, patch_size,
                                  "cls")
        self.to_patch_embedding = self.encoder.to_patch_embedding
        self.to_decoder_embedding = nn.Linear(embed_dim, decoder_embed_dim)
        self.decoder_blocks = nn.ModuleList(
            PreNormBlock(decoder_embed_dim, decoder_num_heads, DIM_HEAD,
                         decoder_embed_dim * mlp_ratio, qkv_bias) for _ in range(decoder_depth))
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim, eps=1e-6)
        self.decoder_head = nn.Linear(decoder_embed_dim, token_size)

    def forward(self, signal, mask_ratio=0.75):
        """signal [B, 12, L] -> {loss, out [B, n+1, 256]}."""
        enc = self.encoder
        signal = signal.to(self.decoder_head.weight.dtype)
        x = enc.to_patch_embedding(signal) + enc.pos_embedding[:, 1:]
        kept, mask, ids_restore = random_masking(x, mask_ratio)
        cls = (enc.cls_embedding + enc.pos_embedding[0, 0]).expand(x.shape[0], 1, -1)
        latent = enc.norm(enc.blocks(torch.cat([cls, kept], dim=1)))
        y = self.to_decoder_embedding(latent)
        y = torch.cat([y[:, :1], unshuffle(y[:, 1:], self.mask_embedding, ids_restore)], dim=1) + self.decoder_pos_embed
        for block in self.decoder_blocks:
            y = block(y)
        out = y
        pred = self.decoder_head(self.decoder_norm(y))[:, 1:]
        target = enc.to_patch_embedding[0](signal)
        return {"loss": masked_patch_loss(pred, target, mask), "out": out}

    def get_features(self, series):
        enc = self.encoder
        x = enc.to_patch_embedding(series) + enc.pos_embedding[:, 1:]
        cls = (enc.cls_embedding + enc.pos_embedding[0, 0]).expand(x.shape[0], 1, -1)
        return enc.norm(enc.blocks(torch.cat([cls, x], dim=1)))[:, 0]


class STMEM(nn.Module):
    def __init__(self, seq_len=2250, patch_size=75, num_leads=12, embed_dim=768, depth=12, num_heads=12,
                 decoder_embed_dim=256, decoder_depth=4, decoder_num_heads=4, mlp_ratio=4, qkv_bias=True, **_unused):
        super().__init__()
        n = seq_len // patch_size
        self.mask_embedding = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        self.decoder_pos_embed = nn.Parameter(sincos_table(decoder_embed_dim, n, "sep"), requires_grad=False)
        self.encoder = ViTEncoder(patch_size, n, embed_dim, depth, num_heads, mlp_ratio, qkv_bias, "patch", patch_size,
                                  "sep")
        self.to_patch_embedding = self.encoder.to_patch_embedding
        self.to_decoder_embedding = nn.Linear(embed_dim, decoder_embed_dim)
        self.decoder_blocks = nn.ModuleList(
            PreNormBlock(decoder_embed_dim, decoder_num_heads, DIM_HEAD,
                         decoder_embed_dim * mlp_ratio, qkv_bias) for _ in range(decoder_depth))
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim, eps=1e-6)
        self.decoder_head = nn.Linear(decoder_embed_dim, patch_size)

    def with_separators(self, tokens, pos_left, pos_right):
        """[B, C, k, D] -> [B, C, k+2, D] with SEP + position row at both ends."""
        b, c, _, d = tokens.shape
        sep = self.encoder.sep_embedding
        left = (sep + pos_left).expand(b, c, 1, d)
        right = (sep + pos_right).expand(b, c, 1, d)
        return torch.cat([left, tokens, right], dim=2)

    def add_lead_embeddings(self, x):
        leads = torch.stack(list(self.encoder.lead_embeddings))[: x.shape[1]]
        return x + leads[None, :, None]

    def forward(self, signal, mask_ratio=0.75):
        """signal [B, 12, L] -> {loss, out [B, 12, n+2, 256]}."""
        enc = self.encoder
        signal = signal.to(self.decoder_head.weight.dtype)
        b, c, _ = signal.shape
        pos = enc.pos_embedding[0]
        x = enc.to_patch_embedding(signal) + pos[1:-1]
        kept, mask, ids_restore = random_masking(x, mask_ratio)  # [B, C, keep, D]
        x = self.add_lead_embeddings(self.with_separators(kept, pos[0], pos[-1]))
        keep2 = x.shape[2]
        latent = enc.norm(enc.blocks(x.reshape(b, c * keep2, -1)))
        y = self.to_decoder_embedding(latent).reshape(b, c, keep2, -1)
        dpos = self.decoder_pos_embed[0]
        middle = unshuffle(y[:, :, 1:-1], self.mask_embedding, ids_restore) + dpos[1:-1]
        y = torch.cat([y[:, :, :1] + dpos[0], middle, y[:, :, -1:] + dpos[-1]], dim=2)
        y = y.reshape(b * c, y.shape[2], -1)  # lead-wise decoding: attention within each lead
        for block in self.decoder_blocks:
            y = block(y)
        out = y.reshape(b, c, y.shape[1], -1)
        pred = self.decoder_head(self.decoder_norm(out))[:, :, 1:-1]
        target = enc.to_patch_embedding[0](signal)
        return {"loss": masked_patch_loss(pred, target, mask), "out": out}

    def get_features(self, series):
        enc = self.encoder
        pos = enc.pos_embedding[0]
        x = enc.to_patch_embedding(series) + pos[1:-1]
        x = self.add_lead_embeddings(self.with_separators(x, pos[0], pos[-1]))
        b, c, n2, d = x.shape
        h = enc.blocks(x.reshape(b, c * n2, d)).reshape(b, c, n2, d)[:, :, 1:-1]
        return enc.norm(h.mean(dim=(1, 2)))
