"""Records `dit eval --json` results in a model's eval.json under "dit_eval" (one entry per CFG,
sample count and steps; a newer run replaces an older one), where `dit compare` and the explorer's
Compare pane read them.

  dit eval --model assets/models/dit-s8-fashion --samples 1000 --cfg 4 --json > s8-cfg4.json
  python training/record_dit_eval.py assets/models/dit-s8-fashion s8-cfg4.json [more.json ...]

A file s8-cfg4.check.json beside a run (training/score_samples.py on its --output samples) is kept
as the run's "python_check".
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cost(model):
    """Gflops and parameters of one forward pass, from `dit flops` (for runs whose JSON predates them)."""
    return cost_of(json.load(open(os.path.join(model, "config.json"))))


def cost_of(c):
    """Gflops and parameters of one forward pass of the DiT with config dict c, from `dit flops`."""
    exe = os.environ.get("DIT") or next((e for e in (os.path.join(ROOT, ".build", b, "dit") for b in ("release", "debug"))
                                         if os.path.exists(e)), "dit")
    out = subprocess.run([exe, "flops", "--input-size", str(c["input_size"]), "--in-channels", str(c["in_channels"]),
                          "--num-classes", str(c["num_classes"]), "--hidden-size", str(c["hidden_size"]),
                          "--depth", str(c["depth"]), "--heads", str(c["num_heads"]), "--patch-size", str(c["patch_size"]),
                          "--conditioning", c.get("conditioning", "adaLN-Zero"), "--json"],
                         check=True, capture_output=True, text=True).stdout
    m = json.loads(out)["models"][0]
    return m["gflops"], m["parameters"]

KEEP = ["samples", "steps", "sampler", "cfg", "eta", "seed", "nfe_per_sample", "seconds", "accuracy",
        "per_class_accuracy", "fid", "fid_floor", "pixel_mean", "pixel_std", "judge_test_accuracy", "gflops",
        "parameters", "karras", "thresholding", "python_check"]


def main():
    model, runs = sys.argv[1], sys.argv[2:]
    path = os.path.join(model, "eval.json")
    ev = json.load(open(path))
    entries = ev.get("dit_eval", [])
    for r in runs:
        run = {k: v for k, v in json.load(open(r)).items() if k in KEEP}
        if "gflops" not in run:
            run["gflops"], run["parameters"] = cost(model)
        check = r.replace(".json", ".check.json")   # training/score_samples.py's output beside it, when there
        if os.path.exists(check):
            c = json.load(open(check))
            run["python_check"] = {k: c[k] for k in ("accuracy", "fid", "accuracy_difference", "fid_relative_difference")}
        run["command"] = (f"dit eval --model {model} --samples {run['samples']} --steps {run['steps']} "
                          f"--sampler {run['sampler']}{' --karras' if run.get('karras') else ''}"
                          f"{' --thresholding' if run.get('thresholding') else ''} --cfg {run['cfg']:g} --seed {run['seed']} --json")
        ident = lambda e: (e["cfg"], e["samples"], e["steps"], e["sampler"], bool(e.get("karras")), bool(e.get("thresholding")))
        entries = [e for e in entries if ident(e) != ident(run)] + [run]
    ev["dit_eval"] = sorted(entries, key=lambda e: (e["sampler"], e["steps"], e["samples"], -e["cfg"]))
    with open(path, "w") as f:
        json.dump(ev, f, indent=2)
        f.write("\n")
    print(f"{path}: {len(ev['dit_eval'])} dit eval entries")


if __name__ == "__main__":
    main()
