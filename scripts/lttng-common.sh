# lttng-common.sh - sourced by scripts/trace-lesson and tests/lttng-daemon:
# starting, finding, and stopping a session daemon one of our scripts started.
#
# The tests' daemon is stopped by the fixture that started it - unless
# another recording session still uses it.  Then the fixture hands it over:
# it writes the daemon's pid to $mp_handover, and the next fixture to finish
# with no session left stops it.  scripts/trace-lesson leaves the daemon it
# starts running for the next recording (its pid in $mp_left_running).

mp_handover="${TMPDIR:-/tmp}/mp-sessiond-$(id -u).pid"
mp_left_running="${TMPDIR:-/tmp}/mp-sessiond-$(id -u).left"

# Where the session daemon keeps its pid file.
mp_rundir() {
  if [[ $(id -u) -eq 0 ]]; then echo /var/run/lttng; else echo "${LTTNG_HOME:-$HOME}/.lttng"; fi
}

# The running session daemon's pid, or nothing.
mp_daemon_pid() {
  cat "$(mp_rundir)/lttng-sessiond.pid" 2>/dev/null
}

# Starts a session daemon (in a session of its own, so a Ctrl-C while it
# starts cannot kill it half-way) and prints its pid; 1 if it would not.
mp_start_daemon() {
  setsid -w lttng-sessiond --daemonize >/dev/null 2>&1 || return 1
  mp_daemon_pid
}

# Starts a session daemon if none runs and leaves it running for the next
# recording (its pid in $mp_left_running), saying so; 1 if none would start.
mp_ensure_daemon() {
  local pid
  lttng list >/dev/null 2>&1 && return 0
  pid=$(mp_start_daemon) || return 1
  echo "$pid" >"$mp_left_running"
  echo "$(basename "$0"): started LTTng's session daemon (pid $pid); it stays running" \
       "for the next recording (stop it with: kill $pid)" >&2
}

# Whether the session daemon has lost its consumer: lttng-consumerd died (a
# crash under load was seen), and every recording fails until the session
# daemon is restarted.  Seen as lttng's words in FILE, or as the daemon's
# consumer child a zombie (lttng may die of SIGPIPE before saying a word).
mp_consumer_lost() {
  local pid child
  grep -q "No UST consumer detected" "$1" 2>/dev/null && return 0
  pid=$(mp_daemon_pid)
  [[ -n "$pid" ]] || return 1
  for child in $(pgrep -P "$pid" -x lttng-consumerd); do
    alive "$child" || return 0
  done
  return 1
}

# alive PID: the process exists and is not a zombie.  (`kill -0` succeeds
# on a zombie, and a stopped daemon stays one until its adopter collects it.)
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z && ${stat:0:1} != X ]]
}

# stop_daemon PID: stops the daemon and waits (5 s at most) until it has gone.
stop_daemon() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do alive "$1" || return 0; sleep 0.05; done
  echo "$(basename "$0"): session daemon $1 did not stop in 5 s" >&2
  return 1
}

# release_daemon PID: stops daemon PID (started by the caller; may be empty),
# or one handed over earlier, if no recording session uses it any more.
release_daemon() {
  local pid=$1 running
  running=$(mp_daemon_pid)
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
  stop_daemon "$pid"
}
