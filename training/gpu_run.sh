#!/usr/bin/env bash
# The findings at the paper's S size, on one CUDA GPU in at most 9 minutes of wall time:
#   (a) the four Fig. 5 block designs as DiT-S/8, (b) DiT-S/4 and DiT-S/2, all six side by side with the
#   shipped models' recipe (batch 256, lr 3e-4, 500 warm-up steps, EMA 0.9995, bf16), each keeping its
#   EMA weights every $EVERY steps; then every model is exported at the last step all six reached (equal
#   steps), evaluated (training/evaluate.py, and the fixed-noise FID/accuracy of training/findings.py),
#   and staged in parts of at most 8 files of at most 16 MiB (F16 shards) for the device tool to bring back.
#
#   bash training/gpu_run.sh                  # on the GPU machine, from the repository root; writes part 1 to $OUT
#   bash training/gpu_fetch.sh K              # the next calls, while the machine is held: part K to $OUT
#   bash training/gpu_unpack.sh DIR...        # back here: the parts' files into assets/ (see training/README.md)
#
# CPU smoke test (a few steps, tiny evaluation): GPU_RUN_SMOKE=1 bash training/gpu_run.sh
# Data: $FASHION_MNIST_DIR (carry the four *-ubyte.gz files as .gpudata/, see training/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
MIN=${MINUTES:-6.5}          # training wall time; export, evaluation and staging take the rest of the 9 minutes
EVERY=${EVERY:-250}
DEVICE=cuda
EVAL=(--per-class 100 --steps 50)
SCORE=(--samples 250 --sampling-steps 25)
if [ -n "${GPU_RUN_SMOKE:-}" ]; then
  MIN=30; EVERY=1; DEVICE=cpu; EVAL=(--per-class 2 --steps 2); SCORE=(--samples 20 --sampling-steps 2)
fi
RUNS=training/runs
STAGE=$RUNS/gpu-stage
OUT=${OUT:-$RUNS/gpu-out}
mkdir -p "$RUNS" "$OUT"
rm -rf "$STAGE"
mkdir -p "$STAGE/assets/models"
export FASHION_MNIST_DIR=${FASHION_MNIST_DIR:-$PWD/.gpudata}
[ -n "${GPU_RUN_SMOKE:-}" ] && export FASHION_MNIST_DIR=${FASHION_MNIST_DIR_SMOKE:-/usr/share/datasets/fashion-mnist}

# name  patch  conditioning (a Fig. 5 design, or - for the default S/4 and S/2)  (model directory = name)
MODELS=("dit-s8-adaln-zero 8 adaLN-Zero" "dit-s8-adaln 8 adaLN" "dit-s8-cross-attention 8 cross-attention"
        "dit-s8-in-context 8 in-context" "dit-s4-fashion 4 -" "dit-s2-fashion 2 -")   # -: models.py as is
RECIPE=(--batch 256 --lr 3e-4 --warmup 500 --ema-decay 0.9995 --seed 0 --precision bf16 --ema-every "$EVERY"
        --log-every 100 --ckpt-every 100000 --threads 2 --device "$DEVICE")
[ -n "${GPU_RUN_SMOKE:-}" ] && RECIPE=(--batch 8 --lr 3e-4 --warmup 2 --ema-decay 0.9995 --seed 0 --precision fp32
        --ema-every "$EVERY" --log-every 1 --ckpt-every 100000 --threads 1 --device cpu --steps 2)

for m in "${MODELS[@]}"; do
  read -r name patch cond <<<"$m"
  rm -rf "$RUNS/gpu-$name"
  design=(); [ "$cond" != - ] && design=(--conditioning "$cond")
  $PY training/train.py --name "gpu-$name" --patch "$patch" "${design[@]}" --minutes "$MIN" "${RECIPE[@]}" \
      > "$RUNS/gpu-$name.log" 2>&1 &
done
wait

# The last EMA step every run kept: equal steps for all six.
common=$(for m in "${MODELS[@]}"; do read -r name _ <<<"$m"
           ls "$RUNS/gpu-$name"/ema-*.pt | sed 's/.*ema-\([0-9]*\)\.pt/\1/' | sort -n | tail -1; done | sort -n | head -1)
echo "common step: $common"

for m in "${MODELS[@]}"; do
  read -r name _ <<<"$m"
  dir="$STAGE/assets/models/$name"
  $PY training/export.py --run "$RUNS/gpu-$name" --step "$common" --out "$dir" --threads 4
  cp "$RUNS/gpu-$name/ema-$common.pt" "$RUNS/gpu-$name/ckpt-eval.pt"
  $PY training/evaluate.py --model "$dir" --run "$RUNS/gpu-$name" --device "$DEVICE" --batch 1000 --no-card "${EVAL[@]}"
  $PY training/findings.py --score-checkpoint "$RUNS/gpu-$name/ema-$common.pt" "${SCORE[@]}" \
      --out "$STAGE/assets/experiments/gpu" --device "$DEVICE" > "$dir/fixed-noise-score.json"
  cp "$RUNS/gpu-$name.log" "$dir/train.log"
done

# Parts: the small files in one tarball (part 1, with the first shards), then the shards, 8 files a part.
(cd "$STAGE" && find assets -type f ! -name '*.safetensors' | sort | tar -czf small.tar.gz -T -)
{ echo "$STAGE/small.tar.gz"; find "$STAGE/assets" -name '*.safetensors' | sort; } > "$STAGE/files"
split -l 8 -d -a 1 "$STAGE/files" "$STAGE/part-"
echo "parts: $(ls "$STAGE"/part-* | wc -l) (fetch parts 2.. with training/gpu_fetch.sh K)"
bash training/gpu_fetch.sh 1
