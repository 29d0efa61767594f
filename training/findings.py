"""The paper's two findings at laptop scale, trained with one recipe to equal steps on the 2-core CPU:

  * Fig. 5 — the four block designs (adaLN-Zero, adaLN, cross-attention, in-context) at one size;
  * Figs. 8 and 9 — quality against Gflops and against training compute, for several model sizes
    (the adaLN-Zero design run is one of them).

  nice -n 19 python training/findings.py            # resumable: rerun to continue where it stopped
  python training/findings.py --plot-only           # redraw plots and READMEs from the results

Every run trains round-robin in chunks of --every steps, so at any moment all runs have the same
number of steps. Every run has the same seed, data order, t and noise draws (train.py reseeds after
building the model), batch, learning rate, warm-up, EMA and hardware. After each chunk the EMA weights
are scored on one fixed noise set (--samples, the classes in turn), DDIM (--sampling-steps) at CFG 1
(as the paper) and CFG 4: FID of the judge's 128-d features (assets/models/fashion-classifier, the
computation `dit eval` does) against the real test set's, and the judge's accuracy on the intended
class; a 10×10 grid of the CFG 4 samples (a column per class) is saved per run per point.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import findings_report  # noqa: E402
from diffusion import create_diffusion  # noqa: E402
from dit_model import CONDITIONINGS, build  # noqa: E402
from evaluate import to_uint8  # noqa: E402
from findings_report import save_json  # noqa: E402
from judge_metrics import frechet, load_judge  # noqa: E402
from train import check_decay  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# One recipe for every run; only the size (and, for Fig. 5, the block design) differs.
RECIPE = dict(batch=128, lr=1e-3, warmup=200, ema_decay=0.999, seed=0, precision="fp32")
# Sizes: name -> (hidden D, depth, heads, patch p). None of them is one of the paper's sizes (DiT-S is
# D 384, 12 blocks, 6 heads): they are named by what they are.
# Heads of 64 channels each, as DiT-S.
SIZES = {
    "D64-L4/8": (64, 4, 1, 8),
    "D128-L4/8": (128, 4, 2, 8),
    "D64-L4/4": (64, 4, 1, 4),
    "D192-L6/8": (192, 6, 3, 8),
}
DESIGN_SIZE = "D128-L4/8"   # the Fig. 5 designs are this size: four of them train on two cores in the budget
NOISE_SEED = 5              # the fixed evaluation noise set
CFGS = (1.0, 4.0)


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=2000, help="training steps per run")
    p.add_argument("--every", type=int, default=250, help="chunk length = evaluation interval")
    p.add_argument("--scaling-steps", type=int, default=1000,
                   help="the sizes other than the designs' stop here (their common step); the designs go on to --steps")
    p.add_argument("--samples", type=int, default=250)
    p.add_argument("--sampling-steps", type=int, default=25)
    p.add_argument("--runs", default=None, help="comma-separated run names (default: every design and size)")
    p.add_argument("--threads", type=int, default=1, help="threads per run")
    p.add_argument("--jobs", type=int, default=2, help="runs trained side by side")
    p.add_argument("--score", default=None, help=argparse.SUPPRESS)
    p.add_argument("--score-checkpoint", default=None,
                   help="score one checkpoint (ckpt.pt or ema-<step>.pt) and print the point as JSON")
    p.add_argument("--milestone", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--device", default="cpu")
    p.add_argument("--runs-dir", default=os.path.join(HERE, "runs"))
    p.add_argument("--out", default=os.path.join(ROOT, "assets", "experiments"),
                   help="writes conditioning/ and scaling/ under this folder")
    p.add_argument("--plot-only", action="store_true")
    p.add_argument("--init-from", default=None,
                   help="folder holding the design models dit-<run>/ (e.g. assets/models): the design runs go on "
                        "from those weights (fresh AdamW, warm-up again), their steps counted on")
    p.add_argument("--decay-start", type=int, default=0, help="lr falls linearly from this step ...")
    p.add_argument("--decay-end", type=int, default=0, help="... to 0 at this step (0: constant lr)")
    a = p.parse_args()
    check_decay(p, a)   # train.py's own check, before any run starts
    return a


def mean_loss(csv_path, lo, hi):
    rows = [r for r in csv.DictReader(open(csv_path)) if lo < int(r["step"]) <= hi]
    return float(np.mean([float(r["loss"]) for r in rows])) if rows else None


def slug(size):
    return findings_report.slug(SIZES[size])


def all_runs():
    """run name -> (size, design): the four designs at DESIGN_SIZE, then the other sizes (adaLN-Zero)."""
    runs = {f"{slug(DESIGN_SIZE)}-{d.lower()}": (DESIGN_SIZE, d) for d in CONDITIONINGS}
    runs.update({f"{slug(s)}-adaln-zero": (s, "adaLN-Zero") for s in SIZES if s != DESIGN_SIZE})
    return runs


def fail(message):
    """Bad input: a message naming the flag, exit 2."""
    print(f"findings.py: {message}", file=sys.stderr)
    sys.exit(2)


def prior_model(name, size, a):
    """(shipped model dir, its training steps) a design run goes on from, or (None, 0)."""
    if not a.init_from or size != DESIGN_SIZE:
        return None, 0
    path = os.path.join(a.init_from, f"dit-{name}")
    cfg = os.path.join(path, "config.json")
    if not os.path.exists(cfg):
        fail(f"--init-from {a.init_from}: no {cfg} (expected the model dit-{name}/ there)")
    return path, int(json.load(open(cfg))["training_steps"])


def train_args(size, design, steps, a):
    hidden, depth, heads, patch = SIZES[size]
    r = RECIPE
    decay = ["--decay-start", str(a.decay_start), "--decay-end", str(a.decay_end)] if a.decay_end else []
    return decay + ["--conditioning", design, "--patch", str(patch), "--hidden", str(hidden), "--depth", str(depth),
            "--heads", str(heads), "--batch", str(r["batch"]), "--lr", str(r["lr"]), "--warmup", str(r["warmup"]),
            "--ema-decay", str(r["ema_decay"]), "--seed", str(r["seed"]), "--precision", r["precision"],
            "--steps", str(steps), "--resume", "--device", a.device, "--threads", str(a.threads),
            "--ckpt-every", "100", "--log-every", "25", "--runs-dir", a.runs_dir]


def save_grid(x0, path, classes=10, per_class=10, scale=2):
    """x0: (N, 1, 32, 32), sample i of class i % classes: a column per class, a row per draw."""
    from PIL import Image
    per_class = min(per_class, len(x0) // classes)
    n = classes * per_class
    tiles = to_uint8(x0[:n, 0]).reshape(per_class, classes, 32, 32)  # row r, column c = sample r*classes + c
    sheet = np.full((per_class * 34 + 2, classes * 34 + 2), 255, np.uint8)
    for r in range(per_class):
        for c in range(classes):
            sheet[2 + r * 34: 34 + r * 34, 2 + c * 34: 34 + c * 34] = tiles[r, c]
    Image.fromarray(sheet).resize((sheet.shape[1] * scale, sheet.shape[0] * scale), Image.NEAREST).save(path)


@torch.no_grad()
def score(ckpt_path, judge, mu_real, sigma_real, a, grid_path=None):
    """FID and judge accuracy at each CFG in CFGS on the fixed noise set; the CFG 4 grid to grid_path."""
    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    dev = torch.device(getattr(a, "device", "cpu"))
    model = build(ck["config"]).eval()
    model.load_state_dict(ck["ema"])
    model.to(dev)
    gen = torch.Generator().manual_seed(NOISE_SEED)
    noise = torch.randn(a.samples, 1, 32, 32, generator=gen).to(dev)  # N, 1, 32, 32: the same for every run and step
    y = torch.arange(a.samples, device=dev) % model.num_classes
    diffusion = create_diffusion(str(a.sampling_steps), learn_sigma=True)
    point = dict(step=ck["step"] + ck.get("prior_steps", 0), train_seconds=round(ck["wall_seconds"], 1))
    for cfg in CFGS:
        x0 = torch.cat([diffusion.sample(model, noise[i:i + 125], y[i:i + 125], cfg_scale=cfg)
                        for i in range(0, a.samples, 125)]).clamp(-1, 1).float().cpu()
        feats = judge.head[:4](judge.features(x0))  # N, 128 (after the hidden ReLU)
        pred = judge.head[4](feats).argmax(1)
        f = feats.numpy().astype(np.float64)
        fid = frechet(f.mean(0), np.cov(f, rowvar=False), mu_real, sigma_real)
        acc = float((pred == y.cpu()).float().mean())
        suffix = "" if cfg == 1.0 else f"_cfg{cfg:g}"   # CFG 1 keeps the keys the lesson reads
        point["fid" + suffix], point["accuracy" + suffix] = fid, acc
        if cfg == max(CFGS) and grid_path:
            save_grid(x0, grid_path)
    return point


def score_job(a, runs):
    """--score NAME: score runs/NAME/ckpt.pt, write the point beside it (a subprocess of the driver)."""
    name = a.score
    run_dir = os.path.join(a.runs_dir, name)
    judge, mu_real, sigma_real = load_judge()
    t0 = time.time()
    grids = os.path.join(a.out, "grids")
    os.makedirs(grids, exist_ok=True)
    point = score(os.path.join(run_dir, "ckpt.pt"), judge, mu_real, sigma_real, a,
                  os.path.join(grids, f"{name}-step{a.milestone}.png"))
    if point["step"] != a.milestone:
        raise SystemExit(f"{run_dir}/ckpt.pt is at step {point['step']}, expected {a.milestone}")
    _, prior = prior_model(name, runs[name][0], a)
    point["loss"] = mean_loss(os.path.join(run_dir, "loss.csv"), a.milestone - a.every - prior, a.milestone - prior)
    point["eval_seconds"] = round(time.time() - t0, 1)
    save_json(point, os.path.join(run_dir, f"point-{a.milestone}.json"))


def chunk(name, size, design, milestone, a):
    """Train one run to `milestone` and score it, in subprocesses; returns the point."""
    me = [sys.executable, os.path.abspath(__file__)]
    common = ["--samples", str(a.samples), "--sampling-steps", str(a.sampling_steps), "--every", str(a.every),
              "--threads", str(a.threads), "--runs-dir", a.runs_dir, "--out", a.out]
    init, prior = prior_model(name, size, a)
    if init:
        common += ["--init-from", a.init_from]
    done = os.path.join(a.runs_dir, name, f"point-{milestone}.json")
    if os.path.exists(done):   # scored before the driver stopped
        return json.load(open(done))
    log = open(os.path.join(a.runs_dir, f"{name}.log"), "a")
    subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--name", name]
                   + train_args(size, design, milestone - prior, a) + (["--init-from", init] if init else []),
                   check=True, stdout=log, stderr=subprocess.STDOUT)
    subprocess.run(me + common + ["--score", name, "--milestone", str(milestone)], check=True, stdout=log,
                   stderr=subprocess.STDOUT)
    return json.load(open(os.path.join(a.runs_dir, name, f"point-{milestone}.json")))


def report(results, out):
    """The plots and READMEs after each point; a failure there must not stop the training."""
    try:
        findings_report.write_all(results, out)
    except Exception as e:  # noqa: BLE001
        print(f"(report not written: {e})", flush=True)


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    runs = all_runs()
    if a.score:
        return score_job(a, runs)
    if a.score_checkpoint:
        judge, mu_real, sigma_real = load_judge()
        point = score(a.score_checkpoint, judge, mu_real, sigma_real, a)
        return print(json.dumps(point, indent=1))
    from concurrent.futures import ThreadPoolExecutor
    res_path = os.path.join(a.out, "findings.json")
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.runs_dir, exist_ok=True)
    wanted = a.runs.split(",") if a.runs else list(runs)
    if unknown := [n for n in wanted if n not in runs]:
        fail(f"--runs {','.join(unknown)}: expected some of {','.join(runs)}")
    results = json.load(open(res_path)) if os.path.exists(res_path) else dict(
        recipe=RECIPE, sizes=SIZES, design_size=DESIGN_SIZE, samples=a.samples, sampling_steps=a.sampling_steps,
        noise_seed=NOISE_SEED, cfgs=list(CFGS), sampler="DDIM eta=0", runs={})
    if not a.plot_only:
        if (results["samples"], results["sampling_steps"]) != (a.samples, a.sampling_steps):
            raise SystemExit(f"{res_path} was measured with --samples {results['samples']} "
                             f"--sampling-steps {results['sampling_steps']}")
        results["every"] = a.every
        for name in wanted:   # a run on a second leg (--init-from): where it started, how its lr runs
            init, prior = prior_model(name, runs[name][0], a)
            if init:
                results.setdefault("legs", {})[name] = dict(
                    from_step=prior, init_from=os.path.relpath(os.path.abspath(init), ROOT),
                    optimizer="fresh AdamW, warm-up again", decay_start=a.decay_start, decay_end=a.decay_end)
        for milestone in range(a.every, a.steps + 1, a.every):
            todo = []
            for name in wanted:
                size, design = runs[name]
                entry = results["runs"].setdefault(name, dict(size=size, design=design, points=[]))
                if size != DESIGN_SIZE and milestone > a.scaling_steps:
                    continue   # a scaling-only size past the scaling set's common step
                if milestone <= prior_model(name, size, a)[1]:
                    continue   # before the weights a second leg starts from
                if not any(p["step"] == milestone for p in entry["points"]):
                    todo.append(name)
            print(f"== step {milestone}: {', '.join(todo) or 'done'}", flush=True)
            # --jobs runs side by side (one thread each by default): on a busy 2-core machine two
            # single-threaded processes keep going where one two-threaded one stalls at every barrier.
            with ThreadPoolExecutor(a.jobs) as pool:
                futures = {n: pool.submit(chunk, n, *runs[n], milestone, a) for n in todo}
                for name, fut in futures.items():
                    point = fut.result()
                    series = results["runs"][name]["points"]
                    series.append(point)
                    series.sort(key=lambda p: p["step"])
                    save_json(results, res_path)
                    print(f"== {name} step {milestone}: " + ", ".join(
                        f"{k} {v:.3f}" for k, v in point.items() if isinstance(v, float)), flush=True)
                    report(results, a.out)
    findings_report.write_all(results, a.out)


if __name__ == "__main__":
    main()
