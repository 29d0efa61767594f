# Shared by the tmux checks (.ci/tmux-lessons.sh, .ci/tmux-latent.sh), sourced after NAME (the
# server and session name) is set: a private tmux server per run, the screen polled for markers
# with deadlines (a capture can catch the terminal halfway through a redraw, so never one look),
# and the check that the program left the terminal restored.
TERM_INSIDE=screen-256color
infocmp tmux-256color >/dev/null 2>&1 && TERM_INSIDE=tmux-256color
RUN=0
TM=(tmux -L "dit-$NAME-$$-$RUN" -f /dev/null)
FAILED=0
trap '"${TM[@]}" kill-server >/dev/null 2>&1 || true' EXIT

screen() { "${TM[@]}" capture-pane -p -t "$NAME"; }

fail() {
  echo "FAIL: $*"
  echo "---- last screen ----"; screen 2>/dev/null || true; echo "---------------------"
  FAILED=1
}

# see TEXT [SECONDS]: poll the screen until TEXT appears.
see() {
  local deadline=$((SECONDS + ${2:-15}))
  while ((SECONDS < deadline)); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  fail "timed out waiting for '$1'"
  return 1
}

# gone TEXT [SECONDS]: poll the screen until TEXT is no longer shown.
gone() {
  local deadline=$((SECONDS + ${2:-5}))
  while ((SECONDS < deadline)); do
    screen | grep -qF -- "$1" || return 0
    sleep 0.05
  done
  fail "'$1' still shown"
  return 1
}

keys() { "${TM[@]}" send-keys -t "$NAME" "$@"; }

# launch W H COMMAND: a fresh W×H session running COMMAND under UTF-8 and truecolour, then
# printing "[NAME exit status N]" and staying alive (tmux reports the cursor and mouse state of a
# live pane only). Each run on a new server socket: reusing one races with the old server's exit.
launch() {
  "${TM[@]}" kill-server >/dev/null 2>&1 || true
  RUN=$((RUN + 1))
  TM=(tmux -L "dit-$NAME-$$-$RUN" -f /dev/null)
  "${TM[@]}" start-server \; set -g default-terminal "$TERM_INSIDE" \; set -g remain-on-exit on \; \
    new-session -d -s "$NAME" -x "$1" -y "$2" \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 COLORTERM=truecolor $3; echo \"[$NAME exit status \$?]\"; exec sleep 600"
}

# restored MARKER: the program exited 0 and left the normal screen, the cursor shown, mouse
# reporting off, and its screen (MARKER) gone.
restored() {
  see "[$NAME exit status 0]" 15 || return 1
  local pane=(display-message -p -t "$NAME")
  [[ "$("${TM[@]}" "${pane[@]}" '#{alternate_on}')" == 0 ]] || fail "still on the alternate screen"
  [[ "$("${TM[@]}" "${pane[@]}" '#{cursor_flag}')" == 1 ]] || fail "cursor left hidden"
  [[ "$("${TM[@]}" "${pane[@]}" '#{mouse_any_flag}')" == 0 ]] || fail "mouse reporting left on"
  if screen | grep -qF -- "$1"; then fail "the program's screen is still shown"; fi
}
