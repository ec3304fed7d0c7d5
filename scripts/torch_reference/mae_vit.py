"""MAE-ViT — `mae_vit` (models.md §7): each lead one patch, masking drawn by the data pipeline."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .layers import PostLNBlock


class MAEViT(nn.Module):
    def __init__(self, patch_dim, d_model=512, n_heads=8, dim_ff=2048, num_encoder_layers=6, num_decoder_layers=4,
                 dropout=0.1, max_patches=12, decoder_d_model=512, **_unused):
        super().__init__()
        if decoder_d_model != d_model:
            raise ValueError("decoder_d_model must equal d_model (enc_to_dec is the identity in every built model)")
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_d_model))
        self.patch_proj = nn.Linear(patch_dim, d_model)
        self.pos_enc = nn.Embedding(max_patches, d_model)
        self.encoder = nn.ModuleList(PostLNBlock(d_model, n_heads, dim_ff, dropout, "attn")
                                     for _ in range(num_encoder_layers))
        self.enc_norm = nn.LayerNorm(d_model)
        self.dec_pos = nn.Embedding(max_patches, decoder_d_model)
        self.decoder = nn.ModuleList(PostLNBlock(decoder_d_model, n_heads, dim_ff, dropout, "attn")
                                     for _ in range(num_decoder_layers))
        self.dec_norm = nn.LayerNorm(decoder_d_model)
        self.pred_head = nn.Linear(decoder_d_model, patch_dim)

    def encode(self, patches, visible_mask):
        b, n, _ = patches.shape
        x = self.patch_proj(patches) + self.pos_enc(torch.arange(n, device=patches.device))
        visible = visible_mask.bool()
        x = x[visible].reshape(b, -1, x.shape[-1])  # row-major: visible patches in increasing order
        for block in self.encoder:
            x = block(x)
        return self.enc_norm(x)

    def forward(self, patches, visible_mask, targets=None, loss_on_masked_only=True):
        """§7.3: patches [B, N, P], visible_mask [B, N] (1 = visible) -> {loss, recon, pred, mask, enc}."""
        b, n, _ = patches.shape
        enc = self.encode(patches, visible_mask)
        visible = visible_mask.bool()
        x = self.mask_token.expand(b, n, -1).to(enc.dtype).clone()
        x[visible] = enc.reshape(-1, enc.shape[-1])
        x = x + self.dec_pos(torch.arange(n, device=patches.device))
        for block in self.decoder:
            x = block(x)
        pred = self.pred_head(self.dec_norm(x))
        target = patches if targets is None else targets
        if loss_on_masked_only:
            masked = ~visible
            loss = F.mse_loss(pred[masked].float(), target[masked].float())
        else:
            loss = F.mse_loss(pred.float(), target.float())
        return {"loss": loss, "recon": pred, "pred": pred, "mask": ~visible, "enc": enc}

    def get_features(self, patches, visible_mask):
        return self.encode(patches, visible_mask).mean(dim=1)
