#!/usr/bin/env bash
# Swift engine vs PyTorch eager on this machine, measured in the same run (not run by CI).
#   bash benchmarks/run.sh [--dit-repo PATH]   (PATH: a checkout of facebookresearch/DiT)
# Installs torch (CPU), numpy and timm from PyPI into a throwaway venv.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
VENV=${VENV:-${TMPDIR:-/tmp}/dit-bench-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q torch numpy timm
fi
swift build -c release --product dit >/dev/null
DIT=.build/release/dit
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS
for cfg in S/2 S/8; do
  echo "== DiT-$cfg, 32×32×1, 10 classes, batch 2 (one guided step), $THREADS threads =="
  steps=$([ "$cfg" = S/8 ] && echo 100 || echo 50)
  "$DIT" bench --config "$cfg" --batch 2 --iterations 30 --sample-steps "$steps"
  "$VENV/bin/python" benchmarks/pytorch_reference.py --config "$cfg" --batch 2 --threads "$THREADS" \
      --iterations 30 --sample-steps "$steps" "$@"
done
if [ -d assets/models/dit-s8-fashion ]; then
  echo "== whole process: dit sample, shipped DiT-S/8, 100 DDIM steps, CFG 4, 1 image =="
  /usr/bin/time -f "%e s wall, %M KB peak" "$DIT" sample --class 3 --seed 1 --cfg 4 --steps 100 --output /tmp/dit-bench.npy
fi
