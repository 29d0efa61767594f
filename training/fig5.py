"""The paper's Fig. 5 at laptop scale: DiT-S/8 on Fashion-MNIST, once per block design, one recipe.

  nice -n 19 python training/fig5.py                  # resumable: rerun to continue where it stopped
  python training/fig5.py --plot-only                 # redraw the plots from results.json

The four designs (adaLN-Zero, adaLN, cross-attention, in-context) train round-robin in chunks of
--every steps, so at any moment all four have the same number of steps and the curves are comparable
however far the budget went. Every run has the same seed, data order, t and noise draws (train.py
reseeds after building the model), batch, learning rate, warm-up, EMA and hardware. After each chunk
the EMA weights are scored: DDIM (--sampling-steps) at CFG 1 on one fixed noise set (--samples, the
classes in turn), FID of the judge's 128-d features (assets/models/fashion-classifier) against the
real test set's, and the judge's accuracy on the intended class. results.json holds the four series
and the training loss; fig5.png (FID against steps) and loss.png are drawn from it.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np
import scipy.linalg
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classifier import SmallCNN  # noqa: E402
from diffusion import create_diffusion  # noqa: E402
from dit_model import CONDITIONINGS, build  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "assets", "experiments", "conditioning")
JUDGE = os.path.join(ROOT, "assets", "models", "fashion-classifier")
RECIPE = dict(batch=64, lr=3e-4, warmup=200, ema_decay=0.999, seed=0, patch=8)
NOISE_SEED = 5  # the fixed evaluation noise set


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=2400, help="training steps per design")
    p.add_argument("--every", type=int, default=300, help="chunk length = evaluation interval")
    p.add_argument("--samples", type=int, default=250)
    p.add_argument("--sampling-steps", type=int, default=25)
    p.add_argument("--designs", default=",".join(CONDITIONINGS))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--runs-dir", default=os.path.join(HERE, "runs"))
    p.add_argument("--out", default=OUT)
    p.add_argument("--plot-only", action="store_true")
    return p.parse_args()


def run_name(design):
    return f"fig5-s8-{design.lower()}"


def load_judge():
    from safetensors.torch import load_file
    judge = SmallCNN()
    judge.load_state_dict(load_file(os.path.join(JUDGE, "model.safetensors")))
    stats = load_file(os.path.join(JUDGE, "stats.safetensors"))
    return judge.eval(), stats["test_mu"].numpy(), stats["test_sigma"].numpy()


def frechet(mu1, s1, mu2, s2):
    """pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm), as dit eval computes it."""
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))


@torch.no_grad()
def score(ckpt_path, judge, mu_real, sigma_real, samples, sampling_steps):
    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    model = build(ck["config"]).eval()
    model.load_state_dict(ck["ema"])
    gen = torch.Generator().manual_seed(NOISE_SEED)
    noise = torch.randn(samples, 1, 32, 32, generator=gen)  # N, 1, 32, 32: the same for every design and step
    y = torch.arange(samples) % model.num_classes
    diffusion = create_diffusion(str(sampling_steps), learn_sigma=True)
    x0 = torch.cat([diffusion.sample(model, noise[i:i + 125], y[i:i + 125], cfg_scale=1.0)
                    for i in range(0, samples, 125)]).clamp(-1, 1)
    h = judge.features(x0)
    feats = judge.head[:4](h)  # N, 128 (after the hidden ReLU)
    pred = judge.head[4](feats).argmax(1)
    f = feats.numpy().astype(np.float64)
    fid = frechet(f.mean(0), np.cov(f, rowvar=False), mu_real, sigma_real)
    return dict(fid=fid, accuracy=float((pred == y).float().mean()), step=ck["step"],
                train_seconds=round(ck["wall_seconds"], 1))


def mean_loss(csv_path, lo, hi):
    rows = [r for r in csv.DictReader(open(csv_path)) if lo < int(r["step"]) <= hi]
    return float(np.mean([float(r["loss"]) for r in rows])) if rows else None


def save_json(obj, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def plot(results, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    colours = {"adaLN-Zero": "#1f77b4", "adaLN": "#2ca02c", "cross-attention": "#ff7f0e", "in-context": "#d62728"}
    for key, name, ylabel in (("fid", "fig5.png", f"FID-{results['samples']} (judge features, CFG 1)"),
                              ("loss", "loss.png", "training loss (MSE + VLB), mean per interval")):
        fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
        for d, series in results["series"].items():
            pts = [(p["step"], p[key]) for p in series if p.get(key) is not None]
            if pts:
                ax.plot(*zip(*pts), marker="o", ms=3, label=d, color=colours.get(d))
        ax.set_xlabel("training steps (batch %d)" % results["recipe"]["batch"])
        ax.set_ylabel(ylabel)
        if key == "fid":
            ax.set_yscale("log")
        ax.set_title("DiT-S/8, Fashion-MNIST: block designs (cf. DiT Fig. 5)")
        ax.grid(alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, name))
        plt.close(fig)


def shipped_eval(design, step, results):
    """The shipped checkpoint's `dit eval` at this experiment's setting (CFG 1, the same N and DDIM steps;
    dit's own noise, so it agrees within sampling noise, not to the digit), when it is the last point's."""
    path = os.path.join(ROOT, "assets", "models", f"dit-s8-{design.lower()}")
    try:
        cfg, ev = (json.load(open(os.path.join(path, f))) for f in ("config.json", "eval.json"))
    except (OSError, ValueError):
        return "not shipped"
    if cfg.get("training_steps") != step:
        return f"shipped at step {cfg.get('training_steps')}"
    runs = [r for r in ev.get("dit_eval", []) if r["cfg"] == 1 and r["samples"] == results["samples"]
            and r["steps"] == results["sampling_steps"] and r["sampler"] == "ddim"]
    return f"{runs[-1]['fid']:.1f} / {100 * runs[-1]['accuracy']:.1f} %" if runs else "not measured"


def write_readme(results, out, target_steps):
    """assets/experiments/conditioning/README.md from results.json: what was run, how far, what it shows."""
    series = results["series"]
    reached = min((p[-1]["step"] if p else 0 for p in series.values()), default=0)  # every design has this many
    rows = []
    for d in CONDITIONINGS:   # all four, in the paper's order; a design not trained yet gets dashes
        pts = series.get(d, [])
        if not pts:
            rows.append(f"| {d} | — (not trained yet) | — | — | — | — | — |")
            continue
        last = pts[-1]
        best = min(pts, key=lambda p: p["fid"])
        minutes = last.get("train_seconds", 0) / 60
        rows.append(f"| {d} | {last['step']} | {last['fid']:.1f} | {best['fid']:.1f} (step {best['step']}) | "
                    f"{100 * last['accuracy']:.1f} % | {minutes:.0f} | {shipped_eval(d, last['step'], results)} |")
    finished = [d for d, p in series.items() if any(q["step"] == reached for q in p)]
    at = {d: next(q["fid"] for q in series[d] if q["step"] == reached) for d in finished}
    ranking = sorted(finished, key=lambda d: at[d])
    leads = bool(ranking) and ranking[0] == "adaLN-Zero"
    ahead_always = all(
        all(p["fid"] <= q["fid"] for q in (x for d2, pts in series.items() if d2 != "adaLN-Zero" for x in pts if x["step"] == p["step"]))
        for p in series.get("adaLN-Zero", []))
    furthest = max((p[-1]["step"] for p in series.values() if p), default=0)
    missing = [d for d in CONDITIONINGS if not series.get(d)]
    per_step = [p[-1]["train_seconds"] / 60 / p[-1]["step"] for p in series.values() if p]   # minutes
    # The median design's pace: one design's first chunk may have shared the cores with builds.
    per_design = (f"{sorted(per_step)[len(per_step) // 2] * target_steps:.0f} min (the designs {min(per_step) * target_steps:.0f}–"
                  f"{max(per_step) * target_steps:.0f})") if per_step else "about 50 min"
    if reached < target_steps:
        status = (f"in progress: every design at {reached} or more of {target_steps} steps, the furthest at {furthest}; "
                  "resumable, rerun the command")
    elif missing:
        status = f"{', '.join(missing)} not trained yet: `--designs {','.join(missing)}` adds it with the same recipe"
    else:
        status = "complete"
    text = f"""# Fig. 5 at laptop scale: the four block designs as DiT-S/8 on Fashion-MNIST

Made by `training/fig5.py` ({status}). Reproduce (resumable, {per_design} of 2-core CPU per design for
{target_steps} steps as measured here, longer on a shared machine):

```sh
nice -n 19 python training/fig5.py --steps {target_steps}     # then: python training/fig5.py --plot-only --steps {target_steps}
```

Recipe, the same for the four: DiT-S/8 (D 384, 12 blocks, 6 heads), 32×32×1, learned σ, batch
{results['recipe']['batch']}, AdamW lr {results['recipe']['lr']} with {results['recipe']['warmup']} warm-up steps,
EMA {results['recipe']['ema_decay']}, seed {results['recipe']['seed']} (same data order, t and noise draws), fp32 on
the 2-core CPU. Only the block design differs. Each point: the EMA weights after that many steps, DDIM
{results['sampling_steps']} steps at CFG 1 on one fixed noise set of {results['samples']} samples (classes in turn),
FID of the judge's 128-d features (`assets/models/fashion-classifier`) against the 10,000 real test
images, and the judge's accuracy on the intended class. FID over {results['samples']} samples is biased
upwards against a 10,000-sample FID; the four share the bias, so the ordering is what to read.
The last column is the Swift program on the shipped checkpoint (`assets/models/dit-s8-<design>`, the
EMA of the last point in F16): `dit eval --model … --samples {results['samples']} --steps
{results['sampling_steps']} --cfg 1 --seed 0` — other noise than the fixed set here (dit's own
generator), so it agrees within the sampling noise of N = {results['samples']}, not to the digit.

| design | steps | FID now | best FID | accuracy (CFG 1) | training minutes | shipped model: `dit eval` FID / accuracy |
|---|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

![FID against training steps](fig5.png)
![training loss](loss.png)

Ordering at step {reached}, the last step every trained design has: {' < '.join(ranking) if ranking else '— (not every design has a point yet)'} (lower FID is better). The paper's Fig. 5
(DiT-XL/2, ImageNet 256, up to 400K steps): adaLN-Zero has the lowest FID at every stage of training, and
at 400K about half in-context's. Here adaLN-Zero {'leads at that step' if leads else 'does not lead at that step (or not every design has it yet)'}
and {'is ahead at every step measured for several designs' if ahead_always else 'is not ahead at every measured step'}.
{"The paper's order of the four at the end of its training (adaLN-Zero < adaLN < cross-attention < in-context) "
 + ("holds here at that step." if ranking == list(CONDITIONINGS) else "does not hold here at that step.") if len(ranking) == 4 else ""}
Accuracy near 10 % is chance for 10 classes: at this budget no design draws its class reliably yet,
and the FIDs (near 500) say the samples are far from the data; the ordering is the finding, not the level.
"""
    if reached < target_steps:
        text += "\nThe run has not reached its budget: read the curves as early training only.\n"
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    res_path = os.path.join(a.out, "results.json")
    results = json.load(open(res_path)) if os.path.exists(res_path) else dict(
        recipe=RECIPE, samples=a.samples, sampling_steps=a.sampling_steps, noise_seed=NOISE_SEED, cfg=1.0,
        sampler="DDIM eta=0", metric="FID of SmallCNN penultimate features vs the 10,000 real test images",
        series={d: [] for d in a.designs.split(",")})
    if a.plot_only:
        plot(results, a.out)
        write_readme(results, a.out, a.steps)
        return
    if (results["samples"], results["sampling_steps"]) != (a.samples, a.sampling_steps):
        raise SystemExit(f"{res_path} was measured with --samples {results['samples']} "
                         f"--sampling-steps {results['sampling_steps']}")
    judge, mu_real, sigma_real = load_judge()
    designs = a.designs.split(",")
    for milestone in range(a.every, a.steps + 1, a.every):
        for d in designs:
            series = results["series"].setdefault(d, [])
            if any(p["step"] == milestone for p in series):
                continue
            name = run_name(d)
            cmd = [sys.executable, os.path.join(HERE, "train.py"), "--name", name, "--conditioning", d,
                   "--patch", str(RECIPE["patch"]), "--batch", str(RECIPE["batch"]), "--lr", str(RECIPE["lr"]),
                   "--warmup", str(RECIPE["warmup"]), "--ema-decay", str(RECIPE["ema_decay"]),
                   "--seed", str(RECIPE["seed"]), "--steps", str(milestone), "--resume", "--device", "cpu",
                   "--threads", str(a.threads), "--ckpt-every", "100", "--log-every", "25",
                   "--runs-dir", a.runs_dir]
            print(f"== {d}: train to step {milestone}", flush=True)
            subprocess.run(cmd, check=True)
            run_dir = os.path.join(a.runs_dir, name)
            t0 = time.time()
            point = score(os.path.join(run_dir, "ckpt.pt"), judge, mu_real, sigma_real, a.samples,
                          a.sampling_steps)
            if point["step"] != milestone:
                raise SystemExit(f"{run_dir}/ckpt.pt is at step {point['step']}, expected {milestone}")
            point["loss"] = mean_loss(os.path.join(run_dir, "loss.csv"), milestone - a.every, milestone)
            point["eval_seconds"] = round(time.time() - t0, 1)
            series.append(point)
            series.sort(key=lambda p: p["step"])
            save_json(results, res_path)
            print(f"== {d} step {milestone}: FID {point['fid']:.2f}, accuracy {point['accuracy']:.3f}, "
                  f"loss {point['loss']}", flush=True)
            plot(results, a.out)
            write_readme(results, a.out, a.steps)


if __name__ == "__main__":
    main()
