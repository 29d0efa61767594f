#!/usr/bin/env bash
# Swift engine vs PyTorch (eager and torch.compile), ONNX Runtime and OpenVINO on this machine, measured in the same run
# (not run by CI).
#   bash benchmarks/run.sh [--dit-repo PATH]   (PATH: a checkout of facebookresearch/DiT)
# Installs torch (CPU), numpy, timm, onnx, onnxruntime and openvino from PyPI into a throwaway venv (VENV=... to reuse one).
# ROUNDS (default 3) paired rounds per mode: the whole `dit sample` process, two labels, guided
# DDIM, timed back to back with each PyTorch sampling loop (the loop alone, after warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
VENV=${VENV:-${TMPDIR:-/tmp}/dit-bench-venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q torch numpy timm onnx onnxruntime openvino
fi
swift build -c release --product dit >/dev/null
DIT=.build/release/dit
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS
# The machine's FMA peak, to read each forward's GFLOPS against: cores × FMA units × fp32 lanes × 2
# × the busy clock (measured: the nominal MHz of a virtual machine leaves out turbo). The units and
# lanes are the CPU family's, as documented by the vendor; the line says which were assumed.
clock=${TMPDIR:-/tmp}/dit-clock
cc -O2 -o "$clock" benchmarks/clock.c
ghz=$("$clock")
vendor=$(grep -m1 vendor_id /proc/cpuinfo | awk '{print $NF}')
family=$(grep -m1 "cpu family" /proc/cpuinfo | awk '{print $NF}')
if ! grep -qw avx512f /proc/cpuinfo; then units=2 lanes=8 why="AVX2: two 256-bit FMA units"
elif [ "$vendor" = AuthenticAMD ] && [ "$family" -lt 26 ]; then units=2 lanes=8 why="AMD family $family (Zen 4): two 256-bit FMA units, AVX-512 in two halves"
elif [ "$vendor" = AuthenticAMD ]; then units=2 lanes=16 why="AMD family $family (Zen 5): two 512-bit FMA units"
else units=2 lanes=16 why="$vendor family $family: two 512-bit FMA units (Xeon Gold/Platinum; one on some Silver)"; fi
echo "== FMA peak: $THREADS cores × $units FMA units × $lanes lanes × 2 flops × $ghz GHz (measured) =" \
     "$(awk -v c="$THREADS" -v u=$units -v l=$lanes -v g="$ghz" 'BEGIN { printf "%.1f", c * u * l * 2 * g }') GFLOPS ($why) =="
for cfg in S/2 S/8; do
  p=${cfg#S/}
  steps=$([ "$cfg" = S/8 ] && echo 100 || echo 20)
  echo "== DiT-$cfg, 32×32×1, 10 classes: forward of batch 4 (a guided step of two images), $THREADS threads =="
  "$DIT" bench --config "$cfg" --batch 4 --iterations 20 --profile
  echo "-- the same with F16 weights (as the shipped models): --weights f16"
  "$DIT" bench --config "$cfg" --batch 4 --iterations 20 --weights f16 | grep -E "^(weights|forward|achieved)"
  model=assets/models/dit-s$p-fashion
  versus=()
  if [ -d "$model" ]; then
    echo "== whole process: dit sample, shipped DiT-$cfg, $steps DDIM steps, CFG 4, 2 labels, vs PyTorch's loop alone =="
    versus=(--versus "$DIT sample --model $model --class 0,1 --seed 1 --cfg 4 --steps $steps --output ${TMPDIR:-/tmp}/dit-bench.npy" --rounds "$ROUNDS")
  fi
  "$VENV/bin/python" benchmarks/pytorch_reference.py --config "$cfg" --batch 4 --threads "$THREADS" \
      --iterations 20 --sample-steps "$steps" --compile --runtimes "${versus[@]}" "$@"
done
