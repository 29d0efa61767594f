"""Fashion-MNIST loading (IDX, gzip) -> 32x32 in [-1, 1] (2-pixel padding with background -1)."""
import gzip
import os

import numpy as np
import torch

DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_uint8(split="train", data_dir=DATA_DIR):
    """Returns (images uint8 (N,28,28), labels int64 (N,))."""
    prefix = "train" if split == "train" else "t10k"
    x = _read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    y = _read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz")).astype(np.int64)
    return x, y


def to_model_space(x_uint8):
    """uint8 (N,28,28) -> float32 tensor (N,1,32,32) in [-1,1], padded with -1."""
    x = torch.from_numpy(np.array(x_uint8, copy=True)).float() / 127.5 - 1.0
    x = torch.nn.functional.pad(x, (2, 2, 2, 2), value=-1.0)
    return x.unsqueeze(1)


def load(split="train", data_dir=DATA_DIR):
    x, y = load_uint8(split, data_dir)
    return to_model_space(x), torch.from_numpy(y)
