#!/usr/bin/env bash
# The guided lessons under tmux: `dit lesson` walks through all nine chapters (each title must
# appear), one "try it" hands over to the explorer and L comes back to the same chapter, then the
# same in Japanese for a few chapters (titles in Japanese, wide characters inside the text
# column), and q must leave the terminal restored. Polls for markers with deadlines; on failure
# prints the screen it saw and exits non-zero.
# Usage: .ci/tmux-lessons.sh [path/to/dit]   (or DIT_BIN=...; default: swift build's)
set -euo pipefail
cd "$(dirname "$0")/.."

# The binary (argument, $DIT_BIN, or a fresh debug build) and the model, as absolute paths.
BIN="$(realpath -m "${1:-${DIT_BIN:-$(swift build --product dit >/dev/null && swift build --show-bin-path)/dit}}")"
MODEL="$(realpath -m "${DIT_SMOKE_MODEL:-assets/models/dit-s8-fashion}")"
[[ -f "$MODEL/config.json" ]] || MODEL="$(pwd)/Tests/DiTTests/Fixtures/tiny"
NAME=lesson
source .ci/tmux-lib.sh

# open ARGS…: a fresh 100×35 session running `dit lesson ARGS…`.
open() { launch 100 35 "'$BIN' lesson --model '$MODEL' $*"; }

# quit_restored: q exits 0 and leaves the terminal restored.
quit_restored() { keys q; restored "DiT lesson"; }

# column_intact: every row of the text box ends with its border at column 39 (display width,
# wide characters counted as two): a wide glyph emitted twice or mis-measured would shift it.
# Polled like `see`: a capture can catch the terminal halfway through a redraw.
column_intact() {
  command -v python3 >/dev/null || return 0
  local deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    screen | python3 -c '
import sys, unicodedata
def width(s): return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rows = sys.stdin.read().split("\n")[2:31]
bad = [r for r in rows if not r.startswith("│") or width(r.split("│")[1]) != 38]
sys.exit(1 if bad else 0)' && return 0
    sleep 0.2
  done
  fail "the text column is misaligned"
}

echo "tmux $(tmux -V | cut -d' ' -f2), TERM=$TERM_INSIDE, model $MODEL, binary $BIN"

# 1. Bad arguments are refused before the screen is taken.
for bad in "--lang fr" "--chapter 10" "--chapter 0"; do
  status=0; out="$("$BIN" lesson --model "$MODEL" $bad 2>&1)" || status=$?
  [[ $status == 2 ]] || fail "dit lesson $bad: exit status $status, expected 2"
  grep -q -- "${bad%% *}" <<<"$out" || fail "dit lesson $bad: the message does not name the flag: $out"
done
echo "ok: bad --lang / --chapter exit 2 with a message"

# 2. English: every chapter in turn, a try-it and back, quit.
titles=("Latent diffusion" "Patchify" "Position embeddings" "Conditioning on t and class"
        "The transformer block and self-attention" "Linear decoder and unpatchify"
        "Sampling: DDPM, DDIM, faster solvers and guidance" "Scaling: model size and patch size" "The training objective")
open
see "DiT lesson · 1/9 · ${titles[0]}" 30
for n in 2 3 4 5 6 7 8 9; do
  keys Right
  see "· $n/9 · ${titles[n-1]}"
done
keys Right 2; see "· 2/9 · Patchify"   # → on the last chapter stays there (a message says so)
keys t
see "L: back to lesson chapter 2" && see "2 Patch" && see "I=32, p=8: T = (I/p)² = 4² = 16 tokens"
keys p; see "T = (I/p)² = 16² = 256 tokens"
keys L; see "DiT lesson · 2/9 · Patchify"
column_intact
quit_restored && echo "ok: 9 chapters, try-it and back, quit (status 0, terminal restored)"

# 3. Japanese: titles, wide characters inside the column, the language key, try-it and back.
open --lang ja --chapter 3
see "DiT レッスン · 3/9 · 位置埋め込み" 30
column_intact
keys Right; see "· 4/9 · 時刻とクラスによる条件付け"
column_intact
keys 8; see "· 8/9 · スケーリング：モデルサイズとパッチサイズ"
keys Left; see "· 7/9 · サンプリング：DDPM・DDIM・高速ソルバー・ガイダンス"
keys t; see "L：レッスン第7章に戻る"
keys L; see "· 7/9 · サンプリング"
keys g; see "DiT lesson · 7/9 · Sampling: DDPM, DDIM, faster solvers and guidance"
keys g; see "DiT レッスン · 7/9"
quit_restored && echo "ok: Japanese chapters, column layout, language switch, try-it and back, quit"

if ((FAILED)); then echo "tmux lesson walk FAILED"; exit 1; fi
echo "tmux lesson walk passed"
