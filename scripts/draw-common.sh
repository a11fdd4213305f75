# draw-common.sh - sourced by scripts/lesson and scripts/trace-run: a
# recorded trace drawn, exported and counted, with one line said for each.
#
# draw_trace TRACE_DIR OUT_DIR TITLE writes OUT_DIR/timeline.png, .svg,
# .html, .gp, events.tsv and trace.json, and says where they are (paths as the
# student typed them: relative to the top of the project) and how many
# events LTTng lost.  Returns 1 if no timeline could be drawn.  The first
# of the three tools reads the trace into TRACE_DIR.sqlite, the others
# read that (scripts/mptrace/read/cache.py).
#
# use_converter BUILD_DIR: the tools read traces with that build's
# converter (trace/sql/), unless MP_TRACE_SQL names another.

draw_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
draw_top=$(cd "$draw_here/.." && pwd)

# shown PATH: PATH relative to the top of the project if it is inside it.
shown() {
  local p
  p=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  echo "${p#"$draw_top"/}"
}

use_converter() {
  export MP_TRACE_SQL=${MP_TRACE_SQL:-$1/trace/mp-trace-sql}
}

draw_trace() {
  local trace=$1 out=$2 title=$3 drawn=0 lost words drawing exporting status
  words=$(mktemp -d) || return 1
  # The three at once: the first converts the trace, the others wait for
  # it, then draw, export and count side by side; their words are said
  # afterwards, in this order.
  "$draw_here/timeline" --title "$title" "$trace" "$out" >"$words/timeline" 2>"$words/timeline.err" &
  drawing=$!
  "$draw_here/trace-json" "$trace" "$out/trace.json" >"$words/json" 2>"$words/json.err" &
  exporting=$!
  lost=$("$draw_here/trace-check" "$trace" lost-events 2>"$words/lost")
  status=$?
  wait "$drawing" || drawn=1
  wait "$exporting"
  local exported=$?
  cat "$words/timeline"; cat "$words/timeline.err" >&2
  if [[ $drawn -eq 0 ]]; then
    echo "Timeline: $(shown "$out/timeline.png")"
    echo "          $(shown "$out/timeline.svg")"
    echo "Hover:    $(shown "$out/timeline.html") (open it in a browser: each event's details)"
    echo "Events:   $(shown "$out/events.tsv")"
  else
    echo "No timeline was made: scripts/timeline failed on $(shown "$trace")."
  fi
  cat "$words/json"; cat "$words/json.err" >&2
  if [[ $exported -eq 0 ]]; then
    echo "Perfetto: open https://ui.perfetto.dev and drop $(shown "$out/trace.json") on it"
  fi
  cat "$words/lost" >&2
  # Events LTTng dropped (its buffers were full) are missing from every picture.
  case $status in
    0) echo "LTTng lost 0 events" ;;
    1) echo "Warning: ${lost#no: }" ;;
  esac
  rm -rf "$words"
  return $drawn
}
