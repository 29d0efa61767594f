"""Writes assets/data/fashion-test-10pc/: the first 10 Fashion-MNIST *test* images of each class, in the
models' convention (28x28 padded to 32x32 with -1, x/127.5 - 1), class by class (rows 10*y ... 10*y+9).

  images.npy  (100, 1, 32, 32) float32 in [-1, 1]
  labels.npy  (100,) int64 class indices (0..9)
  indices.npy (100,) int64 positions in the t10k test set

Deterministic: no randomness, only the order of the test set.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import CLASS_NAMES, DATA_DIR, load_uint8, to_model_space  # noqa: E402

PER_CLASS = 10


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", default=DATA_DIR)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "data",
                                                  "fashion-test-10pc"))
    args = ap.parse_args()
    x, y = load_uint8("test", args.data_dir)
    picked = np.concatenate([np.flatnonzero(y == c)[:PER_CLASS] for c in range(len(CLASS_NAMES))])
    images = to_model_space(x[picked]).numpy().astype(np.float32)            # (100, 1, 32, 32)
    assert images.shape == (len(CLASS_NAMES) * PER_CLASS, 1, 32, 32)
    assert images.min() >= -1 and images.max() <= 1
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "images.npy"), images)
    np.save(os.path.join(args.out, "labels.npy"), y[picked].astype(np.int64))
    np.save(os.path.join(args.out, "indices.npy"), picked.astype(np.int64))
    print(f"wrote {images.shape} to {os.path.normpath(args.out)}; test-set indices {picked[:3]}…")


if __name__ == "__main__":
    main()
