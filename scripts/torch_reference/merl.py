"""MERL — `merl` (models.md §8): 1-D ResNet, attention pooling, a frozen BERT text encoder, CLIP losses."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_channels, width, stride):
        super().__init__()
        out = width * self.expansion
        self.conv1 = nn.Conv1d(in_channels, width, 1, bias=False)
        self.bn1 = nn.BatchNorm1d(width)
        self.conv2 = nn.Conv1d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm1d(width)
        self.conv3 = nn.Conv1d(width, out, 1, bias=False)
        self.bn3 = nn.BatchNorm1d(out)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != out:
            self.shortcut = nn.Sequential(nn.Conv1d(in_channels, out, 1, stride=stride, bias=False), nn.BatchNorm1d(out))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        return F.relu(self.bn3(self.conv3(y)) + self.shortcut(x))


class BasicBlock(nn.Module):
    """ResNet-18/34 block (used only by the tiny bench preset, like `ecg bench train --preset tiny`)."""

    expansion = 1

    def __init__(self, in_channels, width, stride):
        super().__init__()
        self.conv1 = nn.Conv1d(in_channels, width, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm1d(width)
        self.conv2 = nn.Conv1d(width, width, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm1d(width)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != width:
            self.shortcut = nn.Sequential(nn.Conv1d(in_channels, width, 1, stride=stride, bias=False), nn.BatchNorm1d(width))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


class ResNet1d(nn.Module):
    def __init__(self, num_blocks=(3, 4, 23, 3), widths=(64, 128, 256, 512), in_leads=12, block=Bottleneck):
        super().__init__()
        self.conv1 = nn.Conv1d(in_leads, widths[0], 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm1d(widths[0])
        channels = widths[0]
        for k, (count, width) in enumerate(zip(num_blocks, widths), start=1):
            blocks = []
            for j in range(count):
                blocks.append(block(channels, width, (1 if k == 1 else 2) if j == 0 else 1))
                channels = width * block.expansion
            self.add_module(f"layer{k}", nn.Sequential(*blocks))

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x.to(self.conv1.weight.dtype))))
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class AttentionPool(nn.Module):
    def __init__(self, spacial_dim, embed_dim, num_heads, output_dim):
        super().__init__()
        self.positional_embedding = nn.Parameter(torch.randn(1, spacial_dim + 1, embed_dim) / embed_dim)
        self.cls_token = nn.Parameter(torch.randn(1, 1, embed_dim))
        self.mhsa = nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)
        self.c_proj = nn.Linear(embed_dim, output_dim)

    def forward(self, g):  # g [B, D, T]
        x = g.transpose(1, 2)
        cls = (self.cls_token + self.positional_embedding[:, :1]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding  # cls gets pos[0] twice [QUIRK M14]
        y, _ = self.mhsa(x[:, :1], x, x, need_weights=False)
        return self.c_proj(y).flatten(1)


class BertEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"], padding_idx=cfg.get("pad_token_id", 0))
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], cfg["hidden_size"])
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], cfg["hidden_size"])
        self.LayerNorm = nn.LayerNorm(cfg["hidden_size"], eps=cfg["layer_norm_eps"])

    def forward(self, input_ids, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(x)


class BertSelfAttention(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)


class BertDenseNorm(nn.Module):
    def __init__(self, inner, hidden, eps):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)


class BertAttention(nn.Module):
    def __init__(self, hidden, eps):
        super().__init__()
        self.self = BertSelfAttention(hidden)
        self.output = BertDenseNorm(hidden, hidden, eps)


class BertIntermediate(nn.Module):
    def __init__(self, hidden, inner):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)


class BertLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden, eps = cfg["hidden_size"], cfg["layer_norm_eps"]
        self.heads = cfg["num_attention_heads"]
        self.attention = BertAttention(hidden, eps)
        self.intermediate = BertIntermediate(hidden, cfg["intermediate_size"])
        self.output = BertDenseNorm(cfg["intermediate_size"], hidden, eps)

    def forward(self, x, key_padding):
        b, t, d = x.shape
        attn = self.attention.self
        q, k, v = (lin(x).reshape(b, t, self.heads, -1).transpose(1, 2) for lin in (attn.query, attn.key, attn.value))
        bias = torch.zeros(b, 1, 1, t, dtype=q.dtype, device=x.device).masked_fill(key_padding[:, None, None], -math.inf)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, t, d)
        x = self.attention.output.LayerNorm(x + self.attention.output.dense(y))
        return self.output.LayerNorm(x + self.output.dense(F.gelu(self.intermediate.dense(x))))


class BertEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(cfg) for _ in range(cfg["num_hidden_layers"]))


class BertPooler(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.dense = nn.Linear(hidden, hidden)


class Bert(nn.Module):
    """Hugging Face `BertModel` key layout (embeddings, encoder.layer.i, pooler), eval-mode forward only."""

    def __init__(self, cfg):
        super().__init__()
        self.embeddings = BertEmbeddings(cfg)
        self.encoder = BertEncoder(cfg)
        self.pooler = BertPooler(cfg["hidden_size"])

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            x = layer(x, attention_mask == 0)
        return torch.tanh(self.pooler.dense(x[:, 0]))


MEDCPT_QUERY_ENCODER = {"vocab_size": 30522, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
                        "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2,
                        "layer_norm_eps": 1e-12, "pad_token_id": 0}


def clip_loss(x, y, temperature=0.07):
    scores = F.normalize(x.float(), dim=-1) @ F.normalize(y.float(), dim=-1).T / temperature
    labels = torch.arange(scores.shape[0], device=scores.device)
    return F.cross_entropy(scores, labels) + F.cross_entropy(scores.T, labels)


class Merl(nn.Module):
    def __init__(self, proj_hidden=256, proj_out=256, in_channels=2048, dropout=0.1, seq_len=2500,
                 resnet_num_blocks=(3, 4, 23, 3), resnet_widths=(64, 128, 256, 512), text_model=None,
                 spacial_dim=None, resnet_block="Bottleneck", **_unused):
        super().__init__()
        text_model = text_model or MEDCPT_QUERY_ENCODER
        if spacial_dim is None:
            spacial_dim = {2500: 157, 1250: 79}.get(seq_len, 32)
        block = BasicBlock if resnet_block == "BasicBlock" else Bottleneck
        self.resnet = ResNet1d(resnet_num_blocks, resnet_widths, block=block)
        self.lm = Bert(text_model)
        self.lm.requires_grad_(False)
        self.lm.eval()
        self.downconv = nn.Conv1d(in_channels, proj_out, 1)
        self.att_pool_head = AttentionPool(spacial_dim, proj_out, 4, proj_out)
        self.linear1 = nn.Linear(proj_out, proj_out, bias=False)
        self.linear2 = nn.Linear(proj_out, proj_out, bias=False)
        self.proj_t = nn.Sequential(nn.Linear(text_model["hidden_size"], proj_hidden), nn.GELU(),
                                    nn.Linear(proj_hidden, proj_out))
        self.dropout1, self.dropout2 = nn.Dropout(dropout), nn.Dropout(dropout)

    def train(self, mode=True):
        super().train(mode)
        self.lm.eval()  # the reference's frozen LM stays in eval mode
        return self

    def forward(self, signal, condition):
        """§8.3: signal [B, 12, L], condition {input_ids, attention_mask} -> {loss, out}."""
        features = self.resnet(signal)
        g = self.downconv(features)
        proj_ecg = self.att_pool_head(g)
        pooled = g.mean(dim=-1)
        ecg1, ecg2 = self.dropout1(self.linear1(pooled)), self.dropout2(self.linear2(pooled))
        with torch.no_grad():
            text = self.lm(**condition)
        proj_text = self.proj_t(text)
        return {"loss": clip_loss(proj_ecg, proj_text) + clip_loss(ecg1, ecg2), "out": features}

    def get_features(self, signal):
        return self.resnet(signal)
