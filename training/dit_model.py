"""A Diffusion Transformer (Peebles & Xie 2023) with the official state-dict key names.

Written from the paper's description; the semantics match the reference implementation
(verified against /work/shared/fixtures/dit-reference-tiny by check_fixture.py).
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def sincos_1d(dim, pos):
    """1-D sin-cos embedding (float64): out[:, :dim/2] = sin(pos*omega), out[:, dim/2:] = cos(pos*omega)."""
    assert dim % 2 == 0
    omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = np.einsum("m,d->md", pos.reshape(-1).astype(np.float64), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(dim, grid):
    """(grid*grid, dim) embedding; token k = row i * grid + col j; first half encodes the column j, second half the row i."""
    assert dim % 2 == 0
    rows, cols = np.meshgrid(np.arange(grid, dtype=np.float64), np.arange(grid, dtype=np.float64), indexing="ij")
    emb_col = sincos_1d(dim // 2, cols.reshape(-1))
    emb_row = sincos_1d(dim // 2, rows.reshape(-1))
    return np.concatenate([emb_col, emb_row], axis=1)


def modulate(x, shift, scale):
    return x * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1)


class PatchEmbed(nn.Module):
    def __init__(self, patch, in_ch, dim):
        super().__init__()
        self.proj = nn.Conv2d(in_ch, dim, kernel_size=patch, stride=patch, bias=True)

    def forward(self, x):
        x = self.proj(x)  # N, D, h, w
        return x.flatten(2).transpose(1, 2)  # N, h*w, D (row-major)


class TimestepEmbedder(nn.Module):
    def __init__(self, dim, freq_dim=256):
        super().__init__()
        self.freq_dim = freq_dim
        self.mlp = nn.Sequential(nn.Linear(freq_dim, dim, bias=True), nn.SiLU(), nn.Linear(dim, dim, bias=True))

    @staticmethod
    def timestep_embedding(t, dim, max_period=10000):
        half = dim // 2
        freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
        args = t.float()[:, None] * freqs[None]
        emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
        if dim % 2:
            emb = torch.cat([emb, torch.zeros_like(emb[:, :1])], dim=-1)
        return emb

    def forward(self, t):
        return self.mlp(self.timestep_embedding(t, self.freq_dim))


class LabelEmbedder(nn.Module):
    def __init__(self, num_classes, dim, dropout_prob):
        super().__init__()
        use_cfg = dropout_prob > 0
        self.embedding_table = nn.Embedding(num_classes + int(use_cfg), dim)
        self.num_classes = num_classes
        self.dropout_prob = dropout_prob

    def forward(self, labels, train, force_drop_ids=None):
        """force_drop_ids: (N,) bool, the drop mask drawn by the caller (train.py draws it for the whole
        global batch, so that N processes drop the same labels as one)."""
        if train and self.dropout_prob > 0:
            drop = force_drop_ids if force_drop_ids is not None else \
                torch.rand(labels.shape[0], device=labels.device) < self.dropout_prob
            labels = torch.where(drop, torch.full_like(labels, self.num_classes), labels)
        return self.embedding_table(labels)


def split_heads(module, dim, heads):
    """heads of head_dim = dim / heads each, and the 1/sqrt(head_dim) of their dot products."""
    module.heads = heads
    module.head_dim = dim // heads
    module.scale = module.head_dim ** -0.5


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        split_heads(self, dim, heads)
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim, bias=True)

    def forward(self, x, return_attn=False):
        n, t, d = x.shape
        qkv = self.qkv(x).reshape(n, t, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]  # N, H, T, hd
        if return_attn:
            attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)
            out = attn @ v
        else:
            attn = None
            out = F.scaled_dot_product_attention(q, k, v)
        out = out.transpose(1, 2).reshape(n, t, d)
        out = self.proj(out)
        return (out, attn) if return_attn else out


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden, bias=True)
        self.act = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(hidden, dim, bias=True)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class DiTBlock(nn.Module):
    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 6 * dim, bias=True))

    def forward(self, x, c):
        shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = self.adaLN_modulation(c).chunk(6, dim=1)
        x = x + gate_msa.unsqueeze(1) * self.attn(modulate(self.norm1(x), shift_msa, scale_msa))
        x = x + gate_mlp.unsqueeze(1) * self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))
        return x


class AdaLNBlock(DiTBlock):
    """Fig. 5's "adaLN": DiTBlock without the gates; Linear(D, 4D) -> shift/scale for attention and MLP."""

    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__(dim, heads, mlp_ratio)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 4 * dim, bias=True))

    def forward(self, x, c):
        shift_msa, scale_msa, shift_mlp, scale_mlp = self.adaLN_modulation(c).chunk(4, dim=1)
        x = x + self.attn(modulate(self.norm1(x), shift_msa, scale_msa))
        x = x + self.mlp(modulate(self.norm2(x), shift_mlp, scale_mlp))
        return x


class CrossAttention(nn.Module):
    """Queries from the image tokens x (N, T, D), keys and values from the conditioning tokens c (N, L, D)."""

    def __init__(self, dim, heads):
        super().__init__()
        split_heads(self, dim, heads)
        self.q = nn.Linear(dim, dim, bias=True)
        self.kv = nn.Linear(dim, 2 * dim, bias=True)  # first D: keys, then values
        self.proj = nn.Linear(dim, dim, bias=True)

    def forward(self, x, c, return_attn=False):
        n, t, d = x.shape
        q = self.q(x).reshape(n, t, self.heads, self.head_dim).transpose(1, 2)  # N, H, T, hd
        kv = self.kv(c).reshape(n, c.shape[1], 2, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        k, v = kv[0], kv[1]  # N, H, L, hd
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)  # N, H, T, L
        out = (attn @ v).transpose(1, 2).reshape(n, t, d)
        out = self.proj(out)
        return (out, attn) if return_attn else out


def self_attention_parts(block, dim, heads):
    """norm1, self-attention and norm2 (affine LayerNorms), registered in this order: how the
    cross-attention and in-context blocks begin (their state-dict keys norm1.*, attn.*, norm2.*)."""
    block.norm1 = nn.LayerNorm(dim, eps=1e-6)
    block.attn = Attention(dim, heads)
    block.norm2 = nn.LayerNorm(dim, eps=1e-6)


class CrossAttentionBlock(nn.Module):
    """Fig. 5's "cross-attention": self-attention, then cross-attention on c = [t_emb, y_emb], then the MLP."""

    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self_attention_parts(self, dim, heads)
        self.cross_attn = CrossAttention(dim, heads)
        self.norm3 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x, c):  # c: N, 2, D
        x = x + self.attn(self.norm1(x))
        x = x + self.cross_attn(self.norm2(x), c)
        x = x + self.mlp(self.norm3(x))
        return x


class InContextBlock(nn.Module):
    """Fig. 5's "in-context": a standard pre-LN ViT block; t and y are two more tokens in x."""

    def __init__(self, dim, heads, mlp_ratio=4.0):
        super().__init__()
        self_attention_parts(self, dim, heads)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x, c=None):
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x


class PlainFinalLayer(nn.Module):
    """The final layer of the designs without modulation: affine LayerNorm, then the linear decoder."""

    def __init__(self, dim, patch, out_ch):
        super().__init__()
        self.norm_final = nn.LayerNorm(dim, eps=1e-6)
        self.linear = nn.Linear(dim, patch * patch * out_ch, bias=True)

    def forward(self, x, c=None):
        return self.linear(self.norm_final(x))


# config.json "conditioning" -> (block, final layer); absent means adaLN-Zero (models.py).
CONDITIONINGS = ("adaLN-Zero", "adaLN", "cross-attention", "in-context")


def design_layers(conditioning):
    return {"adaLN-Zero": (DiTBlock, None), "adaLN": (AdaLNBlock, None),
            "cross-attention": (CrossAttentionBlock, PlainFinalLayer),
            "in-context": (InContextBlock, PlainFinalLayer)}[conditioning]


class FinalLayer(nn.Module):
    def __init__(self, dim, patch, out_ch):
        super().__init__()
        self.norm_final = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)
        self.linear = nn.Linear(dim, patch * patch * out_ch, bias=True)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(dim, 2 * dim, bias=True))

    def forward(self, x, c):
        shift, scale = self.adaLN_modulation(c).chunk(2, dim=1)
        return self.linear(modulate(self.norm_final(x), shift, scale))


class DiT(nn.Module):
    def __init__(self, input_size=32, patch_size=2, in_channels=4, hidden_size=1152, depth=28, num_heads=16,
                 mlp_ratio=4.0, class_dropout_prob=0.1, num_classes=1000, learn_sigma=True,
                 conditioning="adaLN-Zero"):
        super().__init__()
        if conditioning not in CONDITIONINGS:
            raise ValueError(f"conditioning {conditioning!r}: expected one of {', '.join(CONDITIONINGS)}")
        self.conditioning = conditioning
        block, final = design_layers(conditioning)
        self.learn_sigma = learn_sigma
        self.in_channels = in_channels
        self.out_channels = in_channels * 2 if learn_sigma else in_channels
        self.patch_size = patch_size
        self.num_heads = num_heads
        self.num_classes = num_classes
        self.input_size = input_size

        self.x_embedder = PatchEmbed(patch_size, in_channels, hidden_size)
        self.t_embedder = TimestepEmbedder(hidden_size)
        self.y_embedder = LabelEmbedder(num_classes, hidden_size, class_dropout_prob)
        grid = input_size // patch_size
        self.num_patches = grid * grid
        self.pos_embed = nn.Parameter(torch.zeros(1, self.num_patches, hidden_size), requires_grad=False)
        self.blocks = nn.ModuleList([block(hidden_size, num_heads, mlp_ratio) for _ in range(depth)])
        self.final_layer = (final or FinalLayer)(hidden_size, patch_size, self.out_channels)
        self.initialize_weights()

    def initialize_weights(self):
        def _basic(m):
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
        self.apply(_basic)
        grid = int(self.num_patches ** 0.5)
        pe = sincos_2d(self.pos_embed.shape[-1], grid)
        self.pos_embed.data.copy_(torch.from_numpy(pe).float().unsqueeze(0))
        w = self.x_embedder.proj.weight.data
        nn.init.xavier_uniform_(w.view(w.shape[0], -1))
        nn.init.zeros_(self.x_embedder.proj.bias)
        nn.init.normal_(self.y_embedder.embedding_table.weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[0].weight, std=0.02)
        nn.init.normal_(self.t_embedder.mlp[2].weight, std=0.02)
        if self.conditioning != "adaLN-Zero":
            return  # the other designs keep the basic initialisation (the paper zero-initialises only adaLN-Zero)
        for blk in self.blocks:
            nn.init.zeros_(blk.adaLN_modulation[-1].weight)
            nn.init.zeros_(blk.adaLN_modulation[-1].bias)
        nn.init.zeros_(self.final_layer.adaLN_modulation[-1].weight)
        nn.init.zeros_(self.final_layer.adaLN_modulation[-1].bias)
        nn.init.zeros_(self.final_layer.linear.weight)
        nn.init.zeros_(self.final_layer.linear.bias)

    def unpatchify(self, x):
        c, p = self.out_channels, self.patch_size
        h = w = int(x.shape[1] ** 0.5)
        assert h * w == x.shape[1]
        x = x.reshape(x.shape[0], h, w, p, p, c)
        x = torch.einsum("nhwpqc->nchpwq", x)
        return x.reshape(x.shape[0], c, h * p, w * p)

    def forward(self, x, t, y, force_drop_ids=None):
        x = self.x_embedder(x) + self.pos_embed  # N, T, D
        t_emb = self.t_embedder(t)  # N, D
        y_emb = self.y_embedder(y, self.training, force_drop_ids)  # N, D
        if self.conditioning == "cross-attention":
            c = torch.stack([t_emb, y_emb], dim=1)  # N, 2, D
        elif self.conditioning == "in-context":
            x = torch.cat([t_emb[:, None], y_emb[:, None], x], dim=1)  # N, T+2, D
            c = None
        else:
            c = t_emb + y_emb  # N, D
        for blk in self.blocks:
            x = blk(x, c)
        if self.conditioning == "in-context":
            x = x[:, 2:]  # drop the two conditioning tokens
        x = self.final_layer(x, c)
        return self.unpatchify(x)

    def forward_with_cfg(self, x, t, y, cfg_scale):
        """x, t, y already doubled: first half conditional, second half null labels."""
        half = x[: len(x) // 2]
        combined = torch.cat([half, half], dim=0)
        out = self.forward(combined, t, y)
        eps, rest = out[:, : self.in_channels], out[:, self.in_channels:]
        cond_eps, uncond_eps = torch.split(eps, len(eps) // 2, dim=0)
        half_eps = uncond_eps + cfg_scale * (cond_eps - uncond_eps)
        eps = torch.cat([half_eps, half_eps], dim=0)
        return torch.cat([eps, rest], dim=1)


CONFIG_KEYS = ("input_size", "patch_size", "in_channels", "hidden_size", "depth", "num_heads", "mlp_ratio",
               "num_classes", "learn_sigma", "conditioning")

def dit_s_fashion(patch, conditioning=None, hidden=384, depth=12, heads=6):
    """DiT-S/p for Fashion-MNIST (32x32x1 pixels, 10 classes + the null class, learned sigma); other widths
    and depths with hidden/depth/heads (then it is not DiT-S: name it by its size)."""
    config = dict(input_size=32, patch_size=patch, in_channels=1, hidden_size=hidden, depth=depth, num_heads=heads,
                  mlp_ratio=4.0, num_classes=10, learn_sigma=True)
    if conditioning is not None:
        config["conditioning"] = conditioning
    return config


PAPER_SIZES = {"S": (384, 12, 6), "B": (768, 12, 12), "L": (1024, 24, 16), "XL": (1152, 28, 16)}  # D, depth, heads


def size_name(config):
    """The paper's name (DiT-S/8) for its sizes, otherwise the size itself (DiT-D192-L6/8: D 192, 6 blocks)."""
    shape = (config["hidden_size"], config["depth"], config["num_heads"])
    name = next((n for n, s in PAPER_SIZES.items() if s == shape), None)
    return f"DiT-{name}/{config['patch_size']}" if name else \
        f"DiT-D{config['hidden_size']}-L{config['depth']}/{config['patch_size']}"


def build(config, class_dropout_prob=0.1):
    kw = {k: config[k] for k in CONFIG_KEYS if k in config}
    return DiT(class_dropout_prob=class_dropout_prob, **kw)
