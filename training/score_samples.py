"""Scores samples that `dit eval --output` wrote, in PyTorch and scipy, to check dit eval's numbers.

  dit eval --model assets/models/dit-s8-fashion --samples 1000 --cfg 4 --json --output s.npy > s.json
  python training/score_samples.py s.npy [s.json]

The samples are (N, 1, 32, 32) in [-1, 1] with dit eval's class order (sample i has class
i // (N / classes)). The judge is the shipped classifier (assets/models/fashion-classifier, the
weights dit eval runs) in PyTorch; FID is pytorch-fid's formula with scipy.linalg.sqrtm against the
shipped real test statistics. Prints one JSON object: accuracy, per-class accuracy, FID, and, given
dit eval's JSON, the differences from its numbers.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from judge_metrics import frechet, load_judge  # noqa: E402


@torch.no_grad()
def score(samples):
    judge, mu_real, sigma_real = load_judge()
    x = torch.from_numpy(samples).float()                    # N, 1, 32, 32
    n, classes = x.shape[0], judge.head[4].out_features
    y = torch.arange(n) // (n // classes)
    feats = torch.cat([judge.head[:4](judge.features(x[i:i + 500])) for i in range(0, n, 500)])  # N, 128
    pred = judge.head[4](feats).argmax(1)
    f = feats.numpy().astype(np.float64)
    right = (pred == y).float()
    return dict(samples=n, accuracy=float(right.mean()),
                per_class_accuracy=[float(right[y == c].mean()) for c in range(classes)],
                fid=frechet(f.mean(0), np.cov(f, rowvar=False), mu_real, sigma_real))


def main():
    torch.set_num_threads(2)
    result = score(np.load(sys.argv[1]))
    if len(sys.argv) > 2:
        ours = json.load(open(sys.argv[2]))
        result["dit_eval"] = {k: ours[k] for k in ("accuracy", "fid")}
        result["accuracy_difference"] = result["accuracy"] - ours["accuracy"]
        result["fid_relative_difference"] = (result["fid"] - ours["fid"]) / ours["fid"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
