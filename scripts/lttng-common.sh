# lttng-common.sh - sourced by scripts/trace-lesson and tests/lttng-daemon:
# finding, and stopping, a session daemon one of our scripts started.
#
# A daemon is stopped by the script that started it - unless another
# recording session still uses it.  Then the script hands it over: it writes
# the daemon's pid to $mp_handover, and the next of our scripts to finish
# with no session left stops it.

mp_handover="${TMPDIR:-/tmp}/mp-sessiond-$(id -u).pid"

# Where the session daemon keeps its pid file.
mp_rundir() {
  if [[ $(id -u) -eq 0 ]]; then echo /var/run/lttng; else echo "${LTTNG_HOME:-$HOME}/.lttng"; fi
}

# alive PID: the process exists and is not a zombie.  (`kill -0` succeeds
# on a zombie, and a stopped daemon stays one until its adopter collects it.)
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

# release_daemon PID: stops daemon PID (started by the caller; may be empty),
# or one handed over earlier, if no recording session uses it any more.
release_daemon() {
  local pid=$1 running
  running=$(cat "$(mp_rundir)/lttng-sessiond.pid" 2>/dev/null)
  if [[ -z "$pid" && -n "$running" && -f "$mp_handover" && $(cat "$mp_handover") == "$running" ]]; then
    pid=$running
  fi
  [[ -n "$pid" ]] || return 0
  if lttng list 2>/dev/null | grep -q '^ *[0-9][0-9]*) '; then
    echo "$pid" >"$mp_handover"
    echo "$(basename "$0"): leaving session daemon $pid running: another recording uses it" \
         "(the last of our scripts to finish stops it)" >&2
    return 0
  fi
  rm -f "$mp_handover"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.05; done
  echo "$(basename "$0"): session daemon $pid did not stop in 5 s" >&2
  return 1
}
