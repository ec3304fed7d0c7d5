"""Decoder transformer (models.md §5) and the flow-matching signal head wrapper (§6)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import PostLNBlock, causal_mask, modulate, time_embedding


class DecoderTransformer(nn.Module):
    def __init__(self, vocab_size, pad_id, d_model=512, n_heads=8, dim_ff=2048, num_layers=12, dropout=0.1,
                 max_seq_len=512, **_unused):
        super().__init__()
        self.pad_id = pad_id
        self.token_emb = nn.Embedding(vocab_size, d_model, padding_idx=pad_id)
        self.pos_emb = nn.Embedding(max_seq_len, d_model)
        self.layers = nn.ModuleList(PostLNBlock(d_model, n_heads, dim_ff, dropout) for _ in range(num_layers))
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, tgt_ids, tgt_key_padding_mask=None, labels=None):
        """§5.3: tgt_ids [B, T] -> {loss, logits [B, T, V], hidden_states [B, T, d]}."""
        if tgt_key_padding_mask is None:
            tgt_key_padding_mask = tgt_ids == self.pad_id
        positions = torch.arange(tgt_ids.shape[1], device=tgt_ids.device)
        x = self.dropout(self.token_emb(tgt_ids) + self.pos_emb(positions))
        mask = causal_mask(tgt_ids.shape[1], tgt_ids.device)
        for block in self.layers:
            x = block(x, attn_mask=mask, key_padding_mask=tgt_key_padding_mask)
        logits = self.lm_head(x)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]).float(), labels[:, 1:].reshape(-1),
                                   ignore_index=-100)
        return {"loss": loss, "logits": logits, "hidden_states": x}


class SignalHeadBlock(nn.Module):
    def __init__(self, d, heads, ff, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d), nn.Dropout(dropout))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(d, 9 * d))
        self.norm1 = nn.LayerNorm(d, elementwise_affine=False)
        self.norm_cross = nn.LayerNorm(d, elementwise_affine=False)
        self.norm2 = nn.LayerNorm(d, elementwise_affine=False)

    def forward(self, h, c, context, context_mask):
        (shift_sa, scale_sa, gate_sa, shift_ca, scale_ca, gate_ca,
         shift_ff, scale_ff, gate_ff) = self.adaLN_modulation(c).chunk(9, dim=-1)
        y = modulate(self.norm1(h), shift_sa, scale_sa)
        y, _ = self.self_attn(y, y, y, need_weights=False)
        h = h + gate_sa[:, None] * y
        y = modulate(self.norm_cross(h), shift_ca, scale_ca)
        y, _ = self.cross_attn(y, context, context, key_padding_mask=context_mask, need_weights=False)
        h = h + gate_ca[:, None] * y
        y = modulate(self.norm2(h), shift_ff, scale_ff)
        return h + gate_ff[:, None] * self.ff(y)


class SignalFlowHead(nn.Module):
    def __init__(self, signal_dim=12, d_model=512, n_heads=8, dim_ff=2048, num_layers=4, dropout=0.1,
                 max_signal_len=2500, num_steps=50, **_unused):
        super().__init__()
        d = d_model
        self.input_proj = nn.Linear(signal_dim, d)
        self.pos_emb = nn.Embedding(max_signal_len, d)
        self.time_mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))
        self.layers = nn.ModuleList(SignalHeadBlock(d, n_heads, dim_ff, dropout) for _ in range(num_layers))
        self.final_norm = nn.LayerNorm(d, elementwise_affine=False)
        self.final_adaLN = nn.Sequential(nn.SiLU(), nn.Linear(d, 2 * d))
        self.output_proj = nn.Linear(d, signal_dim)
        for linear in [*(block.adaLN_modulation[1] for block in self.layers), self.final_adaLN[1], self.output_proj]:
            nn.init.zeros_(linear.weight)
            nn.init.zeros_(linear.bias)

    def _forward_net(self, x_t, t, context, context_mask):
        """§6.3: x_t [B, L, S], t [B], context [B, T, d] -> [B, L, S]."""
        c = self.time_mlp(time_embedding(t, self.pos_emb.embedding_dim))
        positions = torch.arange(x_t.shape[1], device=x_t.device)
        h = self.input_proj(x_t) + self.pos_emb(positions)
        for block in self.layers:
            h = block(h, c, context, context_mask)
        shift, scale = self.final_adaLN(c).chunk(2, dim=-1)
        return self.output_proj(modulate(self.final_norm(h), shift, scale))


class DecoderWithSignalHead(nn.Module):
    def __init__(self, decoder, signal_head, freeze_decoder=False, flow_loss_weight=1.0, **_unused):
        super().__init__()
        self.decoder = DecoderTransformer(**decoder)
        self.signal_head = SignalFlowHead(**signal_head)
        self.freeze_decoder, self.flow_loss_weight = freeze_decoder, flow_loss_weight
        if freeze_decoder:
            self.decoder.requires_grad_(False)

    def forward(self, tgt_ids, signal, labels=None, tgt_key_padding_mask=None):
        """§6.4: tgt_ids [B, T], signal [B, S, L] -> {loss, prediction [B, S, L]}."""
        if tgt_key_padding_mask is None:
            tgt_key_padding_mask = tgt_ids == self.decoder.pad_id
        out = self.decoder(tgt_ids, tgt_key_padding_mask, None if self.freeze_decoder else labels)
        x1 = signal.transpose(1, 2)
        x0 = torch.randn_like(x1)
        t = torch.rand(x1.shape[0], device=x1.device)
        xt = (1 - t[:, None, None]) * x0 + t[:, None, None] * x1
        pred = self.signal_head._forward_net(xt, t, out["hidden_states"], tgt_key_padding_mask)
        flow = F.mse_loss(pred.float(), (x1 - x0).float())
        loss = flow * self.flow_loss_weight if out["loss"] is None else out["loss"] + self.flow_loss_weight * flow
        return {"loss": loss, "prediction": pred.transpose(1, 2)}
