"""Fixtures of the forward process and the training loss (Tests/DiTTests/Fixtures/forward/), made with
the reference-equal PyTorch of this folder (dit_model.py, diffusion.py: checked against the official DiT
code by check_fixture.py) on the official tiny model of /work/shared/fixtures/dit-reference-tiny.

  x0.npy, noise.npy   (N, 1, 8, 8) clean images in [-1, 1] and ε
  xt.npy              q_sample(x0, t, noise) on the 1000-step linear schedule
  mse.npy             (N,) training_losses(model, x0, t, y, noise)["mse"], model in eval mode (no label drop)
  eps_cond.npy        (N, outC, 8, 8) the raw model output at x_t (ε̂ and the variance values)
  alphas_cumprod_{linear,cosine}.npy  (1000,) float64 ᾱ of both schedules (cosine: improved-diffusion's
                      betas_for_alpha_bar with max_beta 0.999)
  sdedit_ddim.npy, sdedit_ddpm.npy  SDEdit: x0[:2] noised (ε = noise[:2]) to the timestep of respaced step
                      K of 10, then DDIM η=0 / DDPM (step_noise[j] for the j-th step run) from K, CFG 3, clipped
  MANIFEST.json       t, labels, K, cfg
"""
import json
import math
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from diffusion import GaussianDiffusion, create_diffusion  # noqa: E402
from dit_model import build  # noqa: E402

FIX = "/work/shared/fixtures/dit-reference-tiny"
OUT = os.path.join(HERE, "..", "Tests", "DiTTests", "Fixtures", "forward")
T = [0, 1, 37, 500, 998, 999]
LABELS = [0, 2, 3, 1, 2, 0]          # 3 = num_classes: the null class
STEPS, K, CFG = 10, 4, 3.0


def cosine_betas(n=1000, max_beta=0.999):
    f = lambda s: math.cos((s + 0.008) / 1.008 * math.pi / 2) ** 2
    return np.array([min(1 - f((i + 1) / n) / f(i / n), max_beta) for i in range(n)], dtype=np.float64)


def main():
    torch.set_num_threads(1)
    cfg = json.load(open(os.path.join(FIX, "config.json")))
    model = build(cfg).eval()
    sd = load_file(os.path.join(FIX, "model.safetensors"))
    model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    g = torch.Generator().manual_seed(12)
    n, c, s = len(T), cfg["in_channels"], cfg["input_size"]
    x0 = (torch.rand(n, c, s, s, generator=g) * 2 - 1).float()
    noise = torch.randn(n, c, s, s, generator=g).float()
    t = torch.tensor(T)
    y = torch.tensor(LABELS)
    base = create_diffusion(None, learn_sigma=cfg["learn_sigma"])
    with torch.no_grad():
        xt = base.q_sample(x0, t, noise)
        out = model(xt, t, y)
        mse = base.training_losses(model, x0, t, y, noise=noise)["mse"]
    os.makedirs(OUT, exist_ok=True)
    save = lambda name, a: np.save(os.path.join(OUT, name), np.ascontiguousarray(a))
    save("x0.npy", x0.numpy()); save("noise.npy", noise.numpy()); save("xt.npy", xt.numpy())
    save("mse.npy", mse.numpy().astype(np.float32)); save("eps_cond.npy", out.numpy())
    save("alphas_cumprod_linear.npy", base.alphas_cumprod)
    save("alphas_cumprod_cosine.npy", np.cumprod(1 - cosine_betas()))

    # SDEdit on the first two rows: noise with the ORIGINAL ᾱ of timestep_map[i], then the respaced loop from i.
    d = create_diffusion(STEPS, learn_sigma=cfg["learn_sigma"])
    i0 = STEPS - 1 - K
    t0 = int(d.timestep_map[i0])
    ys = y[:2].clone(); ys[ys == cfg["num_classes"]] = 1
    step_noise = torch.randn(STEPS, 2, c, s, s, generator=g).float()
    x_start = base.q_sample(x0[:2], torch.full((2,), t0), noise[:2])
    yy = torch.cat([ys, torch.full_like(ys, cfg["num_classes"])])
    fn = lambda a, b: model.forward_with_cfg(a, b, yy, CFG)
    for method in ["ddim", "ddpm"]:
        x = torch.cat([x_start, x_start])
        with torch.no_grad():
            for j, i in enumerate(range(i0, -1, -1)):
                nz = torch.cat([step_noise[j], step_noise[j]])
                if method == "ddim":
                    x = d.ddim_step(fn, x, i, True)
                else:
                    x = d.ddpm_step(fn, x, i, True, noise=nz)
        save(f"sdedit_{method}.npy", x[:2].numpy())
    save("step_noise.npy", step_noise.numpy())
    json.dump({"made_by": "training/make_forward_fixtures.py", "model": FIX, "t": T, "labels": LABELS,
               "sdedit": {"labels": ys.tolist(), "steps": STEPS, "init_step": K, "timestep": t0, "cfg": CFG,
                          "x0": "x0[:2]", "eps": "noise[:2]", "step_noise": "step_noise.npy, row j for the j-th step run"}},
              open(os.path.join(OUT, "MANIFEST.json"), "w"), indent=2)
    print("mse", mse.numpy(), "t0", t0, "->", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
