"""NEPA — `trans_continuous_nepa` (models.md §4)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import PostLNBlock, causal_mask


class NEPA(nn.Module):
    def __init__(self, input_dim=12, d_model=512, n_heads=8, dim_ff=2048, num_layers=6, dropout=0.1,
                 max_seq_len=2500, **_unused):
        super().__init__()
        self.signal_proj = nn.Linear(input_dim, d_model)
        self.pos_emb = nn.Embedding(max_seq_len, d_model)
        self.layers = nn.ModuleList(PostLNBlock(d_model, n_heads, dim_ff, dropout) for _ in range(num_layers))
        self.pred_head = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def embed(self, signal, modality_mask=None):
        if modality_mask is not None:
            signal = signal * (~modality_mask)[..., None]
        x = signal.transpose(1, 2)
        positions = torch.arange(x.shape[1], device=x.device)
        return self.dropout(self.signal_proj(x) + self.pos_emb(positions))

    def blocks(self, x, padding_mask=None):
        mask = causal_mask(x.shape[1], x.device)
        for block in self.layers:
            x = block(x, attn_mask=mask, key_padding_mask=padding_mask)
        return x

    def forward(self, signal, padding_mask=None, modality_mask=None):
        """§4.4: signal [B, 12, L] -> {loss, pred_embed, input_embed}."""
        e = self.embed(signal, modality_mask)
        p = self.pred_head(self.blocks(e, padding_mask))
        target = e.detach()
        per_position = -(F.normalize(p[:, :-1], dim=-1) * F.normalize(target[:, 1:], dim=-1)).sum(-1)
        if padding_mask is None:
            loss = per_position.mean()
        else:
            valid = (~padding_mask[:, 1:]).float()
            loss = (per_position * valid).sum() / valid.sum().clamp(min=1)
        return {"loss": loss, "pred_embed": p, "input_embed": e}

    @torch.no_grad()
    def encode(self, signal, padding_mask=None):
        return self.blocks(self.embed(signal), padding_mask)
