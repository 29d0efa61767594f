#!/usr/bin/env bash
# Ships what training/findings.py trained: the four Fig. 5 design models at their last common step
# (F16 shards, config.json with training_steps, reference/, eval.json from evaluate.py and `dit eval`
# at CFG 1 and 4, MODEL_CARD.md) and the two experiments' results, plots and READMEs.
#   bash training/ship_findings.sh [RUNS_DIR] [RESULTS_DIR]     (defaults: training/runs, assets/experiments)
# Needs the release `dit` (swift build -c release) for `dit eval` and `dit flops`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
RUNS=${1:-training/runs}
RESULTS=${2:-assets/experiments}
DIT=${DIT:-.build/release/dit}
N=${EVAL_SAMPLES:-1000}
# The design runs (and their size) from findings.py's own table.
read -r SLUG < <($PY -c "import sys; sys.path.insert(0, 'training'); import findings as f; print(f.slug(f.DESIGN_SIZE))")
if [ "$RESULTS" != assets/experiments ]; then   # the results findings.py wrote elsewhere, redrawn here
  mkdir -p assets/experiments
  cp "$RESULTS/findings.json" assets/experiments/findings.json
  rm -rf assets/experiments/grids && cp -r "$RESULTS/grids" assets/experiments/grids
fi
$PY training/findings.py --plot-only --out assets/experiments
for d in adaln-zero adaln cross-attention in-context; do
  run="$RUNS/$SLUG-$d" out="assets/models/dit-$SLUG-$d"
  rm -rf "$out.new"
  $PY training/export.py --run "$run" --out "$out.new"   # beside the old one: a second leg reads its prior's config
  rm -rf "$out" && mv "$out.new" "$out"
  $PY training/evaluate.py --model "$out" --run "$run" --no-card
  for cfg in 1 4; do
    "$DIT" eval --model "$out" --samples "$N" --steps 50 --cfg "$cfg" --seed 0 --json > "$run/dit-eval-cfg$cfg.json"
  done
  $PY training/record_dit_eval.py "$out" "$run"/dit-eval-cfg{1,4}.json
  $PY training/make_card.py --model "$out"
done
rm -rf assets/experiments/grids   # each experiment keeps its own copies
