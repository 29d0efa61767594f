"""Small CNN classifier for Fashion-MNIST (32x32 padded, [-1,1]) used to score generated samples.

  python training/classifier.py            # trains, reports test accuracy, writes training/runs/classifier.pt
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATH = os.path.join(HERE, "runs", "classifier.pt")


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()

        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(),
                                 nn.MaxPool2d(2))
        self.features = nn.Sequential(block(1, 32), block(32, 32), block(32, 64))  # 32 -> 4
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(64 * 4 * 4, 128), nn.ReLU(),
                                  nn.Linear(128, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


@torch.no_grad()
def predict(model, x, batch=1000):
    model.eval()
    return torch.cat([model(x[i: i + batch]).argmax(1) for i in range(0, len(x), batch)])


SHIPPED = os.path.join(os.path.dirname(HERE), "assets", "models", "fashion-classifier")


def load_classifier(path=DEFAULT_PATH, device="cpu"):
    """A training checkpoint (runs/classifier.pt), or the shipped judge's folder (its config.json
    stands in for the checkpoint's metadata); the default falls back to the judge on a fresh clone."""
    if path == DEFAULT_PATH and not os.path.exists(path):
        path = SHIPPED
    m = SmallCNN()
    if os.path.isdir(path):
        from safetensors.torch import load_file
        m.load_state_dict(load_file(os.path.join(path, "model.safetensors")))
        ck = json.load(open(os.path.join(path, "config.json")))
    else:
        ck = torch.load(path, map_location=device, weights_only=False)
        m.load_state_dict(ck["model"])
    return m.to(device).eval(), ck


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=DEFAULT_PATH)
    p.add_argument("--device", default="cpu")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    dev = torch.device(a.device)
    xtr, ytr = (v.to(dev) for v in data.load("train"))
    xte, yte = (v.to(dev) for v in data.load("test"))
    model = SmallCNN().to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps_per_epoch = (len(xtr) + 127) // 128
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=a.epochs * steps_per_epoch)
    t0 = time.time()
    for ep in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr)).to(dev)
        tot = 0.0
        for i in range(0, len(xtr), 128):
            idx = perm[i: i + 128]
            x = xtr[idx]
            flip = (torch.rand(len(idx)) < 0.5).to(dev)
            x = torch.where(flip[:, None, None, None], x.flip(-1), x)
            loss = F.cross_entropy(model(x), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        acc = (predict(model, xte) == yte).float().mean().item()
        print(f"epoch {ep + 1}: train loss {tot / len(xtr):.4f}  test acc {acc * 100:.2f}%  "
              f"({time.time() - t0:.0f}s)", flush=True)
    pred = predict(model, xte)
    acc = (pred == yte).float().mean().item()
    per_class = [(pred[yte == c] == c).float().mean().item() for c in range(10)]
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    torch.save(dict(model={k: v.cpu() for k, v in model.state_dict().items()}, test_accuracy=acc, per_class_test_accuracy=per_class,
                    epochs=a.epochs, seconds=time.time() - t0), a.out)
    print(json.dumps(dict(test_accuracy=acc, per_class={data.CLASS_NAMES[c]: round(v, 4)
                                                        for c, v in enumerate(per_class)})))
    print(f"saved {a.out}")


if __name__ == "__main__":
    main()
