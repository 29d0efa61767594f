"""Lesson 8's measured picture: FID against Gflops for the shipped models, from `dit eval`'s
entries in their eval.json (training/record_dit_eval.py), at CFG 1 (as the paper's scaling plots)
and CFG 4. Writes assets/scaling-fid-gflops.png.

  python training/plot_scaling.py [MODEL_DIR ...]
"""
import glob
import json
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def points(dirs, cfg):
    out = []
    for d in dirs:
        ev = json.load(open(os.path.join(d, "eval.json")))
        runs = [r for r in ev.get("dit_eval", []) if r["cfg"] == cfg and "gflops" in r]
        if runs:
            r = max(runs, key=lambda r: r["samples"])
            out.append((r["gflops"], r["fid"], json.load(open(os.path.join(d, "config.json")))["model_type"], r))
    return sorted(out)


def main():
    dirs = sys.argv[1:] or sorted(glob.glob(os.path.join(ROOT, "assets", "models", "dit-s*-fashion")))
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    by_cfg = {cfg: points(dirs, cfg) for cfg in (1.0, 4.0)}
    n = {p[3]["samples"] for pts in by_cfg.values() for p in pts}
    most = max(n, default=0)
    for cfg, style in [(1.0, "o-"), (4.0, "s--")]:
        pts = by_cfg[cfg]
        if not pts:
            continue
        ax.plot([p[0] for p in pts], [p[1] for p in pts], style, label=f"CFG {cfg:g}")
        for g, f, name, r in pts:
            # A point from fewer samples than the rest says so: FID is biased upwards at small N.
            label = name.replace("DiT-", "") + (f" (N {r['samples']})" if r["samples"] != most else "")
            ax.annotate(label, (g, f), textcoords="offset points", xytext=(5, 4), fontsize=8)
    ax.set_xscale("log"); ax.set_xlabel("Gflops per forward pass"); ax.set_ylabel("FID (judge features)")
    ax.set_title(f"Shipped DiT-S models on Fashion-MNIST (dit eval, N {', '.join(map(str, sorted(n)))})", fontsize=9)
    ax.margins(x=0.2, y=0.15); ax.grid(True, which="both", alpha=0.3); ax.legend(fontsize=8)
    fig.tight_layout()
    out = os.path.join(ROOT, "assets", "scaling-fid-gflops.png")
    fig.savefig(out, dpi=80)
    print("wrote", out)


if __name__ == "__main__":
    main()
