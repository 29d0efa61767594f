"""What training/findings.py measured, written out for readers and for the explorer:

  conditioning/results.json, fig5.png, loss.png, README.md   (Fig. 5: the four designs at one size)
  scaling/results.json, fid-gflops.png, fid-compute.png, README.md   (Figs. 8 and 9: sizes at equal steps)

  python training/findings.py --plot-only --out assets/experiments   # redraws all of it from findings.json
"""
import json
import os
import shutil

from dit_model import CONDITIONINGS
from record_dit_eval import cost_of

COLOURS = {"adaLN-Zero": "#1f77b4", "adaLN": "#2ca02c", "cross-attention": "#ff7f0e", "in-context": "#d62728"}
def reproduce(results):
    """The commands that train every run to where it stopped (the chunk length only moves the scores:
    a run resumes exactly, so --every does not change the training); a second leg (results["legs"])
    goes on from the first leg's exported models, in runs of its own."""
    designs = {r["design"]: r["points"] for r in results["runs"].values() if r["size"] == results["design_size"] and r["points"]}
    others = {r["size"]: r["points"] for r in results["runs"].values()
              if r["size"] != results["design_size"] and r["design"] == "adaLN-Zero" and r["points"]}
    last = common_step(designs) if designs else 0
    scaling = max((p[-1]["step"] for p in others.values()), default=0)
    legs = results.get("legs", {})
    first = min((leg["from_step"] for leg in legs.values()), default=last)
    cmd = (f"nice -n 19 python training/findings.py --steps {first} --every {results.get('every', 250)} "
           f"--scaling-steps {scaling} --out assets/experiments")
    if not legs:
        return cmd
    leg = next(iter(legs.values()))
    return "\n".join([
        cmd,
        f"bash training/ship_findings.sh     # exports the four at step {first} into assets/models/dit-<run>/",
        f"nice -n 19 python training/findings.py --runs {','.join(legs)} --steps {last} --every {results.get('every')} \\",
        f"    --init-from assets/models --decay-start {leg['decay_start']} --decay-end {leg['decay_end']} \\",
        "    --runs-dir training/runs/leg2 --out assets/experiments",
        "bash training/ship_findings.sh training/runs/leg2"])


def slug(shape):
    """A size's part of a run name: (hidden, depth, heads, patch) -> "d128-l4-p8"."""
    hidden, depth, _, patch = shape
    return f"d{hidden}-l{depth}-p{patch}"


def total_seconds(results, name, point):
    """A point's training seconds over both legs: a second leg's clock starts again at 0."""
    leg = results.get("legs", {}).get(name)
    if not leg or point["step"] <= leg["from_step"]:
        return point["train_seconds"]
    base = next((p for p in results["runs"][name]["points"] if p["step"] == leg["from_step"]), None)
    return point["train_seconds"] + (base["train_seconds"] if base else 0)   # no first leg here: this leg's


def save_json(obj, path):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def config_of(results, size, design):
    hidden, depth, heads, patch = results["sizes"][size]
    return dict(input_size=32, in_channels=1, num_classes=10, hidden_size=hidden, depth=depth, num_heads=heads,
                patch_size=patch, conditioning=design)


def common_step(series, at_least=None):
    """The last step that every series (or at least `at_least` of them) has a point at; 0 if none."""
    need = len(series) if at_least is None else min(at_least, len(series))
    counts = {}
    for s in series.values():
        for p in s:
            counts[p["step"]] = counts.get(p["step"], 0) + 1
    shared = [st for st, n in counts.items() if n >= need]
    return max(shared) if shared else 0


def copy_grids(out, names):
    """findings.py keeps every grid in <out>/../grids; each experiment's README links its own copies."""
    src = os.path.join(os.path.dirname(out), "grids")
    if not os.path.isdir(src):
        return
    os.makedirs(os.path.join(out, "grids"), exist_ok=True)
    for f in os.listdir(src):
        if any(f.startswith(n + "-step") for n in names):
            shutil.copy2(os.path.join(src, f), os.path.join(out, "grids", f))


def size_label(size):
    return f"DiT-{size}"


def plt_():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


# -- Fig. 5 ------------------------------------------------------------------------------------------

def write_conditioning(results, out):
    size = results["design_size"]
    series = {r["design"]: r["points"] for r in results["runs"].values() if r["size"] == size and r["points"]}
    if not series:
        return
    os.makedirs(out, exist_ok=True)
    copy_grids(out, [n for n, r in results["runs"].items() if r["size"] == size])
    gflops = {d: cost_of(config_of(results, size, d))[0] for d in series}
    doc = dict(recipe=dict(results["recipe"], patch=results["sizes"][size][3]), model=size_label(size),
               size=dict(zip(("hidden_size", "depth", "num_heads", "patch_size"), results["sizes"][size])),
               samples=results["samples"], sampling_steps=results["sampling_steps"],
               noise_seed=results["noise_seed"], cfg=1.0, cfgs=results["cfgs"], sampler=results["sampler"],
               metric="FID of SmallCNN penultimate features vs the 10,000 real test images",
               gflops=gflops, series=series)
    save_json(doc, os.path.join(out, "results.json"))
    plt = plt_()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    for d in CONDITIONINGS:
        pts = series.get(d, [])
        if not pts:
            continue
        steps = [p["step"] for p in pts]
        ax1.plot(steps, [p["fid"] for p in pts], marker="o", ms=3, color=COLOURS[d], label=f"{d} CFG 1")
        ax1.plot(steps, [p["fid_cfg4"] for p in pts], marker="s", ms=3, ls="--", color=COLOURS[d], alpha=0.6,
                 label=f"{d} CFG 4")
        ax2.plot(steps, [100 * p["accuracy_cfg4"] for p in pts], marker="s", ms=3, ls="--", color=COLOURS[d])
        ax2.plot(steps, [100 * p["accuracy"] for p in pts], marker="o", ms=3, color=COLOURS[d], label=d)
    ax1.set_yscale("log")
    ax1.set_ylabel(f"FID-{results['samples']} (judge features)")
    ax2.set_ylabel("judge accuracy, % (solid CFG 1, dashed CFG 4)")
    ax2.axhline(10, color="grey", lw=0.8, ls=":")
    leg = next(iter(results.get("legs", {}).values()), None)
    for ax in (ax1, ax2):
        if leg:   # the second leg's start, and its learning-rate decay
            ax.axvline(leg["from_step"], color="k", lw=0.8, ls=":")
            ax.axvspan(leg["decay_start"], leg["decay_end"], color="grey", alpha=0.12, lw=0)
        ax.set_xlabel(f"training steps (batch {results['recipe']['batch']})")
        ax.grid(alpha=0.3)
    ax1.legend(fontsize=7)
    ax2.legend(fontsize=7)
    fig.suptitle(f"{size_label(size)} on Fashion-MNIST: the four block designs (cf. DiT Fig. 5)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "fig5.png"))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    for d, pts in series.items():
        pts = [p for p in pts if p.get("loss") is not None]
        ax.plot([p["step"] for p in pts], [p["loss"] for p in pts], marker="o", ms=3, color=COLOURS[d], label=d)
    ax.set_xlabel("training steps")
    ax.set_ylabel("training loss (MSE + VLB), mean per interval")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "loss.png"))
    plt.close(fig)
    write_conditioning_readme(doc, results, out)


def write_conditioning_readme(doc, results, out):
    series, size = doc["series"], results["design_size"]
    step = common_step(series)
    at = {d: next(p for p in pts if p["step"] == step) for d, pts in series.items()} if step else {}
    rank1 = sorted(at, key=lambda d: at[d]["fid"])
    rank4 = sorted(at, key=lambda d: -at[d]["accuracy_cfg4"])
    run_slug = slug(results["sizes"][size])
    rows = []
    for d in CONDITIONINGS:
        if d not in at:
            rows.append(f"| {d} | — | — | — | — | — | — | — | — |")
            continue
        p = at[d]
        secs = total_seconds(results, f"{run_slug}-{d.lower()}", p)
        rows.append(f"| {d} | {step} | {p['fid']:.1f} | {100 * p['accuracy']:.1f} % | {p['fid_cfg4']:.1f} | "
                    f"{100 * p['accuracy_cfg4']:.1f} % | {doc['gflops'][d]:.4f} | {secs / 60:.0f} | "
                    f"{step * results['recipe']['batch'] / max(1e-9, secs):.0f} |")
    hidden, depth, heads, patch = results["sizes"][size]
    r = results["recipe"]
    grids = "\n".join(f"| {d} | " + " ".join(f"[{p['step']}](grids/{run_slug}-{d.lower()}-step{p['step']}.png)"
                                              for p in series.get(d, [])) + " |" for d in CONDITIONINGS)
    legs = results.get("legs", {})
    leg = next(iter(legs.values()), None)
    second = "" if not leg else f"""

**Two legs.** Steps 0–{leg['from_step']:,} trained from scratch with this recipe. From step {leg['from_step']:,} each design went
on from its exported {leg['from_step']:,}-step EMA weights (`train.py --init-from`: the weights into both the model and
its EMA, a fresh AdamW state, the {r['warmup']} warm-up steps again, the data order from its start), with the same
recipe, the learning rate constant to step {leg['decay_start']:,} and then falling linearly to 0 at step {leg['decay_end']:,}.
The four went through the same legs at the same steps. Step counts go on across the legs."""
    paper = list(CONDITIONINGS)
    text = f"""# Fig. 5 at laptop scale: the four block designs on Fashion-MNIST

Made by `training/findings.py` on the 2-core CPU. Reproduce (resumable; rerun to continue):

```sh
{reproduce(results)}
```

**Model size**: {size_label(size)} — D {hidden}, {depth} blocks, {heads} heads, patch {patch} (16 tokens), 32×32×1
pixels, learned σ. This is *not* the paper's DiT-S (D 384, 12 blocks): it is narrower and shallower so
that four designs train on two CPU cores. **Recipe**, the same for the four: batch {r['batch']}, AdamW lr
{r['lr']} with {r['warmup']} warm-up steps, EMA {r['ema_decay']}, seed {r['seed']} (same data order, t, noise and label
drops), {r['precision']}. Only the block design differs.{second}

Each point: the EMA weights after that many steps, DDIM {results['sampling_steps']} steps on one fixed noise set of
{results['samples']} samples (classes in turn), at CFG 1 (as the paper's Fig. 5) and CFG 4: FID of the judge's 128-d
features (`assets/models/fashion-classifier`, as `dit eval`) against the 10,000 real test images, and the
judge's accuracy on the intended class (chance: 10 %). FID over {results['samples']} samples is biased upwards
against a 10,000-sample FID; the four share the bias.

## At step {step}, the last step all four have

| design | steps | FID CFG 1 | accuracy CFG 1 | FID CFG 4 | accuracy CFG 4 | Gflops | training minutes | images/s |
|---|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

Ranking by FID at CFG 1 (lower is better): {' < '.join(rank1) or '—'}.
Ranking by judge accuracy at CFG 4: {' > '.join(rank4) or '—'}.
The paper's order at the end of its training (DiT-XL/2, ImageNet 256, 400K steps) is
{' < '.join(paper)}; here it {'holds' if rank1 == paper else 'does not hold'} by FID at CFG 1 at step {step}.
Training minutes count each run's own steps (two runs trained side by side, one thread each, on a 2-core
AMD EPYC that other work shared at nice 0; this run at nice 19), and images/s is steps × batch over them,
so they compare only roughly; the designs' Gflops differ (table), their steps do not. The first 1,250
steps were scored every 250 steps, the rest of the first leg every 500{", the second leg every " + format(results['every'], ',') if leg else ""};
the chunking does not change the training (a run resumes its data order, random state and optimiser exactly).

![FID and accuracy against training steps](fig5.png)
![training loss](loss.png)

## Samples at CFG 4 (a column per class, fixed noise), at each point

| design | grids by step |
|---|---|
{grids}
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


# -- Figs. 8 and 9 -----------------------------------------------------------------------------------

def write_scaling(results, out):
    # One recipe for every size: a run's second leg (another learning-rate schedule) is not part of it.
    legs = results.get("legs", {})
    runs = {r["size"]: [p for p in r["points"] if n not in legs or p["step"] <= legs[n]["from_step"]]
            for n, r in results["runs"].items() if r["design"] == "adaLN-Zero" and r["points"]}
    if len(runs) < 2:
        return
    os.makedirs(out, exist_ok=True)
    batch = results["recipe"]["batch"]
    series, meta = {}, {}
    for size, pts in runs.items():
        gflops, params = cost_of(config_of(results, size, "adaLN-Zero"))
        meta[size_label(size)] = dict(zip(("hidden_size", "depth", "num_heads", "patch_size"), results["sizes"][size]),
                                      gflops=gflops, parameters=params)
        series[size_label(size)] = [dict(step=p["step"], fid=p["fid"], accuracy=p["accuracy"], fid_cfg4=p["fid_cfg4"],
                                         accuracy_cfg4=p["accuracy_cfg4"], gflops=gflops,
                                         train_seconds=p["train_seconds"],
                                         # the paper's training compute: Gflops × batch × steps × 3 (forward + backward)
                                         train_gflops=gflops * batch * p["step"] * 3) for p in pts]
    # The scaling set's common step: the last step at least three configs reached (a config that
    # stopped earlier keeps its points, drawn at the steps it has).
    step = common_step(series, at_least=3)
    doc = dict(series=series, configs=meta, common_step=step, recipe=results["recipe"], samples=results["samples"],
               sampling_steps=results["sampling_steps"], noise_seed=results["noise_seed"], sampler=results["sampler"],
               metric="FID of SmallCNN penultimate features vs the 10,000 real test images; fid/accuracy at CFG 1, "
                      "fid_cfg4/accuracy_cfg4 at CFG 4",
               train_gflops="the paper's training compute: Gflops × batch size × steps × 3")
    save_json(doc, os.path.join(out, "results.json"))
    plt = plt_()
    order = sorted(series, key=lambda s: meta[s]["gflops"])
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    steps = sorted({p["step"] for s in series.values() for p in s if p["step"] <= step})
    cmap = plt.get_cmap("viridis")
    for i, st in enumerate(steps):
        pts = [p for s in order for p in series[s] if p["step"] == st]
        axes[0].plot([p["gflops"] for p in pts], [p["fid"] for p in pts], marker="o",
                     color=cmap(i / max(1, len(steps) - 1)), label=f"step {st}")
    for s in order:
        axes[0].annotate(s, (meta[s]["gflops"], series[s][0]["fid"]), fontsize=7, xytext=(3, 3),
                         textcoords="offset points")
        axes[1].plot([p["train_gflops"] for p in series[s]], [p["fid"] for p in series[s]], marker="o", label=s)
    axes[0].set_xlabel("transformer Gflops (one forward pass)")
    axes[0].set_title("FID at equal steps (cf. Fig. 8)")
    axes[1].set_xlabel("training compute, Gflops (Gflops × batch × steps × 3)")
    axes[1].set_title("FID against training compute (cf. Fig. 9)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylabel(f"FID-{results['samples']} (judge features, CFG 1)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "scaling.png"))
    plt.close(fig)
    rows = []
    for s in order:
        p = next((p for p in series[s] if p["step"] == step), None)
        m = meta[s]
        rows.append(f"| {s} | {m['hidden_size']} | {m['depth']} | {m['num_heads']} | {m['patch_size']} | "
                    f"{m['parameters'] / 1e6:.2f} M | {m['gflops']:.4f} | " +
                    (f"{step} | {p['fid']:.1f} | {100 * p['accuracy']:.1f} % | {p['fid_cfg4']:.1f} | "
                     f"{100 * p['accuracy_cfg4']:.1f} % | {p['train_seconds'] / 60:.0f} |" if p else "— | — | — | — | — | — |"))
    fids = [p["fid"] for s in order for p in series[s] if p["step"] == step]
    monotone = all(a > b for a, b in zip(fids, fids[1:]))
    stopped = {s: series[s][-1]["step"] for s in order if series[s][-1]["step"] < step}
    stopped_note = "".join(f" {s} stopped at step {st} (its cost per step is the largest here; its points are in the plot)."
                           for s, st in stopped.items())
    r = results["recipe"]
    text = f"""# Scaling at equal steps: FID against Gflops (the paper's Figs. 8 and 9, at laptop scale)

Made by `training/findings.py` on the 2-core CPU, the same run as the Fig. 5 designs
(`../conditioning/`; its adaLN-Zero model is one of the sizes here). Reproduce (resumable):

```sh
{reproduce(results)}
```

Every size is a class-conditional adaLN-Zero DiT on Fashion-MNIST (32×32×1, learned σ), trained with one
recipe — batch {r['batch']}, AdamW lr {r['lr']}, {r['warmup']} warm-up steps, EMA {r['ema_decay']}, seed {r['seed']} (the same data
order, t, noise and label drops), {r['precision']} — to the same steps, and scored at each point as the designs
are (DDIM {results['sampling_steps']}, {results['samples']} fixed-noise samples, judge features' FID, judge accuracy). None of these
sizes is one of the paper's (DiT-S is D 384, 12 blocks, 6 heads); each is named by its width D, its
depth L and its patch size p.

| config | D | blocks | heads | p | parameters | Gflops | step | FID CFG 1 | accuracy CFG 1 | FID CFG 4 | accuracy CFG 4 | training minutes |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

At step {step}, FID {'falls with every step up in Gflops' if monotone else 'does not fall monotonically with Gflops'} across these
{len(fids)} configs ({' → '.join(f'{f:.1f}' for f in fids)}, in order of Gflops).{stopped_note} The paper finds, at 400K steps on ImageNet,
that FID falls with Gflops whether the Gflops come from width, depth or smaller patches; these
are {len(order)} small models early in training, so read the trend, not the levels. Training minutes
are wall time on a shared 2-core CPU.

![FID against Gflops and against training compute](scaling.png)

`results.json`: `series` maps each config to its points (`step`, `fid`, `accuracy`, `gflops`,
`train_seconds`, and `fid_cfg4`, `accuracy_cfg4`, `train_gflops`); `configs` gives each config's shape.
"""
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(text)


def write_all(results, out):
    write_conditioning(results, os.path.join(out, "conditioning"))
    write_scaling(results, os.path.join(out, "scaling"))
