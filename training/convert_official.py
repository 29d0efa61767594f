"""Convert the official DiT checkpoint (facebookresearch/DiT, e.g. DiT-XL-2-256x256.pt) to dit's
model folder: model.safetensors (the same state-dict key names) + config.json.

  python training/convert_official.py DiT-XL-2-256x256.pt --out models/dit-xl2-256 [--dtype f16]
      [--class-names model_index.json|labels.json]

The .pt is a PyTorch pickle; it is read with torch.load(weights_only=True), which loads tensors
and plain containers only and never runs code from the file. A training checkpoint
({"model", "ema", "opt", "args"}) is reduced to its EMA weights, as sample.py's find_model does.

Everything config.json needs is read from the shapes: hidden_size and patch_size from
x_embedder.proj.weight (D, C, p, p), depth from the blocks, input_size from pos_embed (1, T, D)
(T = (input_size / p)^2), num_classes from the label table (num_classes + 1 rows with the null
class), learn_sigma from the final layer's p^2 * out_channels rows, mlp_ratio from mlp.fc1.
num_heads is not in the weights: the paper's value for the width is used (S 6, B 12, L 16,
XL 16) unless --num-heads says otherwise.
--class-names takes a diffusers model_index.json (its id2label) or a JSON list of names.
"""
import argparse
import json
import math
import os
import sys

import torch
from safetensors.torch import save_file

PAPER_HEADS = {384: 6, 768: 12, 1024: 16, 1152: 16}
DTYPES = {"f32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def fail(path, field, what):
    sys.exit(f"convert_official.py: error: {path}: {field}: {what}")


def load_state(path):
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001 - the message names the file either way
        fail(path, "", f"cannot read as a PyTorch checkpoint with weights_only=True ({e})")
    if isinstance(obj, dict) and "ema" in obj and isinstance(obj["ema"], dict):
        obj = obj["ema"]
    if not isinstance(obj, dict) or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        fail(path, "", "expected a state dict {name: tensor} (or a training checkpoint with 'ema')")
    return obj


def shape(sd, path, key, rank):
    if key not in sd:
        fail(path, key, "missing; is this an official DiT checkpoint?")
    s = tuple(sd[key].shape)
    if len(s) != rank:
        fail(path, key, f"expected {rank} dimensions, found {list(s)}")
    return s


def class_names(path, num_classes):
    data = json.load(open(path))
    if isinstance(data, dict) and "id2label" in data:
        data = data["id2label"]
    if isinstance(data, dict):
        names = [data.get(str(i)) for i in range(num_classes)]
    else:
        names = list(data)
    if len(names) != num_classes or not all(isinstance(n, str) for n in names):
        fail(path, "id2label", f"expected {num_classes} names, one per class index")
    return names


def config_from(sd, path, num_heads):
    D, C, p, p2 = shape(sd, path, "x_embedder.proj.weight", 4)
    if p != p2:
        fail(path, "x_embedder.proj.weight", f"expected a square patch, found {p}x{p2}")
    depth = 0
    while f"blocks.{depth}.attn.qkv.weight" in sd:
        depth += 1
    if depth == 0:
        fail(path, "blocks.0.attn.qkv.weight", "missing; expected the DiT blocks")
    _, T, _ = shape(sd, path, "pos_embed", 3)
    grid = math.isqrt(T)
    if grid * grid != T:
        fail(path, "pos_embed", f"expected a square number of tokens, found {T}")
    rows, _ = shape(sd, path, "y_embedder.embedding_table.weight", 2)
    final, _ = shape(sd, path, "final_layer.linear.weight", 2)
    out_c = final // (p * p)
    if out_c not in (C, 2 * C) or out_c * p * p != final:
        fail(path, "final_layer.linear.weight", f"expected p^2 * C or p^2 * 2C rows, found {final}")
    hidden, _ = shape(sd, path, "blocks.0.mlp.fc1.weight", 2)
    heads = num_heads or PAPER_HEADS.get(D)
    if heads is None or D % heads:
        fail(path, "num_heads", f"hidden size {D} is not one of the paper's; pass --num-heads (a divisor of {D})")
    return dict(input_size=grid * p, patch_size=p, in_channels=C, hidden_size=D, depth=depth, num_heads=heads,
                mlp_ratio=hidden / D, num_classes=rows - 1, learn_sigma=out_c == 2 * C, conditioning="adaLN-Zero")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="f32", help="stored dtype (f16 halves the 2.7 GB of XL/2)")
    ap.add_argument("--num-heads", type=int, help="attention heads, when the width is not the paper's")
    ap.add_argument("--class-names", help="model_index.json (id2label) or a JSON list of class names")
    a = ap.parse_args()
    sd = load_state(a.checkpoint)
    config = config_from(sd, a.checkpoint, a.num_heads)
    if a.class_names:
        config["class_names"] = class_names(a.class_names, config["num_classes"])
    config["source"] = os.path.basename(a.checkpoint)
    os.makedirs(a.out, exist_ok=True)
    tensors = {k: v.detach().to(DTYPES[a.dtype]).contiguous() for k, v in sd.items()}
    save_file(tensors, os.path.join(a.out, "model.safetensors"))
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    n = sum(v.numel() for v in tensors.values())
    print(f"wrote {a.out}/model.safetensors ({len(tensors)} tensors, {n / 1e6:.1f} M parameters, {a.dtype}) and config.json: "
          + ", ".join(f"{k}={v}" for k, v in config.items() if k not in ("class_names", "source")))


if __name__ == "__main__":
    main()
