# Sourced by .ci/xterm-sixel.sh and .ci/kitty-graphics.sh from the repository root: the setup,
# the scripts their terminal runs, and the waits.

# setup DIT TOOL…: BIN (DIT, else swift build's), PY, PYPATH, a fresh WORK; exits 0 with SKIP
# when a tool is missing.
setup() {
  BIN="${1:-$(swift build --show-bin-path)/dit}"
  BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 0; }
  done
  PY=/usr/bin/python3
  PYPATH="$(pwd)/.ci"
  WORK="$(mktemp -d)"
}

wait_for() { for _ in $(seq "$2"); do [[ -e "$1" ]] && return 0; sleep 0.1; done; echo "FAIL: timed out waiting for $1"; exit 1; }

# $WORK/view.sh: `dit --detect-graphics` through a pty (the queries still reach the terminal),
# asked again up to five times until it says $1 (a terminal still starting may not answer within
# 300 ms), then `dit view` of the test card; and the card itself.
write_view_script() {
  $PY -c "import sys; sys.path.insert(0, '$PYPATH'); import find_image; find_image.write_card('$WORK/card.npy')"
  cat > "$WORK/view.sh" <<SCRIPT
#!/bin/bash
for _ in 1 2 3 4 5; do
  script -qfc "$BIN --detect-graphics" "$WORK/detect.log"
  grep -q "graphics: $1" "$WORK/detect.log" && break
  sleep 0.5
done
clear; $BIN view "$WORK/card.npy"; touch "$WORK/viewed"; sleep 30
SCRIPT
  chmod +x "$WORK/view.sh"
}

# After view.sh ran and its screen is in $WORK/view.png: detection said $1 and the card is there.
check_view() {
  grep -q "graphics: $1" "$WORK/detect.log" || { echo "FAIL: detection said:"; cat "$WORK/detect.log"; exit 1; }
  echo "ok: detected as $1 ($(grep -o 'cell size.*' "$WORK/detect.log" | head -1 | tr -d '\r'))"
  $PY "$PYPATH/find_image.py" card "$WORK/view.png" "$1" || exit 1
}

# $WORK/explore.sh: the explorer on the shipped DiT-S/8 (3 DDIM steps), exporting into $WORK and
# recording (the recording's header says curses has the keys); extra environment in $1.
# Returns 1 when the model is not shipped.
write_explore_script() {
  MODEL="$(pwd)/assets/models/dit-s8-fashion"
  [[ -f "$MODEL/config.json" ]] || return 1
  cat > "$WORK/explore.sh" <<SCRIPT
#!/bin/bash
cd "$WORK" && $1 LANG=C.UTF-8 $BIN --model "$MODEL" --steps 3 --export-dir "$WORK" --record "$WORK/session.jsonl" 2>"$WORK/explore.err"
touch "$WORK/quit"
SCRIPT
  chmod +x "$WORK/explore.sh"
}
