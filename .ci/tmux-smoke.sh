#!/usr/bin/env bash
# Smoke test of the real explorer under tmux: open a model, step, switch panes (the Forward pane
# with a real image, its loss and an SDEdit run), branch, resize,
# help, then quit with q (exit 0), Ctrl-C (130), SIGTERM (143) and a crash (SIGSEGV, 139). After
# each, the terminal must be restored: alternate screen left, cursor shown, mouse reporting off,
# the explorer's screen gone. Polls for markers with a deadline instead of sleeping; exits
# non-zero on any failure, printing the screen it saw.
# Usage: .ci/tmux-smoke.sh [path/to/dit]   (or DIT_BIN=...; default: swift build's)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${1:-${DIT_BIN:-}}"
if [[ -z "$BIN" ]]; then
  swift build --product dit >/dev/null
  BIN="$(swift build --show-bin-path)/dit"
fi
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
MODEL="${DIT_SMOKE_MODEL:-assets/models/dit-s8-fashion}"
[[ -f "$MODEL/config.json" ]] || MODEL=Tests/DiTTests/Fixtures/tiny   # before the checkpoint ships
MODEL="$(pwd)/$MODEL"
TERM_INSIDE=screen-256color
infocmp tmux-256color >/dev/null 2>&1 && TERM_INSIDE=tmux-256color
RUN=0
TMUX_CMD=(tmux -L "dit-smoke-$$-$RUN" -f /dev/null)
FAILED=0
SOCKETS="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)"
cleanup() {
  "${TMUX_CMD[@]}" kill-server >/dev/null 2>&1 || true
  rm -f "$SOCKETS/dit-smoke-$$-$RUN"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "---- last screen ----"
  "${TMUX_CMD[@]}" capture-pane -p -t smoke 2>/dev/null || true
  echo "---------------------"
  FAILED=1
}

# wait_for TEXT [SECONDS]: poll the screen until TEXT appears.
wait_for() {
  local text="$1" deadline=$((SECONDS + ${2:-20}))
  while ((SECONDS < deadline)); do
    if "${TMUX_CMD[@]}" capture-pane -p -t smoke | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for '$text'"
  return 1
}

pane() { "${TMUX_CMD[@]}" display-message -p -t smoke "$1"; }

# wait_tabs WIDTH: the tab bar has been laid out again for WIDTH columns (help hint at the edge).
wait_tabs() {
  local line deadline=$((SECONDS + 10))
  while ((SECONDS < deadline)); do
    line="$("${TMUX_CMD[@]}" capture-pane -p -t smoke | head -1 | sed 's/ *$//')"
    [[ "$line" == *"1 Den"*"5 Cal"*"7 C"*"? help"* && ${#line} -eq $(($1 - 1)) ]] && return 0
    sleep 0.1
  done
  fail "tab bar not re-laid out at $1 columns: '$line'"
  return 1
}

# start [VAR=value…]: a fresh session whose shell runs the explorer, then prints its exit status
# and stays alive: tmux reports cursor and mouse state only for a live pane.
start() {
  cleanup
  RUN=$((RUN + 1))   # a fresh server each time: no race with the one shutting down
  TMUX_CMD=(tmux -L "dit-smoke-$$-$RUN" -f /dev/null)
  "${TMUX_CMD[@]}" start-server \; set -g default-terminal "$TERM_INSIDE" \; set -g remain-on-exit on \; \
    new-session -d -s smoke -x 100 -y 35 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 COLORTERM=truecolor $* '$BIN' explore --model '$MODEL' --seed 1 --steps 25 ${EXTRA:-}; echo \"[explorer exit status \$?]\"; exec sleep 600"
  wait_for "step k = 0 of 25" 30
}

explorer_pid() { pgrep -P "$(pane '#{pane_pid}')" -x dit; }

# restored STATUS: the explorer exited with STATUS, and the terminal it leaves is back to normal:
# the normal screen, the cursor shown, mouse reporting off, the explorer's screen gone.
restored() {
  wait_for "[explorer exit status $1]" 15 || return 1
  [[ "$(pane '#{alternate_on}')" == 0 ]] || fail "still on the alternate screen"
  [[ "$(pane '#{cursor_flag}')" == 1 ]] || fail "cursor left hidden"
  [[ "$(pane '#{mouse_any_flag}')" == 0 ]] || fail "mouse reporting left on"
  if "${TMUX_CMD[@]}" capture-pane -p -t smoke | grep -qF "DiT explorer"; then fail "the explorer's screen is still shown"; fi
}

echo "tmux $(tmux -V | cut -d' ' -f2), TERM=$TERM_INSIDE, model $MODEL, binary $BIN"

# 1. A missing model fails with a message before the screen is taken.
if out="$("$BIN" explore --model /nonexistent/model 2>&1)"; then fail "a missing model did not fail"; fi
grep -q "dit: error: /nonexistent/model" <<<"$out" || fail "unclear message for a missing model: $out"

# 2. Open, step, panes, resize, help, quit; COLORTERM=truecolor must reach tmux as RGB.
start
"${TMUX_CMD[@]}" capture-pane -p -e -t smoke | grep -q '38;2;' || fail "no 24-bit colour with COLORTERM=truecolor"
"${TMUX_CMD[@]}" send-keys -t smoke Right Right Right
wait_for "step k = 3 of 25"
"${TMUX_CMD[@]}" send-keys -t smoke 2;       wait_for "Patchify"
"${TMUX_CMD[@]}" send-keys -t smoke 3;       wait_for "where token"
"${TMUX_CMD[@]}" send-keys -t smoke 4;       wait_for "adaLN-Zero at step 3"
"${TMUX_CMD[@]}" send-keys -t smoke c;       wait_for "branched at step 3"
"${TMUX_CMD[@]}" send-keys -t smoke 5;       wait_for "Cost calculator"
"${TMUX_CMD[@]}" send-keys -t smoke Down;    wait_for "▶ patch size p"
# At 100 columns x_t, ε̂, x̂0 fill the width at 1×: v and σ are the next page (> <).
"${TMUX_CMD[@]}" send-keys -t smoke 1;       wait_for "< 1–3 of 5 >"
"${TMUX_CMD[@]}" send-keys -t smoke '>';     wait_for "σ  learned std"
"${TMUX_CMD[@]}" send-keys -t smoke '<';     wait_for "x_t  noisy input"
if [[ -f assets/data/fashion-test-10pc/images.npy && "$MODEL" != *Fixtures/tiny ]]; then
  "${TMUX_CMD[@]}" send-keys -t smoke 6;     wait_for "x_0 real"
  "${TMUX_CMD[@]}" send-keys -t smoke Right; wait_for "t = 510"
  wait_for "loss ‖ε̂ − ε‖²/d" 60
  "${TMUX_CMD[@]}" send-keys -t smoke r;     wait_for "SDEdit from step k = 12 (t = 500)"
fi
"${TMUX_CMD[@]}" send-keys -t smoke 1 End;   wait_for "25/25 computed" 60
wait_for "judge on x̂0" 5                                     # the class strip under the timeline
"${TMUX_CMD[@]}" send-keys -t smoke 7;       wait_for "same x_T, class" 10   # Compare: the shipped models side by side
wait_for "dit-s2-fashion" 5; wait_for "k=0" 60
"${TMUX_CMD[@]}" send-keys -t smoke 1
"${TMUX_CMD[@]}" send-keys -t smoke m m;     wait_for "DPM++2M · 25 steps"
"${TMUX_CMD[@]}" send-keys -t smoke End G;   wait_for "25/25 computed" 120; wait_for "RMS of s·(ε_cond"
"${TMUX_CMD[@]}" send-keys -t smoke G;       wait_for "x_t  noisy input"
"${TMUX_CMD[@]}" resize-window -t smoke -x 80 -y 30;   wait_tabs 80
"${TMUX_CMD[@]}" resize-window -t smoke -x 120 -y 40;  wait_tabs 120
"${TMUX_CMD[@]}" send-keys -t smoke '?';     wait_for "Trajectory" 5
"${TMUX_CMD[@]}" send-keys -t smoke Escape
# Esc, Alt-x and unknown sequences never quit; \e[1~ / \e[4~ (tmux's Home / End) are Home / End.
sleep 0.3; "${TMUX_CMD[@]}" send-keys -t smoke Escape; sleep 0.3
"${TMUX_CMD[@]}" send-keys -t smoke M-x; "${TMUX_CMD[@]}" send-keys -t smoke -l $'\e[15;5~'
"${TMUX_CMD[@]}" send-keys -t smoke -l $'\e[1~'; wait_for "step k = 0 of 25" 5
"${TMUX_CMD[@]}" send-keys -t smoke -l $'\e[4~'; wait_for "step k = 24 of 25" 5
[[ -n "$(explorer_pid)" ]] || fail "Esc, Alt-x or an unknown escape sequence quit the explorer"
"${TMUX_CMD[@]}" send-keys -t smoke q
restored 0 && echo "ok: open, step, panes, branch, samplers and the guidance view, resize, help, Esc and escape sequences, quit (status 0, terminal restored)"

# 3. Ctrl-C -> 130 (and NO_COLOR -> the ASCII ramp).
start NO_COLOR=1
wait_for "ASCII" 5
"${TMUX_CMD[@]}" send-keys -t smoke C-c
restored 130 && echo "ok: NO_COLOR gives ASCII; Ctrl-C exits 130, terminal restored"

# 4. SIGTERM -> 143.
start
pid="$(explorer_pid)"; kill -TERM "$pid" || fail "cannot signal the explorer (pid '$pid')"
restored 143 && echo "ok: SIGTERM exits 143, terminal restored"

# 5. A fatal signal (as a crash would raise): the handler restores the terminal, then re-raises.
start
pid="$(explorer_pid)"; kill -SEGV "$pid" || fail "cannot signal the explorer (pid '$pid')"
restored 139 && echo "ok: SIGSEGV (a crash) still restores the terminal, then dies of the signal"

# 6. Exports and a recorded session: w writes a PNG of the pane, the recording replays headless
#    to the same final image, and the asciicast starts with its v2 header.
OUTDIR="$(mktemp -d)"
EXTRA="--export-dir '$OUTDIR' --record '$OUTDIR/session.jsonl' --asciicast '$OUTDIR/session.cast'"
start
"${TMUX_CMD[@]}" send-keys -t smoke Right Right; wait_for "step k = 2 of 25"
"${TMUX_CMD[@]}" send-keys -t smoke w;           wait_for "wrote "
"${TMUX_CMD[@]}" send-keys -t smoke c End;       wait_for "25/25 computed" 60
"${TMUX_CMD[@]}" send-keys -t smoke q
restored 0
EXTRA=""
file "$OUTDIR/dit-denoising-step2.png" | grep -q "PNG image data" || fail "no PNG export: $(ls "$OUTDIR")"
head -1 "$OUTDIR/session.cast" | grep -q '"version":2' || fail "asciicast header: $(head -c 200 "$OUTDIR/session.cast")"
if out="$("$BIN" replay "$OUTDIR/session.jsonl" --headless 2>&1)" && [[ "$out" == OK* ]]; then
  echo "ok: w exports a PNG; the recorded session replays to the same image; asciicast written"
else
  fail "replay of the recorded session: $out"
fi
rm -rf "$OUTDIR"

cleanup
if ((FAILED)); then echo "tmux smoke test FAILED"; exit 1; fi
echo "tmux smoke test passed"
