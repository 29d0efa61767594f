"""Evaluate the exported model: class-conditional sample quality measured by a real-data classifier.

  python training/evaluate.py --model assets/models/dit-s8-fashion

For each CFG scale (default 1 and 4): 100 samples per class (1,000), 50 DDIM steps (eta 0, x0 clipped),
fixed noise seed (the same noise for every scale), classified by training/runs/classifier.pt -> accuracy overall
and per class; per-class pixel mean/std of generated vs real (test set) images. Writes eval.json,
samples_cfg4.png (10x10 grid, one row per class: the first 10 samples of each class at CFG 4), loss.png
(from the run's loss.csv) and, via make_card.py, MODEL_CARD.md.
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from classifier import DEFAULT_PATH as CLF_PATH  # noqa: E402
from classifier import load_classifier, predict  # noqa: E402
from diffusion import create_diffusion  # noqa: E402
from export import load_exported  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def to_uint8(x):
    return ((x.clamp(-1, 1) + 1) * 127.5).round().clamp(0, 255).to(torch.uint8).numpy()


def save_grid(samples, path, names, scale=3):
    """samples: (rows, cols, 32, 32) in [-1,1]. One labelled row per class."""
    from PIL import Image, ImageDraw, ImageFont
    rows, cols, h, w = samples.shape
    pad, label_w = 2, 90
    W = label_w + cols * (w * scale + pad) + pad
    H = rows * (h * scale + pad) + pad
    img = Image.new("L", (W, H), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()
    arr = to_uint8(samples)
    for r in range(rows):
        y0 = pad + r * (h * scale + pad)
        draw.text((4, y0 + h * scale // 2 - 6), names[r], fill=0, font=font)
        for c in range(cols):
            tile = Image.fromarray(arr[r, c]).resize((w * scale, h * scale), Image.NEAREST)
            img.paste(tile, (label_w + pad + c * (w * scale + pad), y0))
    img.save(path)


def plot_loss(csv_path, png_path, prior_steps=0):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = list(csv.DictReader(open(csv_path)))
    if not rows:
        return None
    step = np.array([int(r["step"]) for r in rows]) + prior_steps
    cols = {k: np.array([float(r[k]) for r in rows]) for k in ("loss", "mse", "vb")}

    def smooth(v, k=50):  # centred moving average
        k = max(1, min(k, len(v) // 5 or 1))
        c = np.cumsum(np.insert(v, 0, 0.0))
        out = (c[k:] - c[:-k]) / k
        lead = (k - 1) // 2
        return np.concatenate([np.full(lead, np.nan), out, np.full(k - 1 - lead, np.nan)])

    fig, ax = plt.subplots(1, 2, figsize=(10, 3.6))
    for k, col in (("loss", "C0"), ("mse", "C1")):
        ax[0].plot(step, cols[k], color=col, alpha=0.2, lw=0.5)
        ax[0].plot(step, smooth(cols[k]), color=col, label=f"{k} (moving avg)")
    ax[0].set_yscale("log")
    ax[0].set_xlabel("step")
    ax[0].set_title("training loss = mse(eps) + vb")
    ax[0].legend()
    ax[1].plot(step, cols["vb"], color="C2", alpha=0.2, lw=0.5)
    ax[1].plot(step, smooth(cols["vb"]), color="C2", label="vb (bits/dim, moving avg)")
    ax[1].set_yscale("log")
    ax[1].set_xlabel("step")
    ax[1].set_title("variational bound term")
    ax[1].legend()
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)
    plt.close(fig)
    last = {k: float(np.mean(v[-100:])) for k, v in cols.items()}
    return dict(final_100_step_mean=last, steps_logged=len(rows))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=os.path.join(ROOT, "assets", "models", "dit-s8-fashion"))
    p.add_argument("--run", default=os.path.join(HERE, "runs", "dit-s8-fashion"), help="for loss.csv")
    p.add_argument("--classifier", default=CLF_PATH)
    p.add_argument("--per-class", type=int, default=100)
    p.add_argument("--steps", type=int, default=50, help="DDIM steps")
    p.add_argument("--cfg", type=float, nargs="+", default=[1.0, 4.0])
    p.add_argument("--grid-cfg", type=float, default=4.0)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-card", action="store_true")
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    t_all = time.time()
    model, cfg = load_exported(a.model)
    model = model.to(dev)
    names = cfg["class_names"]
    ncls = cfg["num_classes"]
    diffusion = create_diffusion(a.steps, learn_sigma=cfg["learn_sigma"])
    clf, clf_ck = load_classifier(a.classifier, dev)

    n = a.per_class * ncls
    labels = torch.arange(ncls).repeat_interleave(a.per_class)
    noise = torch.randn(n, cfg["in_channels"], cfg["input_size"], cfg["input_size"],
                        generator=torch.Generator().manual_seed(a.seed)).to(dev)  # drawn on the CPU: same on any device
    labels_dev = labels.to(dev)

    xte, yte = data.load("test")
    real_stats = {names[c]: dict(mean=float(xte[yte == c].mean()), std=float(xte[yte == c].std()))
                  for c in range(ncls)}
    clf_real_acc = float((predict(clf, xte.to(dev)).cpu() == yte).float().mean())

    results = dict(model_dir=os.path.relpath(a.model, ROOT), training_steps=cfg.get("training_steps"),
                   sampler=dict(method="DDIM", eta=0.0, steps=a.steps, clip_x0=True, noise_seed=a.seed,
                                samples_per_class=a.per_class,
                                guidance="eps = uncond + s*(cond - uncond) on the noise channel"),
                   classifier=dict(path=os.path.relpath(a.classifier, ROOT), arch="SmallCNN (3 conv blocks)",
                                   real_test_accuracy=clf_real_acc,
                                   real_test_per_class_accuracy={names[c]: float(v) for c, v in enumerate(
                                       clf_ck.get("per_class_test_accuracy", []))}),
                   real_test_pixel_stats=real_stats, cfg={})
    grid = None
    for s in a.cfg:
        t0 = time.time()
        outs = []
        for i in range(0, n, a.batch):
            outs.append(diffusion.sample(model, noise[i: i + a.batch], labels_dev[i: i + a.batch], cfg_scale=s))
            print(f"  cfg {s:g}: {i + len(outs[-1])}/{n} samples ({time.time() - t0:.0f}s)", flush=True)
        x = torch.cat(outs).cpu()
        sec = time.time() - t0
        pred = predict(clf, x.clamp(-1, 1).to(dev)).cpu()
        acc = float((pred == labels).float().mean())
        per_class = {names[c]: float((pred[labels == c] == c).float().mean()) for c in range(ncls)}
        gen_stats = {names[c]: dict(mean=float(x[labels == c].mean()), std=float(x[labels == c].std()))
                     for c in range(ncls)}
        confusion = np.zeros((ncls, ncls), dtype=int)
        for t_, p_ in zip(labels.tolist(), pred.tolist()):
            confusion[t_, p_] += 1
        results["cfg"][f"{s:g}"] = dict(accuracy=acc, per_class_accuracy=per_class, pixel_stats=gen_stats,
                                        confusion=confusion.tolist(), seconds=round(sec, 1),
                                        model_evals=a.steps * (2 if s != 1 else 1) * n)
        print(f"cfg {s:g}: classifier accuracy {acc * 100:.1f}% ({sec:.0f}s)", flush=True)
        if s == a.grid_cfg:
            k = min(10, a.per_class)
            grid = x.reshape(ncls, a.per_class, *x.shape[1:])[:, :k, 0]
    if grid is None:  # grid CFG not among the evaluated scales: sample it separately
        k = 10
        lab = torch.arange(ncls, device=dev).repeat_interleave(k)
        nz = noise.reshape(ncls, a.per_class, *noise.shape[1:])[:, :k].reshape(-1, *noise.shape[1:])
        grid = diffusion.sample(model, nz, lab, cfg_scale=a.grid_cfg).cpu().reshape(ncls, k, *noise.shape[2:])
    gname = f"samples_cfg{a.grid_cfg:g}.png"
    save_grid(grid, os.path.join(a.model, gname), names)
    results["grid"] = dict(file=gname, cfg=a.grid_cfg, rows="one per class (class order of config.json)",
                           columns="first 10 samples of each class from the evaluation (same noise seeds)")
    csv_path = os.path.join(a.run, "loss.csv")
    if os.path.exists(csv_path):
        prior = int(cfg.get("training", {}).get("prior_steps", 0))
        results["loss"] = plot_loss(csv_path, os.path.join(a.model, "loss.png"), prior)
    results["eval_seconds"] = round(time.time() - t_all, 1)
    results["eval_hardware"] = (f"{torch.cuda.get_device_name(dev)} (CUDA)" if dev.type == "cuda"
                                else f"CPU, {a.threads} threads") + f", torch {torch.__version__}"
    json.dump(results, open(os.path.join(a.model, "eval.json"), "w"), indent=2)
    print(json.dumps({k: v["accuracy"] for k, v in results["cfg"].items()}), f"total {time.time() - t_all:.0f}s")
    if not a.no_card:
        import make_card
        make_card.write(a.model)


if __name__ == "__main__":
    main()
