"""train.py under torchrun gives one process's results: a few steps of a small DiT, once in one process and
once as two CPU processes (DistributedDataParallel, gloo) with the same global batch; the weights, the EMA
and the logged losses must agree to float tolerance. Exits 1 on a mismatch.

  python training/test_ddp.py
"""
import csv
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = ["--patch", "8", "--hidden", "64", "--depth", "2", "--heads", "2", "--batch", "8", "--steps", "4",
        "--lr", "1e-3", "--warmup", "2", "--device", "cpu", "--threads", "1", "--log-every", "1", "--ckpt-every", "100"]


def run(runs_dir, procs, conditioning):
    cmd = [sys.executable] + (["-m", "torch.distributed.run", "--nproc_per_node", str(procs), "--master_port",
                               str(29500 + os.getpid() % 1000)] if procs > 1 else [])
    cmd += [os.path.join(HERE, "train.py"), "--name", "r", "--runs-dir", runs_dir, "--conditioning", conditioning] + ARGS
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, OMP_NUM_THREADS="1"))
    ck = torch.load(os.path.join(runs_dir, "r", "ckpt.pt"), weights_only=False)
    losses = [float(r["loss"]) for r in csv.DictReader(open(os.path.join(runs_dir, "r", "loss.csv")))]
    return ck, losses


def main():
    worst = 0.0
    for conditioning in ("adaLN-Zero", "in-context"):
        with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
            a, la = run(one, 1, conditioning)
            b, lb = run(two, 2, conditioning)
        assert a["step"] == b["step"] == 4, (a["step"], b["step"])
        # Adam divides each gradient by its running RMS, so a gradient that is float noise in both (the key
        # bias's: softmax ignores a shift shared by all logits) can take a step of up to lr either way. The
        # bound is a tenth of lr for every weight, and the RMS difference over all weights stays far below.
        sq, n = 0.0, 0
        for part in ("model", "ema"):
            for k, v in a[part].items():
                d = (v - b[part][k]).abs()
                worst = max(worst, d.max().item())
                sq, n = sq + float((d ** 2).sum()), n + d.numel()
                if d.max().item() > 1e-4:
                    sys.exit(f"FAIL {conditioning}: {part}.{k} differs by {d.max().item():.3g} between 1 and 2 processes")
        if (sq / n) ** 0.5 > 2e-6:
            sys.exit(f"FAIL {conditioning}: the weights differ by {(sq / n) ** 0.5:.3g} RMS between 1 and 2 processes")
        print(f"{conditioning}: max |diff| {worst:.2e}, RMS {(sq / n) ** 0.5:.2e}")
        if len(la) != len(lb) or any(abs(x - y) > 1e-5 * abs(x) for x, y in zip(la, lb)):
            sys.exit(f"FAIL {conditioning}: logged losses differ: {la} vs {lb}")
        moved = max((a["model"][k] - v).abs().max().item() for k, v in a["ema"].items())
        if moved == 0.0:
            sys.exit("FAIL: the weights did not train")   # the check above would be vacuous
    print(f"PASS: 1 and 2 processes agree (max |diff| {worst:.2e}) for adaLN-Zero and in-context")


if __name__ == "__main__":
    main()
