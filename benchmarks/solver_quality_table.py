"""`dit eval --json` lines (from solver_quality.sh, any number of files) -> a markdown table per CFG
on stdout (FID / accuracy per sampler and NFE) and a plot of FID against NFE
(assets/solver-quality.png, when matplotlib is there)."""
import json
import sys

rows = [json.loads(l) for f in (sys.argv[1:] or ["benchmarks/solver_quality.jsonl"]) for l in open(f) if l.strip()]
name = lambda r: r["sampler"] + (" Karras" if r.get("karras") else "") + (" thresholding" if r.get("thresholding") else "")
order = [s + k for k in ["", " Karras"] for s in ["ddim", "ddpm", "dpm++2m", "dpm++2m thresholding", "euler", "heun"]]
order = [n.replace("thresholding Karras", "Karras thresholding") for n in order]
names = [n for n in order if any(name(r) == n for r in rows)]
cfgs = sorted({r["cfg"] for r in rows}, reverse=True)
for cfg in cfgs:
    sel = [r for r in rows if r["cfg"] == cfg]
    print(f"\nCFG {cfg:g}, {sel[0]['samples']} samples ({sel[0]['samples_per_class']} per class), FID / accuracy:\n")
    print("| sampler | NFE ≈ 5 | NFE ≈ 10 | NFE ≈ 20 | NFE ≈ 50 |")
    print("|---|---|---|---|---|")
    for n in names:
        cells = {}
        for r in sel:
            if name(r) == n:
                col = min([5, 10, 20, 50], key=lambda c: abs(c - r["nfe_per_sample"]))
                exact = "" if r["nfe_per_sample"] == col else f" ({r['nfe_per_sample']})"
                fid = f"{r['fid']:.0f}" if r["fid"] < 1e4 else f"{r['fid']:.1e}"
                cells[col] = f"{fid} / {100 * r['accuracy']:.0f} %{exact}"
        if cells:
            print(f"| {n} | " + " | ".join(cells.get(c, "–") for c in [5, 10, 20, 50]) + " |")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(cfgs), figsize=(4.5 * len(cfgs), 3.6), sharey=True, squeeze=False)
    for ax, cfg in zip(axes[0], cfgs):
        for n in names:
            pts = sorted((r["nfe_per_sample"], r["fid"]) for r in rows if r["cfg"] == cfg and name(r) == n)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=n, linestyle="--" if "Karras" in n else "-")
        ax.set_xscale("log"); ax.set_yscale("log"); ax.set_xlabel("NFE"); ax.set_title(f"CFG {cfg:g}")
        ax.set_xticks([5, 10, 20, 50]); ax.set_xticklabels(["5", "10", "20", "50"]); ax.minorticks_off()
        ax.set_ylim(top=1000); ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel(f"FID ({rows[0]['samples']} samples)"); axes[0][-1].legend(fontsize=7)
    fig.tight_layout(); fig.savefig("assets/solver-quality.png", dpi=72)
except ImportError:
    pass
