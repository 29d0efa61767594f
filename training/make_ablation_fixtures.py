"""Ground truth of `--ablate` (Tests/DiTTests/Fixtures/ablation/), from the reference code itself:

  adaLN-Zero   facebookresearch/DiT models.py and its diffusion/ package (the official repository, extracted
               to OFFICIAL below: git --git-dir=<mirror> archive HEAD models.py diffusion | tar -x -C OFFICIAL),
               on small random configs that are not the shipped shapes (depth, heads, patch, learn_sigma
               vary). An ablation is made in the weights, as a reader of the paper would:
                 block.K        gate rows of blocks.K.adaLN_modulation.1 (weight rows and bias entries of
                                chunks 2 and 5: gate_msa, gate_mlp) set to zero, so α_msa = α_mlp = 0
                 block.K.attn   gate_msa's rows only;   block.K.mlp   gate_mlp's rows only
                 head.K.H       the input columns H·hd … (H+1)·hd − 1 of blocks.K.attn.proj.weight set to zero
                                (the head's output zeroed before attn.proj; the bias stays)
  diffusers    DiTTransformer2DModel (the diffusers-dit fixtures): the same weight edits under diffusers' names,
               forward only.
  other designs training/dit_model.py (verified against the official code) on the conditioning fixtures'
               models (../conditioning/<design>), with the branch replaced by zeros (x + 0 = x) or the
               block's forward by the identity; head.K.H as above.

Per case: forward_<i>.npy = model(x, t, y) (N, outC, I, I), and ddim_clip_<i>.npy / ddim_noclip_<i>.npy: the
official ddim_sample_loop (η 0, clip_denoised True / False, STEPS respaced steps) of the doubled batch with guidance CFG on the
first C (ε) channels (for C = 3 this is models.py's forward_with_cfg itself, which slices 3 channels),
starting from noise.npy. MANIFEST.json lists every case: model directory, x, noise, t, labels, specs.

  /work/venv/bin/python training/make_ablation_fixtures.py [OFFICIAL]
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import load_file, save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OFFICIAL = sys.argv[1] if len(sys.argv) > 1 else "/tmp/dit-official"
sys.path.insert(0, OFFICIAL)
import models as official  # noqa: E402  facebookresearch/DiT models.py
from diffusion import create_diffusion  # noqa: E402  facebookresearch/DiT diffusion/

spec = importlib.util.spec_from_file_location("dit_model", os.path.join(HERE, "dit_model.py"))
dit_model = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dit_model)

FIXTURES = os.path.join(HERE, "..", "Tests", "DiTTests", "Fixtures")
OUT = os.path.join(FIXTURES, "ablation")
STEPS, CFG = 4, 3.0

# Small official configs, none of them a shipped shape.
OFFICIAL_CONFIGS = {
    "official-d3h4p2": dict(input_size=8, patch_size=2, in_channels=1, hidden_size=32, depth=3, num_heads=4,
                            mlp_ratio=2.0, num_classes=3, learn_sigma=True),
    "official-d2h3p3": dict(input_size=12, patch_size=3, in_channels=2, hidden_size=24, depth=2, num_heads=3,
                            mlp_ratio=1.5, num_classes=4, learn_sigma=False),
    "official-d4h2p4": dict(input_size=8, patch_size=4, in_channels=3, hidden_size=16, depth=4, num_heads=2,
                            mlp_ratio=3.0, num_classes=2, learn_sigma=True),
}
OFFICIAL_CASES = {
    "official-d3h4p2": [[], ["block.1"], ["block.0.attn"], ["block.2.mlp"], ["head.1.3"], ["block.0.mlp", "head.2.0"]],
    "official-d2h3p3": [["block.0"], ["block.1.attn"], ["head.0.2"], ["head.1.0", "head.1.1", "block.0.mlp"]],
    "official-d4h2p4": [["block.3"], ["block.1.mlp"], ["head.2.1"], ["block.0", "block.2.attn"]],
}
DESIGN_CASES = {
    "adaLN": [["block.0"], ["block.1.attn"], ["block.0.mlp"], ["head.1.2"]],
    "cross-attention": [["block.1"], ["block.0.cross"], ["block.1.attn"], ["head.0.3", "block.1.mlp"]],
    "in-context": [["block.0"], ["block.1.mlp"], ["head.1.1"], ["block.0.attn", "head.1.0"]],
}

# diffusers-format models (their own fixtures): forward only.
DIFFUSERS_CASES = {"d2-sigma": [["block.1"], ["head.0.1"]], "d3-eps": [["block.0.mlp", "head.2.2"], ["block.1.attn"]]}


def parse(s):
    parts = s.split(".")
    return parts[0], [int(p) for p in parts[1:] if p.isdigit()], (parts[2] if parts[0] == "block" and len(parts) == 3 else None)


def zero_head(block, h, heads):
    hd = block.attn.proj.weight.shape[1] // heads
    block.attn.proj.weight[:, h * hd:(h + 1) * hd] = 0


class Zero(torch.nn.Module):
    def forward(self, x, *rest):
        return torch.zeros_like(x)


class Identity(torch.nn.Module):
    def forward(self, x, c=None):
        return x


def zero_gates(block, branch):
    """models.py's DiTBlock: the gate rows (chunks 2 and 5 of adaLN_modulation's 6D outputs), weight and bias."""
    lin = block.adaLN_modulation[1]
    D = lin.in_features
    for chunk, name in [(2, "attn"), (5, "mlp")]:
        if branch in (None, name):
            lin.weight[chunk * D:(chunk + 1) * D] = 0
            lin.bias[chunk * D:(chunk + 1) * D] = 0


def ablate(model, specs, heads, official):
    """The specs as weight edits (official: gate rows) or, for dit_model.py's designs, the branch's module
    returning zeros and block.K's forward the identity; head.K.H zeroes proj's input columns in both."""
    with torch.no_grad():
        for s in specs:
            kind, idx, branch = parse(s)
            blk = model.blocks[idx[0]]
            if kind == "head":
                zero_head(blk, idx[1], heads)
            elif official:
                zero_gates(blk, branch)
            elif branch is None:
                model.blocks[idx[0]] = Identity()
            else:
                setattr(blk, {"attn": "attn", "mlp": "mlp", "cross": "cross_attn"}[branch], Zero())


def ablate_diffusers(model, specs):
    """DiTTransformer2DModel: the same edits under diffusers' names (norm1.linear: the same chunk order;
    attn1.to_out.0 is attn.proj)."""
    with torch.no_grad():
        for s in specs:
            kind, idx, branch = parse(s)
            blk = model.transformer_blocks[idx[0]]
            if kind == "head":
                w, hd = blk.attn1.to_out[0].weight, model.config.attention_head_dim
                w[:, idx[1] * hd:(idx[1] + 1) * hd] = 0
            else:
                zero_gates(type("Block", (), {"adaLN_modulation": [None, blk.norm1.linear]}), branch)


def randomise(model, gen):
    for name, p in model.named_parameters():
        if name == "pos_embed":
            continue
        with torch.no_grad():
            p.copy_((0.25 if p.dim() > 1 else 0.1) * torch.randn(p.shape, generator=gen))


def guided(model, C):
    """forward_with_cfg with guidance on the first C channels (models.py's own for C = 3)."""
    def fn(x, t, y, cfg_scale):
        half = x[: len(x) // 2]
        out = model(torch.cat([half, half]), t, y)
        eps, rest = out[:, :C], out[:, C:]
        cond, uncond = torch.split(eps, len(eps) // 2, dim=0)
        h = uncond + cfg_scale * (cond - uncond)
        return torch.cat([torch.cat([h, h]), rest], dim=1)
    return fn


def record(model, config, inputs, specs, where, reference):
    """Writes one case's outputs and returns its MANIFEST entry. inputs: x, t, y, noise; where: the model
    directory, x and noise relative to OUT, the outputs' file prefix and the case number."""
    x, t, y, noise = inputs
    model_dir, x_path, noise_path, prefix, tag = where
    C, null = config["in_channels"], config["num_classes"]
    with torch.no_grad():
        out = model(x, t, y)
        d = create_diffusion(str(STEPS), learn_sigma=config["learn_sigma"])
        z = torch.cat([noise, noise])
        yy = torch.cat([y, torch.full_like(y, null)])
        samples = {clip: d.ddim_sample_loop(guided(model, C), z.shape, noise=z, clip_denoised=clip,
                                            model_kwargs=dict(y=yy, cfg_scale=CFG), eta=0.0, device="cpu")[: len(y)]
                   for clip in (True, False)}
    files = {k: f"{prefix}{k}_{tag}.npy" for k in ("forward", "ddim_clip", "ddim_noclip")}
    for k, a in zip(files, (out, samples[True], samples[False])):
        np.save(os.path.join(OUT, files[k]), a.numpy())
    print(model_dir, specs, "max|out| %.3f max|x0| (no clip) %.3f" % (float(out.abs().max()), float(samples[False].abs().max())))
    return dict(model=model_dir, reference=reference, x=x_path, noise=noise_path, t=t.tolist(), labels=y.tolist(), ablate=specs, **files)


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for k, (name, config) in enumerate(OFFICIAL_CONFIGS.items()):
        gen = torch.Generator().manual_seed(300 + k)
        base = official.DiT(**config).eval()
        randomise(base, gen)
        d = os.path.join(OUT, name)
        os.makedirs(d, exist_ok=True)
        state = {n: t.detach().contiguous() for n, t in base.state_dict().items()}
        save_file(state, os.path.join(d, "model.safetensors"))
        json.dump(config, open(os.path.join(d, "config.json"), "w"), indent=1)
        C, I = config["in_channels"], config["input_size"]
        x, noise = torch.randn(2, C, I, I, generator=gen), torch.randn(2, C, I, I, generator=gen)
        np.save(os.path.join(d, "x.npy"), x.numpy()); np.save(os.path.join(d, "noise.npy"), noise.numpy())
        t, y = torch.tensor([640, 90]), torch.tensor([1, config["num_classes"] - 1])
        for i, specs in enumerate(OFFICIAL_CASES[name]):
            model = official.DiT(**config).eval()
            model.load_state_dict(state)
            ablate(model, specs, config["num_heads"], official=True)
            cases.append(record(model, config, (x, t, y, noise), specs, (name, f"{name}/x.npy", f"{name}/noise.npy", name + "/", i),
                                "facebookresearch/DiT models.py (gate rows / proj columns zeroed)"))
    for design, specs_list in DESIGN_CASES.items():
        src = os.path.join(FIXTURES, "conditioning", design)
        config = json.load(open(os.path.join(src, "config.json")))
        man = json.load(open(os.path.join(src, "MANIFEST.json")))
        x = torch.from_numpy(np.load(os.path.join(src, "x.npy")))
        noise = torch.from_numpy(np.load(os.path.join(src, "noise.npy")))
        t, y = torch.tensor(man["t"]), torch.tensor(man["labels"])
        state = load_file(os.path.join(src, "model.safetensors"))
        for i, specs in enumerate(specs_list):
            model = dit_model.build(config).eval()
            model.load_state_dict(state, strict=True)
            ablate(model, specs, config["num_heads"], official=False)
            src_rel = f"../conditioning/{design}"
            cases.append(record(model, config, (x, t, y, noise), specs, (src_rel, f"{src_rel}/x.npy", f"{src_rel}/noise.npy", f"{design}-", i),
                                "training/dit_model.py (branch zero / block skipped)"))
    from diffusers import DiTTransformer2DModel
    for name, specs_list in DIFFUSERS_CASES.items():
        src = os.path.join(FIXTURES, "diffusers-dit", name)
        inputs = json.load(open(os.path.join(src, "inputs.json")))
        x = torch.from_numpy(np.load(os.path.join(src, "x.npy")))
        for i, specs in enumerate(specs_list):
            model = DiTTransformer2DModel.from_pretrained(src).eval()
            ablate_diffusers(model, specs)
            with torch.no_grad():
                out = model(x, timestep=torch.tensor(inputs["t"]), class_labels=torch.tensor(inputs["y"])).sample
            np.save(os.path.join(OUT, f"diffusers-{name}-forward_{i}.npy"), out.numpy())
            cases.append(dict(model=f"../diffusers-dit/{name}", reference="diffusers DiTTransformer2DModel (gate rows / to_out columns zeroed)",
                              x=f"../diffusers-dit/{name}/x.npy", t=inputs["t"], labels=inputs["y"], ablate=specs,
                              forward=f"diffusers-{name}-forward_{i}.npy"))
            print("diffusers", name, specs, "max|out| %.3f" % float(out.abs().max()))
    json.dump(dict(made_by="training/make_ablation_fixtures.py (torch %s)" % torch.__version__, steps=STEPS, cfg=CFG,
                   sampler="ddim eta 0, clip_denoised True (ddim_clip) and False (ddim_noclip), guidance on the first in_channels channels", cases=cases),
              open(os.path.join(OUT, "MANIFEST.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
