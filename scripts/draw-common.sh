# draw-common.sh - sourced by scripts/lesson and scripts/trace-run: a
# recorded trace drawn, exported and counted, with one line said for each.
#
# draw_trace TRACE_DIR OUT_DIR TITLE writes OUT_DIR/timeline.png, .svg,
# .html, .gp, events.tsv and trace.json, and says where they are (paths as the
# student typed them: relative to the top of the project) and how many
# events LTTng lost.  Returns 1 if no timeline could be drawn.

draw_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
draw_top=$(cd "$draw_here/.." && pwd)

# shown PATH: PATH relative to the top of the project if it is inside it.
shown() {
  local p
  p=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  echo "${p#"$draw_top"/}"
}

draw_trace() {
  local trace=$1 out=$2 title=$3 drawn=0 lost
  if "$draw_here/timeline" --title "$title" "$trace" "$out"; then
    echo "Timeline: $(shown "$out/timeline.png")"
    echo "          $(shown "$out/timeline.svg")"
    echo "Hover:    $(shown "$out/timeline.html") (open it in a browser: each event's details)"
    echo "Events:   $(shown "$out/events.tsv")"
  else
    echo "No timeline was made: scripts/timeline failed on $(shown "$trace")."
    drawn=1
  fi
  if "$draw_here/trace-json" "$trace" "$out/trace.json"; then
    echo "Perfetto: open https://ui.perfetto.dev and drop $(shown "$out/trace.json") on it"
  fi
  # Events LTTng dropped (its buffers were full) are missing from every picture.
  lost=$("$draw_here/trace-check" "$trace" lost-events)
  case $? in
    0) echo "LTTng lost 0 events" ;;
    1) echo "Warning: ${lost#no: }" ;;
  esac
  return $drawn
}
