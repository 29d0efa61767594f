#!/usr/bin/env bash
# Trains the shipped DiT-S/8, S/4 and S/2 side by side on one CUDA GPU (they share it), and the
# evaluation classifier, then exports and evaluates each model. Run from the repository root:
#   MINUTES=15 bash training/train_gpu.sh
# Each run stops after MINUTES of wall time (the step count it reached is recorded in the exported
# config.json); replay a run exactly-in-order with `--steps N` instead of `--minutes`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
MIN=${MINUTES:-15}
mkdir -p training/runs
for p in 8 4 2; do
  $PY training/train.py --patch "$p" --device cuda --minutes "$MIN" --batch 256 --lr 3e-4 --warmup 500 \
      --ema-decay 0.9995 --log-every 100 --ckpt-every 2000 --threads 4 > "training/runs/train-s$p.log" 2>&1 &
done
$PY training/classifier.py --device cuda --epochs 8 > training/runs/classifier.log 2>&1
wait
for p in 8 4 2; do
  $PY training/export.py --run "training/runs/dit-s$p-fashion" --threads 4
  $PY training/evaluate.py --model "assets/models/dit-s$p-fashion" --run "training/runs/dit-s$p-fashion" \
      --device cuda --batch 1000 --no-card
done
