"""benchmarks/solver_quality.jsonl (from solver_quality.sh) -> a markdown table on stdout and a
plot of FID against NFE (assets/solver-quality.png when matplotlib is there)."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/solver_quality.jsonl") if l.strip()]
samplers = ["ddim", "ddpm", "dpm++2m", "euler", "heun"]
for cfg in sorted({r["cfg"] for r in rows}):
    sel = [r for r in rows if r["cfg"] == cfg]
    nfes = sorted({r["nfe_per_sample"] for r in sel})
    print(f"\nCFG {cfg:g}, {sel[0]['samples']} samples ({sel[0]['samples_per_class']} per class): FID / accuracy\n")
    print("| sampler | " + " | ".join(f"NFE ≈ {n}" for n in [5, 10, 20, 50]) + " |")
    print("|---|" + "---|" * 4)
    for s in samplers:
        cells = [f"{r['fid']:.2f} / {100 * r['accuracy']:.0f} % (NFE {r['nfe_per_sample']})"
                 for r in sorted((r for r in sel if r["sampler"] == s), key=lambda r: r["nfe_per_sample"])]
        print(f"| {s} | " + " | ".join(cells) + " |")
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    for ax, cfg in zip(axes, sorted({r["cfg"] for r in rows})):
        for s in samplers:
            pts = sorted((r["nfe_per_sample"], r["fid"]) for r in rows if r["cfg"] == cfg and r["sampler"] == s)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=s)
        ax.set_xscale("log"); ax.set_yscale("log"); ax.set_xlabel("NFE"); ax.set_title(f"CFG {cfg:g}")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel(f"FID ({rows[0]['samples']} samples)"); axes[1].legend(fontsize=8)
    fig.tight_layout(); fig.savefig("assets/solver-quality.png", dpi=80)
except ImportError:
    pass
