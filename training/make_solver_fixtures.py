"""Fixtures for dit's DPM-Solver++ / Euler / Heun samplers, made with Hugging Face diffusers.

Drives the official-format tiny model (../shared/fixtures/dit-reference-tiny, through our
dit_model.DiT with the official key names) with diffusers' DPMSolverMultistepScheduler
(dpmsolver++, order 2, lower_order_final, final_sigmas_type "zero"), EulerDiscreteScheduler and
HeunDiscreteScheduler, all with DiT's betas (linear 1e-4 ... 0.02 over 1000), prediction_type
"epsilon", timestep_spacing "linspace", with and without use_karras_sigmas, as DiTPipeline's loop:

    x = z * init_noise_sigma
    for t in timesteps:  eps = guided eps of model(scale_model_input(x, t), t, y)   (first C channels)
                         x = step(eps, t, x)

Guidance is forward_with_cfg's: eps = eps_uncond + s * (eps_cond - eps_uncond) on the first C
channels. An "interval" case guides only where lo <= t <= hi (the conditional eps alone
elsewhere), the rule of dit's --cfg-interval. "thresholding" cases run DPM-Solver++ with
thresholding=True and sample_max_value=1.0 (dit's --thresholding: x0 clipped to [-1, 1]). Writes <out>/*.npy (final x, (N, C, H, W)) and
<out>/solvers.json (cases, the timesteps the model saw, NFE, and the schedules of set_timesteps
for several step counts).

    /work/venv/bin/python training/make_solver_fixtures.py [FIXTURE_DIR] [OUT_DIR]
"""
import json
import os
import sys

import numpy as np
import torch
from diffusers import DPMSolverMultistepScheduler, EulerDiscreteScheduler, HeunDiscreteScheduler
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dit_model import build  # noqa: E402

FIX = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/fixtures/dit-reference-tiny"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DiTTests", "Fixtures", "solvers")

COMMON = dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02, beta_schedule="linear",
              prediction_type="epsilon", timestep_spacing="linspace")


def scheduler(name, karras, thresholding=False):
    if name == "dpm++2m":
        return DPMSolverMultistepScheduler(algorithm_type="dpmsolver++", solver_order=2, lower_order_final=True,
                                           final_sigmas_type="zero", use_karras_sigmas=karras,
                                           thresholding=thresholding, sample_max_value=1.0, **COMMON)
    if name == "euler":
        return EulerDiscreteScheduler(use_karras_sigmas=karras, **COMMON)
    if name == "heun":
        return HeunDiscreteScheduler(use_karras_sigmas=karras, **COMMON)
    raise ValueError(name)


def sample(model, name, karras, steps, z, y, scale, null, interval=None, thresholding=False):
    s = scheduler(name, karras, thresholding)
    s.set_timesteps(steps)
    x = z * s.init_noise_sigma
    C = z.shape[1]
    seen = []
    for t in s.timesteps:
        xin = s.scale_model_input(x, t)
        tt = torch.full((x.shape[0],), float(t), dtype=torch.float32)
        guided = scale != 1 and (interval is None or interval[0] <= float(t) <= interval[1])
        with torch.no_grad():
            if guided:
                out = model(torch.cat([xin, xin]), torch.cat([tt, tt]), torch.cat([y, torch.full_like(y, null)]))
                cond, uncond = out[: len(y), :C], out[len(y):, :C]
                eps = uncond + scale * (cond - uncond)
            else:
                eps = model(xin, tt, y)[:, :C]
        seen.append(float(t))
        x = s.step(eps, t, x).prev_sample
    return x.numpy(), seen


def schedules(name, karras, counts):
    rows = {}
    for n in counts:
        s = scheduler(name, karras)
        s.set_timesteps(n)
        rows[str(n)] = dict(timesteps=[float(v) for v in s.timesteps], sigmas=[float(v) for v in s.sigmas],
                            init_noise_sigma=float(s.init_noise_sigma))
    return rows


def load_model(fix):
    """The fixture's MANIFEST, config and model (official key names, fp32)."""
    man, cfg = (json.load(open(os.path.join(fix, f))) for f in ("MANIFEST.json", "config.json"))
    model = build(cfg).eval()
    model.load_state_dict({k: v.float() for k, v in load_file(os.path.join(fix, "model.safetensors")).items()}, strict=True)
    return man, cfg, model


def main():
    torch.set_num_threads(2)
    man, cfg, model = load_model(FIX)
    z = torch.from_numpy(np.load(os.path.join(FIX, "noise.npy"))).float()
    y = torch.tensor(man["labels"])
    null = cfg["num_classes"]
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for name in ["dpm++2m", "euler", "heun"]:
        for karras in [False, True]:
            runs = [(7, man["cfg_scale"], None, False), (4, 1.0, None, False)]
            if not karras:
                runs.append((7, man["cfg_scale"], (300.0, 700.0), False))
            if name == "dpm++2m":
                runs += [(7, man["cfg_scale"], None, True), (4, 1.0, None, True)]
            for steps, scale, interval, thr in runs:
                x, seen = sample(model, name, karras, steps, z, y, scale, null, interval, thr)
                file = f"{name.replace('++', 'pp')}{'_karras' if karras else ''}_s{steps}_cfg{scale:g}" \
                       f"{'_interval%g-%g' % interval if interval else ''}{'_thresholding' if thr else ''}.npy"
                np.save(os.path.join(OUT, file), x.astype(np.float32))
                cases.append(dict(file=file, sampler=name, karras=karras, steps=steps, cfg=scale,
                                  interval=list(interval) if interval else None, thresholding=thr,
                                  timesteps=seen, nfe=len(seen), max_abs=float(np.abs(x).max())))
                print(f"{file:44s} NFE {len(seen):2d}  max|x| {np.abs(x).max():.3f}")
    counts = [1, 2, 3, 7, 10, 25, 50, 100]
    sched = {f"{n}{'_karras' if k else ''}": schedules(n, k, counts)
             for n in ["dpm++2m", "euler", "heun"] for k in [False, True]}
    json.dump(dict(labels=man["labels"], noise="noise.npy of dit-reference-tiny", cases=cases, schedules=sched),
              open(os.path.join(OUT, "solvers.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
