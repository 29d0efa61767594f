#!/usr/bin/env bash
# A latent model in the real explorer under tmux: the tiny pipeline folder
# (Tests/DiTExplorerTests/Fixtures/latent-pipeline: transformer/, vae/, id2label).
#   1. 80×24 with the Stable Diffusion VAE's shape (--vae sd, random weights: seconds a decode):
#      d starts a decode, and while it runs keys still answer at once (a step, the class picker,
#      a pick by name); Esc never quits; q while decoding exits 0 with the terminal restored.
#   2. 160×48 with the pipeline's own VAE: the automatic decodes arrive, z shows the picture alone,
#      lesson 1 shows the decoder, q exits 0 with the terminal restored.
# Polls for markers with deadlines; on failure prints the screen it saw and exits non-zero.
# Usage: .ci/tmux-latent.sh [path/to/dit]   (or DIT_BIN=...; default: swift build's)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="$(realpath -m "${1:-${DIT_BIN:-$(swift build --product dit >/dev/null && swift build --show-bin-path)/dit}}")"
PIPELINE="$(pwd)/Tests/DiTExplorerTests/Fixtures/latent-pipeline"
NAME=latent
source .ci/tmux-lib.sh

# answers KEY TEXT [covered]: KEY is sent and TEXT shows within 2 s while the decoder is still
# busy (its caption says so, unless an overlay covers it: then the next check shows it).
answers() {
  local start=$EPOCHREALTIME
  keys "$1"
  see "$2" 2 || return 1
  local ms; ms=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
  if [[ -z "${3:-}" ]] && ! screen | grep -qF "decoding step"; then
    fail "the decode ended before '$1' was checked: nothing shown about responsiveness"
  fi
  echo "  $1 → '$2' in $ms ms while decoding"
}

# open W H ARGS…: a fresh W×H session running `dit explore ARGS…` on the pipeline, 10 steps.
open() { launch "$1" "$2" "'$BIN' explore --model '$PIPELINE' --steps 10 ${*:3}"; }

echo "tmux $(tmux -V | cut -d' ' -f2), TERM=$TERM_INSIDE, pipeline $PIPELINE, binary $BIN"

# 1. 80×24, a decoder that takes seconds: the screen keeps answering.
open 80 24 --vae sd
see "step k = 0 of 10" 60
see "decoded x̂0 (VAE)" 5
keys d
see "decoding step 0…" 10
answers Right "step k = 1 of 10"
answers / "/ ▏" covered
"${TM[@]}" send-keys -t latent -l "shark"
see "3 of 17 match" 2
keys Down                              # the second match: tiger shark
answers Enter "│ 3 tiger shark"          # the status line: the class in use
keys Escape; sleep 0.3
screen | grep -qF "step k = 1 of 10" || fail "Esc quit the explorer"
keys q
restored "trajectory " && echo "ok: 80×24, --vae sd: keys answer while decoding, the class picker picks by name, Esc stays, q exits 0 mid-decode, terminal restored"

# 2. 160×48, the pipeline's own VAE: automatic decodes, zoom, lesson 1.
open 160 48
see "step k = 0 of 10" 30
keys End
see "10/10 computed" 30
see "decoded x̂0 · k=9" 30
see "VAE ×4 ·" 30
keys z
gone "x_t  noisy input"                # z: the decoded picture alone
see "decoded x̂0 · k=9" 5
keys z z z z
see "x_t  noisy input" 5
keys L 1
see "here: latent-pipeline/vae" 5
see "decoded k=" 30
keys L
see "trajectory " 5
keys q
restored "trajectory " && echo "ok: 160×48: automatic decodes, z alone, lesson 1 on the decoder, q exits 0, terminal restored"

if ((FAILED)); then echo "tmux latent test FAILED"; exit 1; fi
echo "tmux latent test passed"
