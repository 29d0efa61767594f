"""train.py's learning-rate schedule (warm-up, constant, then linear decay to 0 between --decay-start and
--decay-end) and its resumability: a run stopped and resumed in chunks across the decay must give the
weights of one uninterrupted run, and the learning rate of each step must be the schedule's. Exits 1 on
a mismatch.

  python training/test_schedule.py
"""
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
LR, WARMUP, START, END = 1e-3, 2, 4, 8
ARGS = ["--patch", "8", "--hidden", "64", "--depth", "2", "--heads", "2", "--batch", "8", "--lr", str(LR),
        "--warmup", str(WARMUP), "--decay-start", str(START), "--decay-end", str(END), "--device", "cpu",
        "--threads", "1", "--log-every", "1", "--ckpt-every", "100", "--resume"]


def train(runs_dir, steps):
    subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--name", "r", "--runs-dir", runs_dir,
                    "--steps", str(steps)] + ARGS, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, OMP_NUM_THREADS="1"))
    return torch.load(os.path.join(runs_dir, "r", "ckpt.pt"), weights_only=False)


def scheduled(step):
    """The learning rate of update number step + 1 (step updates done before it)."""
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    return LR * max(0.0, END - step) / (END - START) if step >= START else LR


def main():
    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as chunks:
        one = train(whole, END)
        for steps in (3, 5, 6, END):
            ck = train(chunks, steps)
            got = ck["opt"]["param_groups"][0]["lr"]
            if abs(got - scheduled(steps - 1)) > 1e-12:
                sys.exit(f"FAIL: after {steps} steps the last lr was {got:g}, the schedule says {scheduled(steps - 1):g}")
    for part in ("model", "ema"):
        for k, v in one[part].items():
            if not torch.equal(v, ck[part][k]):
                sys.exit(f"FAIL: {part}.{k} differs between one run and the same run in chunks")
    if scheduled(END - 1) >= scheduled(START - 1) or scheduled(START) != LR:
        sys.exit("FAIL: the schedule does not fall after --decay-start")
    print(f"PASS: lr warm-up {WARMUP}, constant to {START}, linear to 0 at {END}; chunks = one run bit for bit")


if __name__ == "__main__":
    main()
