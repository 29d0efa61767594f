"""Parity fixtures of the four block designs (Tests/DiTTests/Fixtures/conditioning/<design>/), made with
training/dit_model.py (the PyTorch the Fig. 5 models are trained with) on small random configs.

Per design: config.json (with "conditioning") and model.safetensors (F32, every parameter random, so no
zero-initialised branch hides a bug), and
  x.npy            (N, C, I, I) model input
  forward.npy      (N, outC, I, I) model(x, t, y) in eval mode
  attention.npy    (N, heads, L, L) softmax self-attention of the last block (L = T, or T + 2 in-context)
  cross.npy        (N, heads, T, 2) cross-attention weights of the last block (cross-attention only)
  noise.npy, step_noise.npy, ddim.npy   DDIM eta=0, 5 respaced steps, CFG 3 on the eps channels, clipped
  MANIFEST.json    t, labels, steps, cfg

  /work/venv/bin/python training/make_conditioning_fixtures.py
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import dit_model  # noqa: E402
from diffusion import create_diffusion  # noqa: E402

OUT = os.path.join(HERE, "..", "Tests", "DiTTests", "Fixtures", "conditioning")
T_IN, Y_IN, STEPS, CFG = [700, 13], [1, 3], 5, 3.0
CONFIG = dict(input_size=8, patch_size=2, in_channels=2, hidden_size=32, depth=2, num_heads=4, mlp_ratio=2.0,
              num_classes=3, learn_sigma=True)


def randomise(model, gen):
    for name, p in model.named_parameters():
        if name == "pos_embed":
            continue
        with torch.no_grad():
            if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name.endswith("norm3.weight") \
                    or name.endswith("norm_final.weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_((0.25 if p.dim() > 1 else 0.1) * torch.randn(p.shape, generator=gen))


def capture(model):
    """Keeps the last block's self-attention (and cross-attention) probabilities."""
    kept = {}
    last = model.blocks[-1]

    def self_attn(x):
        out, a = dit_model.Attention.forward(last.attn, x, return_attn=True)
        kept["attention"] = a
        return out
    last.attn.forward = self_attn
    if hasattr(last, "cross_attn"):
        def cross(x, c):
            out, a = dit_model.CrossAttention.forward(last.cross_attn, x, c, return_attn=True)
            kept["cross"] = a
            return out
        last.cross_attn.forward = cross
    return kept


def main():
    torch.set_num_threads(2)
    for k, design in enumerate(dit_model.CONDITIONINGS):
        gen = torch.Generator().manual_seed(100 + k)
        config = dict(CONFIG, conditioning=design)
        model = dit_model.build(config).eval()
        randomise(model, gen)
        d = os.path.join(OUT, design)
        os.makedirs(d, exist_ok=True)
        save_file({n: t.detach().contiguous() for n, t in model.state_dict().items()}, os.path.join(d, "model.safetensors"))
        json.dump(config, open(os.path.join(d, "config.json"), "w"), indent=1)
        C, I = config["in_channels"], config["input_size"]
        x = torch.randn(2, C, I, I, generator=gen)
        kept = capture(model)
        with torch.no_grad():
            out = model(x, torch.tensor(T_IN), torch.tensor(Y_IN))
        np.save(os.path.join(d, "x.npy"), x.numpy())
        np.save(os.path.join(d, "forward.npy"), out.numpy())
        np.save(os.path.join(d, "attention.npy"), kept["attention"].numpy())
        if "cross" in kept:
            np.save(os.path.join(d, "cross.npy"), kept["cross"].numpy())
        noise = torch.randn(2, C, I, I, generator=gen)
        step_noise = torch.randn(STEPS, 2, C, I, I, generator=gen)
        diffusion = create_diffusion(str(STEPS), learn_sigma=True)
        with torch.no_grad():
            sample = diffusion.sample(model, noise, torch.tensor(Y_IN), cfg_scale=CFG, method="ddim")
        np.save(os.path.join(d, "noise.npy"), noise.numpy())
        np.save(os.path.join(d, "step_noise.npy"), step_noise.numpy())
        np.save(os.path.join(d, "ddim.npy"), sample.numpy())
        params = sum(p.numel() for n, p in model.named_parameters() if n != "pos_embed")
        json.dump(dict(design=design, t=T_IN, labels=Y_IN, steps=STEPS, cfg=CFG, parameters_without_pos_embed=params,
                       made_by="training/make_conditioning_fixtures.py (training/dit_model.py, torch %s)" % torch.__version__),
                  open(os.path.join(d, "MANIFEST.json"), "w"), indent=1)
        print(design, tuple(out.shape), float(out.abs().mean()), params)


if __name__ == "__main__":
    main()
