"""Ships the Fashion-MNIST judge for `dit eval`: the trained SmallCNN (training/classifier.py) as F32
safetensors with its PyTorch key names, the real data's feature and pixel statistics, and the parity
fixtures for the Swift port.

  python training/classifier.py --epochs 8 --threads 2       # -> training/runs/classifier.pt
  python training/export_classifier.py                        # -> assets/models/fashion-classifier/

Writes, in assets/models/fashion-classifier/:
  model.safetensors   the state dict (eval mode: BatchNorm running statistics), F32
  config.json         architecture fields, class names, real test accuracy (overall and per class)
  stats.safetensors   penultimate-feature statistics (float64) of all 10,000 test images
                      (test_mu (F,), test_sigma (F, F)) and of all 60,000 training images
                      (train_mu, train_sigma); per-class pixel mean/std of the test set
                      (test_pixel_mean, test_pixel_std, (classes,)); sigma is np.cov (ddof = 1)
and in Tests/DiTTests/Fixtures/classifier/ (the ground truth the Swift tests compare against):
  x.npy, labels.npy   16 real test images (N, 1, 32, 32) and their labels
  logits.npy          (N, 10) and features.npy (N, 128): the PyTorch classifier's outputs
  fid_a.npy, fid_b.npy  two feature sets (200, 128 and 300, 128: real test features, and features of
                      noised test images) and fid.json: scipy.linalg.sqrtm's Fréchet distance between
                      their Gaussians, and the real-train vs real-test floor
"""
import argparse
import json
import os
import sys

import numpy as np
import scipy.linalg
import torch
from safetensors.numpy import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import data  # noqa: E402
from classifier import DEFAULT_PATH, load_classifier  # noqa: E402
from judge_metrics import frechet  # noqa: E402


@torch.no_grad()
def features_and_logits(model, x, batch=1000):
    """Penultimate features (after the hidden ReLU) and logits, in eval mode."""
    feats, logits = [], []
    for i in range(0, len(x), batch):
        h = model.features(x[i: i + batch])
        f = model.head[:4](h)          # Flatten, Dropout (identity in eval), Linear(1024, 128), ReLU
        feats.append(f)
        logits.append(model.head[4](f))
    return torch.cat(feats), torch.cat(logits)


def gaussian(f):
    f = f.astype(np.float64)
    return f.mean(0), np.cov(f, rowvar=False)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=DEFAULT_PATH)
    p.add_argument("--out", default=os.path.join(ROOT, "assets", "models", "fashion-classifier"))
    p.add_argument("--fixtures", default=os.path.join(ROOT, "Tests", "DiTTests", "Fixtures", "classifier"))
    a = p.parse_args()
    torch.set_num_threads(2)
    model, ck = load_classifier(a.checkpoint)
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.fixtures, exist_ok=True)

    state = {k: v.detach().float().contiguous().numpy() for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    save_file(state, os.path.join(a.out, "model.safetensors"), metadata={"format": "pt"})

    xte, yte = data.load("test")
    xtr, _ = data.load("train")
    fte, lte = features_and_logits(model, xte)
    ftr, _ = features_and_logits(model, xtr)
    pred = lte.argmax(1)
    acc = float((pred == yte).float().mean())
    per_class = [float((pred[yte == c] == c).float().mean()) for c in range(10)]
    mu_te, s_te = gaussian(fte.numpy())
    mu_tr, s_tr = gaussian(ftr.numpy())
    floor = frechet(mu_tr, s_tr, mu_te, s_te)
    pix_mean = np.array([float(xte[yte == c].mean()) for c in range(10)])
    pix_std = np.array([float(xte[yte == c].std()) for c in range(10)])  # torch std: ddof = 1
    save_file({"test_mu": mu_te, "test_sigma": s_te, "train_mu": mu_tr, "train_sigma": s_tr,
               "test_pixel_mean": pix_mean, "test_pixel_std": pix_std},
              os.path.join(a.out, "stats.safetensors"),
              metadata={"test_images": str(len(xte)), "train_images": str(len(xtr))})
    config = dict(
        arch="SmallCNN", description="3 × (conv 3×3 no bias, BatchNorm, ReLU, max-pool 2), Flatten, "
                                     "Dropout, Linear(1024, 128), ReLU = features, Linear(128, classes)",
        input_channels=1, input_size=32, channels=[32, 32, 64], hidden=128, batchnorm_eps=1e-5,
        num_classes=10, class_names=data.CLASS_NAMES, normalisation="[-1, 1], 28×28 padded to 32×32 with -1",
        test_accuracy=acc, per_class_test_accuracy=per_class, epochs=ck.get("epochs"),
        training_seconds=round(float(ck.get("seconds", 0)), 1), fid_floor_train_vs_test=floor,
        test_images=len(xte), train_images=len(xtr), made_by="training/export_classifier.py")
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")

    # Parity fixtures: 16 test images, two of each of the first 8 classes' first occurrences.
    idx = np.concatenate([np.nonzero(yte.numpy() == c)[0][:2] for c in range(8)])
    x = xte[idx]
    f, lg = features_and_logits(model, x)
    np.save(os.path.join(a.fixtures, "x.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(a.fixtures, "labels.npy"), yte[idx].numpy().astype(np.int64))
    np.save(os.path.join(a.fixtures, "logits.npy"), lg.numpy().astype(np.float32))
    np.save(os.path.join(a.fixtures, "features.npy"), f.numpy().astype(np.float32))
    g = torch.Generator().manual_seed(0)
    fa = fte[:200].numpy().astype(np.float32)
    noisy = (xte[200:500] + 0.5 * torch.randn(300, 1, 32, 32, generator=g)).clamp(-1, 1)
    fb = features_and_logits(model, noisy)[0].numpy().astype(np.float32)
    np.save(os.path.join(a.fixtures, "fid_a.npy"), fa)
    np.save(os.path.join(a.fixtures, "fid_b.npy"), fb)
    ma, sa = gaussian(fa)
    mb, sb = gaussian(fb)
    fixture = dict(fid=frechet(ma, sa, mb, sb), fid_self=frechet(ma, sa, ma, sa), fid_floor=floor,
                   made_by="training/export_classifier.py (scipy %s)" % scipy.__version__)
    with open(os.path.join(a.fixtures, "fid.json"), "w") as fjs:
        json.dump(fixture, fjs, indent=2)
        fjs.write("\n")
    print(json.dumps(dict(test_accuracy=acc, fid_floor=floor, fixture_fid=fixture["fid"])))


if __name__ == "__main__":
    main()
