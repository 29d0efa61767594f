#!/usr/bin/env bash
# Quality per network evaluation: every sampler at NFE ≈ 5, 10, 20, 50 and CFG 1 and 4 through
# `dit eval --json` on one model (not run by CI; minutes on two cores).
#   bash benchmarks/solver_quality.sh [SAMPLES] [MODEL_DIR] > benchmarks/solver_quality.jsonl
# NFES="5 10 20" limits the NFE columns, CFGS="4" the guidance scales.
# Heun's NFE is 2K − 1 (K = 3, 5, 10, 25 → 5, 9, 19, 49); the others' is K. A guided evaluation
# (conditional and null batch together) counts once. SAMPLES must be a multiple of the classes.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-100}
MODEL=${2:-assets/models/dit-s4-fashion}
DIT=${DIT:-.build/release/dit}
[ -x "$DIT" ] || swift build -c release --product dit >/dev/null
for cfg in ${CFGS:-4 1}; do
  for sampler in ddim ddpm dpm++2m euler heun; do
    for nfe in ${NFES:-5 10 20 50}; do
      if [ "$sampler" = heun ]; then steps=$(( (nfe + 1) / 2 )); [ "$nfe" = 20 ] && steps=10; [ "$nfe" = 50 ] && steps=25; else steps=$nfe; fi
      "$DIT" eval --model "$MODEL" --samples "$SAMPLES" --steps "$steps" --cfg "$cfg" --sampler "$sampler" --seed 0 --json --quiet
    done
  done
done
