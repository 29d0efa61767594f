#!/usr/bin/env bash
# Real pixels in a real kitty (Debian's kitty 0.26) under Xvfb, drawn with Mesa's software GL.
# 1. `dit --detect-graphics` inside it must choose kitty from the terminal's own answers.
# 2. `dit view` of a known .npy: the screenshot must hold the image at a whole-number zoom.
# 3. The explorer on the shipped DiT-S/8: run to the end (End), export (o); the screenshot must
#    hold the exported x̂0 of the last step (at the last step x_t is the same image: the first hit
#    is x_t's panel, at column 0) in the top row of panels, on a cell (a whole number of cells
#    from the grid's corner, which dit view's card gives) and at the largest whole-number zoom
#    its half-block panel holds: the image is centred in the panel by whole cells, so at column 0
#    it leaves no column free, where a smaller zoom would. (The zoom is not a multiple of the cell
#    width in general: kitty's default window of 80 columns gives panels of 24, and 24 × 8 px
#    hold the 32 px image 6 times.) Then pane 4 (no images): the image must be gone (kitty
#    deletes it by id); back on pane 1 it is placed again.
# Needs: xvfb kitty x11-apps (xwd) xdotool imagemagick (convert) python3-pil.
# Usage: .ci/kitty-graphics.sh [path/to/dit]   (DIT_SHOTS=DIR keeps the screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/screens.sh
setup "${1:-}" Xvfb kitty xwd xdotool convert
DISPLAY_NUM=$(( 190 + $$ % 100 ))
export DISPLAY=":$DISPLAY_NUM" LIBGL_ALWAYS_SOFTWARE=1
Xvfb "$DISPLAY" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
KITTY=""
cleanup() {
  if [[ -n "$KITTY" ]]; then kill "$KITTY" 2>/dev/null || true; fi
  kill "$XVFB" 2>/dev/null || true
  if [[ -n "${DIT_SHOTS:-}" ]]; then mkdir -p "$DIT_SHOTS" && cp "$WORK"/*.png "$DIT_SHOTS"/ 2>/dev/null || true; fi   # to look at
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X$DISPLAY_NUM ]] && break; sleep 0.1; done

# kitty running $1 (a script); without a window manager its window opens at kitty's default
# 640 × 400 px (80 × 23 cells of 8 × 17, the grid centred: 4 px down), not filling the screen. Sets KITTY
# and WID, and gives the window the keyboard (xdotool's keys then go there through XTEST).
open_kitty() {
  kitty --config NONE -o font_size=10 -o cursor_blink_interval=0 -e "$1" >"$WORK/kitty.log" 2>&1 &
  KITTY=$!
  WID=$(xdotool search --sync --pid "$KITTY" | head -1)
  xdotool windowfocus --sync "$WID" 2>/dev/null || true
}
close_kitty() { kill "$KITTY" 2>/dev/null || true; wait "$KITTY" 2>/dev/null || true; KITTY=""; }
shot() { xwd -silent -root | convert xwd:- "$1"; }

write_view_script kitty
open_kitty "$WORK/view.sh"
wait_for "$WORK/viewed" 150
sleep 1
shot "$WORK/view.png"
close_kitty
VIEWED="$(check_view kitty)" || { echo "$VIEWED"; exit 1; }
echo "$VIEWED"
CELL="$(grep -o 'cell size: [0-9]*×[0-9]*' "$WORK/detect.log" | head -1 | grep -o '[0-9]*×[0-9]*')"
GRID="$(grep -o 'at ([0-9]*, [0-9]*) px' <<<"$VIEWED" | tail -1 | grep -o '[0-9]*' | tr '\n' ' ')"   # dit view drew at the grid's corner

write_explore_script "" || { echo "SKIP: explorer part (no shipped model)"; exit 0; }
open_kitty "$WORK/explore.sh"
for _ in $(seq 300); do [[ -s "$WORK/session.jsonl" ]] && break; sleep 0.1; done   # the header: curses has the keys
sleep 1
xdotool key End
sleep 10   # three steps of DiT-S/8 (≈ 1 s each in a debug build on a loaded machine)
xdotool type o
wait_for "$WORK/dit-trajectory-seed0-x0.npy" 100
sleep 1
shot "$WORK/explore.png"
xdotool type 4; sleep 2; shot "$WORK/pane4.png"
xdotool type 1; sleep 2; shot "$WORK/pane1.png"
xdotool type q
wait_for "$WORK/quit" 50
$PY - "$WORK" "$PYPATH" "${CELL%%×*}" "${CELL##*×}" $GRID <<'CHECK' || exit 1
import sys; sys.path.insert(0, sys.argv[2]); from find_image import find, at, last_x0
work, cw, ch, gx, gy = sys.argv[1], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
img = last_x0(work + "/dit-trajectory-seed0-x0.npy")
hit = find(work + "/explore.png", img, 32, 32, tol=3, zooms=range(8 * cw, 0, -1))
if not hit: print("FAIL: the explorer's x̂0 is not in the screenshot at any whole-number zoom"); sys.exit(1)
k, x0, y0 = hit
if not (y0 < gy + 5 * ch and (x0 - gx) % cw == 0 and (y0 - gy) % ch == 0):
    print("FAIL: x̂0 at (%d, %d) at %d×: not on a cell of the top row of panels (grid at (%d, %d), cells %d×%d)" % (x0, y0, k, gx, gy, cw, ch)); sys.exit(1)
if x0 != gx or k < 2:
    print("FAIL: x_t / x̂0 at (%d, %d) at %d×: a column of its panel left free (a larger zoom would fit)" % (x0, y0, k)); sys.exit(1)
print("ok: the explorer drew the sample (x̂0 of the last step) at %d×, on the cell grid at (%d, %d) px (cells %d×%d px)" % (k, x0, y0, cw, ch))
if at(work + "/pane4.png", img, 32, 32, k, x0, y0, tol=3): print("FAIL: the image is still there on pane 4"); sys.exit(1)
print("ok: pane 4 (no images): kitty deleted it")
if not at(work + "/pane1.png", img, 32, 32, k, x0, y0, tol=3): print("FAIL: back on pane 1 the image is not placed again"); sys.exit(1)
print("ok: back on pane 1 it is placed again at the same place")
CHECK
