#!/usr/bin/env bash
# Quality per network evaluation: every sampler at NFE ≈ 5, 10, 20, 50 (with Karras σ: 5, 10, 20)
# and CFG 1 and 4 through `dit eval --json` on one model, DPM-Solver++ also with --thresholding
# (not run by CI; minutes on two cores).
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
VARIANTS=${VARIANTS:-"ddim ddpm dpm++2m dpm++2m:--thresholding euler heun dpm++2m:--karras dpm++2m:--karras:--thresholding euler:--karras heun:--karras"}
for cfg in ${CFGS:-4 1}; do
  for variant in $VARIANTS; do
    sampler=${variant%%:*}; flags=$(echo "${variant#$sampler}" | tr ':' ' ')
    for nfe in ${NFES:-5 10 20 50}; do
      case "$flags" in *--karras*) [ "$nfe" = 50 ] && continue ;; esac   # Karras σ: the few-step regime
      if [ "$sampler" = heun ]; then steps=$(( (nfe + 1) / 2 )); [ "$nfe" = 20 ] && steps=10; [ "$nfe" = 50 ] && steps=25; else steps=$nfe; fi
      # shellcheck disable=SC2086
      "$DIT" eval --model "$MODEL" --samples "$SAMPLES" --steps "$steps" --cfg "$cfg" --sampler "$sampler" $flags --seed 0 --json --quiet
    done
  done
done
