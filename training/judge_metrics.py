"""The judge's side of every score here: the Fashion-MNIST classifier shipped as `dit eval`'s judge and
the Fréchet distance of its 128-d features, computed as `dit eval` (and pytorch-fid) compute it."""
import os
import sys

import numpy as np
import scipy.linalg

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from classifier import SmallCNN  # noqa: E402

JUDGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets", "models", "fashion-classifier")


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
