#!/usr/bin/env bash
# Real pixels in a real terminal: xterm -ti vt340 (sixel, 256 colour registers) under Xvfb.
# 1. `dit --detect-graphics` inside it must choose sixel from the terminal's own answers.
# 2. `dit view` of a known .npy: the screenshot must hold the image at a whole-number zoom,
#    every pixel within sixel's 1 % colour steps.
# 3. The explorer on the shipped DiT-S/8: run to the end (End), export (o), and the screenshot
#    must hold the exported x̂0 of the last step (the sample) at a whole-number zoom in the top
#    row of panels.
# Needs: xvfb xterm xfonts-base x11-apps (xwd) xdotool imagemagick (convert) python3-pil.
# Usage: .ci/xterm-sixel.sh [path/to/dit]
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/screens.sh
setup "${1:-}" Xvfb xterm xwd xdotool convert
DISPLAY_NUM=$(( 90 + $$ % 100 ))
export DISPLAY=":$DISPLAY_NUM"
Xvfb "$DISPLAY" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
XTERM=""
cleanup() { if [[ -n "$XTERM" ]]; then kill "$XTERM" 2>/dev/null || true; fi; kill "$XVFB" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X$DISPLAY_NUM ]] && break; sleep 0.1; done

# xterm running $1 (a script), 100×35 cells; sets XTERM and waits for its window.
open_xterm() {
  xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -xrm 'XTerm*allowSendEvents: true' -fn fixed -geometry 100x35+0+0 -e "$1" &
  XTERM=$!
  WID=$(xdotool search --sync --onlyvisible --pid "$XTERM" | head -1)
}
shot() { xwd -silent -id "$WID" | convert xwd:- "$1"; }

write_view_script sixel
open_xterm "$WORK/view.sh"
wait_for "$WORK/viewed" 150
sleep 0.5
shot "$WORK/view.png"
kill "$XTERM" 2>/dev/null || true; XTERM=""
check_view sixel

# The explorer: 3 DDIM steps of the shipped DiT-S/8, End, then o exports the trajectory.
write_explore_script TERM=xterm-256color || { echo "SKIP: explorer part (no shipped model)"; exit 0; }
open_xterm "$WORK/explore.sh"
for _ in $(seq 300); do [[ -s "$WORK/session.jsonl" ]] && break; sleep 0.1; done   # the header: curses has the keys
sleep 1
xdotool key --window "$WID" End
sleep 10   # three steps of DiT-S/8 (≈ 1 s each in a debug build on a loaded machine)
xdotool type --window "$WID" o
wait_for "$WORK/dit-trajectory-seed0-x0.npy" 100
sleep 1
shot "$WORK/explore.png"
xdotool type --window "$WID" q
wait_for "$WORK/quit" 50
$PY - "$WORK" "$PYPATH" <<'EOF' || exit 1
import sys; sys.path.insert(0, sys.argv[2]); from find_image import find, last_x0
img = last_x0(sys.argv[1] + "/dit-trajectory-seed0-x0.npy")
hit = find(sys.argv[1] + "/explore.png", img, 32, 32, tol=3)
if not hit: print("FAIL: the explorer's x̂0 is not in the screenshot at any whole-number zoom"); sys.exit(1)
k, x0, y0 = hit
# After End the pane shows k = K: x_t is the sample, which is x̂0 of the last step (DDIM's end).
if not (y0 < 13 * 5 and k >= 2): print("FAIL: x̂0 found at (%d, %d) at %d×, not in the top row of panels" % (x0, y0, k)); sys.exit(1)
print("ok: the explorer drew the sample (x̂0 of the last step) at %d× at (%d, %d) px, every pixel within 3 of the exported values" % hit)
EOF
