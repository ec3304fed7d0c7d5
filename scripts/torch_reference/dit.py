"""DiT — `trans_continuous_dit` (models.md §3), unconditional and lead-conditioned."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import modulate, time_embedding


class DiTBlock(nn.Module):
    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d), nn.Dropout(dropout))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 6 * d))
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False)

    def forward(self, h, c, key_padding_mask=None):
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=-1)
        y = modulate(self.norm1(h), shift_msa, scale_msa)
        y, _ = self.self_attn(y, y, y, key_padding_mask=key_padding_mask, need_weights=False)
        h = h + gate_msa[:, None] * y
        y = modulate(self.norm2(h), shift_mlp, scale_mlp)
        return h + gate_mlp[:, None] * self.ff(y)


class LeadConditionEmbedder(nn.Module):
    def __init__(self, d, max_seq_len):
        super().__init__()
        self.proj = nn.Linear(1, d)
        self.pos_emb = nn.Embedding(max_seq_len, d)

    def forward(self, lead):  # lead [B, L]
        positions = torch.arange(lead.shape[1], device=lead.device)
        return (self.proj(lead[..., None]) + self.pos_emb(positions)).mean(dim=1)


class DiT(nn.Module):
    def __init__(self, input_dim=12, d_model=512, n_heads=8, dim_ff=2048, num_layers=12, dropout=0.1,
                 max_seq_len=2500, loss_type="rectified_flow", num_steps=50, beta_start=1e-4, beta_end=0.02,
                 condition=None, condition_dropout=0.1, **_unused):
        super().__init__()
        if condition not in (None, "lead"):
            raise ValueError(f"condition {condition!r}: only None and 'lead' are written out here")
        d = d_model
        self.loss_type, self.condition, self.condition_dropout = loss_type, condition, condition_dropout
        if condition is not None:
            self.null_cond_emb = nn.Parameter(torch.zeros(d))
        if loss_type == "ddpm":
            betas = torch.linspace(beta_start, beta_end, 1000, dtype=torch.float32)
            alphas = 1 - betas
            self.register_buffer("betas", betas)
            self.register_buffer("alphas", alphas)
            self.register_buffer("alphas_cumprod", torch.cumprod(alphas, dim=0))
        self.input_proj = nn.Linear(input_dim, d)
        self.pos_emb = nn.Embedding(max_seq_len, d)
        self.time_mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.layers = nn.ModuleList(DiTBlock(d, n_heads, dim_ff, dropout) for _ in range(num_layers))
        self.final_norm = nn.LayerNorm(d, elementwise_affine=False)
        self.final_adaLN = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.output_proj = nn.Linear(d, input_dim)
        if condition == "lead":
            self.condition_embedder = LeadConditionEmbedder(d, max_seq_len)
        for linear in [*(block.adaLN_modulation[1] for block in self.layers), self.final_adaLN[1], self.output_proj]:
            nn.init.zeros_(linear.weight)
            nn.init.zeros_(linear.bias)

    def trunk(self, x, c, key_padding_mask=None):
        positions = torch.arange(x.shape[1], device=x.device)
        h = self.input_proj(x) + self.pos_emb(positions)
        for block in self.layers:
            h = block(h, c, key_padding_mask)
        return h

    def net(self, x, t, cond_emb=None, key_padding_mask=None):
        """x_t [B, L, C], t [B] -> [B, L, C] (§3.3)."""
        c = self.time_mlp(time_embedding(t, self.pos_emb.embedding_dim))
        if cond_emb is not None:
            c = c + cond_emb
        h = self.trunk(x, c, key_padding_mask)
        shift, scale = self.final_adaLN(c).chunk(2, dim=-1)
        return self.output_proj(modulate(self.final_norm(h), shift, scale))

    def forward(self, signal, padding_mask=None, condition=None):
        """Training forward (§3.5): signal [B, C, L] -> {loss, prediction [B, C, L]}."""
        x1 = signal.transpose(1, 2)
        b = x1.shape[0]
        cond_emb = None
        if self.condition is not None and condition is not None:
            cond_emb = self.condition_embedder(condition)
            if self.training:
                drop = torch.rand(b, device=x1.device) < self.condition_dropout
                cond_emb = torch.where(drop[:, None], self.null_cond_emb.expand_as(cond_emb), cond_emb)
        if self.loss_type == "rectified_flow":
            x0 = torch.randn_like(x1)
            t = torch.rand(b, device=x1.device)
            xt = (1 - t[:, None, None]) * x0 + t[:, None, None] * x1
            target = x1 - x0
        else:
            t_int = torch.randint(0, 1000, (b,), device=x1.device)
            t = t_int.float() / 1000
            eps = torch.randn_like(x1)
            abar = self.alphas_cumprod[t_int][:, None, None]
            xt = abar.sqrt() * x1 + (1 - abar).sqrt() * eps
            target = eps
        pred = self.net(xt, t, cond_emb, padding_mask)
        if padding_mask is None:
            loss = F.mse_loss(pred.float(), target.float())
        else:
            valid = (~padding_mask).float()
            loss = (((pred - target) ** 2) * valid[..., None]).sum() / valid.sum()
        return {"loss": loss, "prediction": pred.transpose(1, 2)}

    def get_features(self, signal, padding_mask=None):
        """§3.9: [B, C, L] -> [B, d]."""
        x = signal.transpose(1, 2)
        c = self.time_mlp(time_embedding(torch.zeros(x.shape[0], device=x.device), self.pos_emb.embedding_dim))
        h = self.final_norm(self.trunk(x, c, padding_mask))
        if padding_mask is None:
            return h.mean(dim=1)
        valid = (~padding_mask).float()[..., None]
        return (h * valid).sum(dim=1) / valid.sum(dim=1)
