"""Records `dit eval --json` results in a model's eval.json under "dit_eval" (one entry per CFG,
sample count and steps; a newer run replaces an older one), where `dit compare` and the explorer's
Compare pane read them.

  dit eval --model assets/models/dit-s8-fashion --samples 1000 --cfg 4 --json > s8-cfg4.json
  python training/record_dit_eval.py assets/models/dit-s8-fashion s8-cfg4.json [more.json ...]
"""
import json
import os
import sys

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
        run["command"] = (f"dit eval --model {model} --samples {run['samples']} --steps {run['steps']} "
                          f"--sampler {run['sampler']} --cfg {run['cfg']:g} --seed {run['seed']} --json")
        key = (run["cfg"], run["samples"], run["steps"], run["sampler"])
        entries = [e for e in entries if (e["cfg"], e["samples"], e["steps"], e["sampler"]) != key] + [run]
    ev["dit_eval"] = sorted(entries, key=lambda e: (e["sampler"], e["steps"], e["samples"], -e["cfg"]))
    with open(path, "w") as f:
        json.dump(ev, f, indent=2)
        f.write("\n")
    print(f"{path}: {len(ev['dit_eval'])} dit eval entries")


if __name__ == "__main__":
    main()
