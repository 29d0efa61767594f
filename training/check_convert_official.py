"""Checks training/convert_official.py end to end on a small random DiT in the official format:
torch.save(state_dict) -> convert_official.py -> `dit forward`, against the PyTorch forward of
training/dit_model.py (the official models.py's numerics and key names).

  /work/venv/bin/python training/check_convert_official.py .build/debug/dit
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dit_model import DiT  # noqa: E402


def main(dit):
    torch.manual_seed(0)
    model = DiT(input_size=8, patch_size=2, in_channels=4, hidden_size=384, depth=2, num_heads=6, num_classes=5).eval()
    with torch.no_grad():  # the adaLN-Zero init is all zeros: randomise so the check can fail
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    with tempfile.TemporaryDirectory() as tmp:
        pt = os.path.join(tmp, "DiT-tiny.pt")
        torch.save({"model": {}, "ema": model.state_dict(), "args": None}, pt)
        out = os.path.join(tmp, "converted")
        subprocess.run([sys.executable, os.path.join(HERE, "convert_official.py"), pt, "--out", out], check=True)
        config = json.load(open(os.path.join(out, "config.json")))
        x = torch.randn(2, 4, 8, 8)
        t = torch.tensor([500, 37])
        y = torch.tensor([1, 5])   # 5 = the null class
        np.save(os.path.join(tmp, "x.npy"), x.numpy())
        subprocess.run([dit, "forward", "--model", out, "--x", os.path.join(tmp, "x.npy"), "--t", "500,37",
                        "--class", "1,5", "--output", os.path.join(tmp, "out.npy")], check=True)
        with torch.no_grad():
            ref = model(x, t, y).numpy()
        got = np.load(os.path.join(tmp, "out.npy"))
        d = float(np.abs(got - ref).max())
        print(f"config {config}\nmax |dit - pytorch| = {d:.3g} (max |ref| {np.abs(ref).max():.3g})")
        sys.exit(0 if d <= 1e-4 * max(1, np.abs(ref).max()) else 1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/dit")
