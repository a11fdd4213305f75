#!/usr/bin/env bash
# runner_test.sh - mprun ends any tree: a fork bomb is held by --max-procs
# and ended (with a cgroup of each kind, without one, as nobody under
# `ulimit -u 60`), what mprun kills is named on every path, a program
# that keeps within the cap is untouched, and --preload's shared memory is
# removed however the run ends.
#
# usage: tests/runner/runner_test.sh CASE BUILD_DIR
#   CASE: cap | cap-v1 | cap-v2 | cap-no-cgroup | cap-nobody | names | untouched
#         | preload
#   MPRUN=PATH runs another mprun (an older one, to see the tests fail).
# Exit status: 0 passed, 1 failed, 77 skipped (the case needs root, a pid
# namespace or a kind of cgroup this machine does not have).
#
# Each case runs in a pid namespace of its own (unshare --pid --kill-child,
# so root): when the case ends, however it ends, the kernel kills whatever
# is still in the namespace, and a broken mprun cannot leave a fork bomb
# running.  Inside it, any process but the case's own shell that is still
# there after mprun exited was left behind by mprun.
set -uo pipefail

# A fork bomb under --max-procs 50 is ended within this many ms of its
# start (or of its timeout): 1 s with a cgroup, 4 s stopped by SIGSTOP
# sweeps (measured on 2 busy shared cores, 11 runs each: medians 22 and
# 44 ms, the slowest 31 ms and 1.5 s).
BOUND_MS=1000

if [[ ${1:-} != --inner ]]; then
	case=${1:?usage: tests/runner/runner_test.sh CASE BUILD_DIR}
	build=$(cd "${2:?usage: tests/runner/runner_test.sh CASE BUILD_DIR}" && pwd)
	[[ $(id -u) -eq 0 ]] || { echo "SKIP: $case needs root (a pid namespace, user nobody)"; exit 77; }
	unshare --pid --fork --kill-child --mount-proc true 2>/dev/null ||
		{ echo "SKIP: $case: no pid namespace can be made here"; exit 77; }
	tmp=$(mktemp -d)
	chmod 755 "$tmp"
	# mprun removes its cgroups itself; these are removed if it did not.
	trap 'sed -n "s/^mprun: cgroup v[12] \(\/[^:]*\):.*/\1/p" "$tmp"/err* 2>/dev/null |
		while read -r d; do [[ -d $d ]] && rmdir "$d" 2>/dev/null; done; rm -rf "$tmp"' EXIT
	unshare --pid --fork --kill-child --mount-proc \
		"$0" --inner "$case" "$build" "$tmp" "${MPRUN:-$build/mprun}"
	exit
fi

# ---- inside the namespace: this shell is pid 1 ----
case=$2 build=$3 tmp=$4 mprun=$5
bomb=$build/tests/runner/forkbomb
export MP_TRACE=0	# no LTTng: the provider is not what is tested
failed=0
fail() { echo "FAIL: $case: $*"; failed=1; }
skip() { echo "SKIP: $case: $*"; exit 77; }

# run NAME COMMAND...: runs COMMAND, its stdout and stderr into
# $tmp/out.NAME and $tmp/err.NAME; sets status and ms (its wall time).
run() {
	local name=$1 t0 t1
	shift
	t0=${EPOCHREALTIME/./}
	"$@" >"$tmp/out.$name" 2>"$tmp/err.$name"
	status=$?
	t1=${EPOCHREALTIME/./}
	ms=$(((t1 - t0) / 1000))
	echo "$case/$name: exit $status in $ms ms"
	sed 's/^/    /' "$tmp/err.$name" | head -n 20
}

# Sets `left` to the number of processes in this namespace but this shell
# (builtins only: a subshell would count itself).
count_left() {
	local d
	left=0
	for d in /proc/[0-9]*; do
		[[ ${d#/proc/} == 1 || ! -e $d/stat ]] || left=$((left + 1))
	done
}

cgroups_of() { sed -n 's/^mprun: cgroup v[12] \(\/[^:]*\):.*/\1/p' "$tmp/err.$1"; }

# after_bomb NAME WANT_STATUS: what every fork-bomb run must show.
after_bomb() {
	local name=$1 want=$2 d
	count_left
	[[ $status -eq $want ]] || fail "$name: exit $status, wanted $want"
	[[ $left -eq 0 ]] || { fail "$name: $left processes left behind"; ps -e -o pid,ppid,stat,comm | head; }
	((ms <= BOUND_MS)) || fail "$name: ended after $ms ms, wanted at most $BOUND_MS"
	grep -qE "^mprun:   killed pid [0-9]+ \(forkbomb\)" "$tmp/err.$name" ||
		fail "$name: no killed process named"
	for d in $(cgroups_of "$name"); do
		[[ ! -e $d ]] || fail "$name: cgroup $d is still there"
	done
}

# cap_case [MPRUN OPTION...]: the bomb under --max-procs 50 --timeout 3.
cap_case() {
	run bomb "$mprun" --verbose "$@" --max-procs 50 --timeout 3 "$bomb"
	grep -q "unrecognized option\|^usage" "$tmp/err.bomb" && { fail "mprun takes no such options"; return; }
	grep -qE "^mprun: process cap 50 reached: ended the tree \([0-9]+ process(es)?\)" \
		"$tmp/err.bomb" || fail "the cap is not reported"
	after_bomb bomb 125
}

# signal_case NAME SIGNAL WANT_STATUS: mprun gets SIGNAL once its tree (sh
# and two sleeps) is up; it must leave no process and no cgroup behind.
signal_case() {
	local name=$1 sig=$2 want=$3 i d
	"$mprun" --verbose sh -c 'sleep 30 & sleep 31 & wait' >"$tmp/out.$name" 2>"$tmp/err.$name" &
	local runner=$!
	for ((i = 0; i < 500; i++)); do
		[[ $(grep -l '^sleep$' /proc/[0-9]*/comm 2>/dev/null | wc -l) -eq 2 ]] && break
		sleep 0.01
	done
	kill -"$sig" $runner
	wait $runner
	status=$?
	echo "$case/$name: exit $status"
	sed 's/^/    /' "$tmp/err.$name"
	[[ $status -eq $want ]] || fail "$name: exit $status, wanted $want"
	count_left
	[[ $left -eq 0 ]] || fail "$name: $left processes left behind"
	for d in $(cgroups_of "$name"); do
		[[ ! -e $d ]] || fail "$name: cgroup $d is still there"
	done
}

case $case in
cap)	# root, the cgroups mprun finds for itself
	cap_case
	grep -q "^mprun: cgroup v[12] .*pids.max 50" "$tmp/err.bomb" ||
		{ [[ $failed -eq 1 ]] || skip "mprun made no cgroup with pids.max here"; }
	;;
cap-v1 | cap-v2)
	v=${case#cap-}
	cap_case --cgroup "$v"
	grep -q "^mprun: cgroup $v " "$tmp/err.bomb" ||
		{ [[ $failed -eq 1 ]] || skip "no cgroup $v hierarchy mprun can use here"; }
	;;
cap-no-cgroup)	# the SIGSTOP sweep, the cap counted by mprun
	BOUND_MS=4000
	cap_case --no-cgroup
	grep -q "^mprun: no cgroup" "$tmp/err.bomb" || fail "a cgroup was used"
	;;
cap-nobody)	# the issue's case: nobody, ulimit -u 60; the build dir may be unreadable
	BOUND_MS=4000
	install -m 755 "$mprun" "$tmp/mprun"
	install -m 755 "$bomb" "$tmp/forkbomb"
	bomb=$tmp/forkbomb
	as_nobody=(prlimit --nproc=60 setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
	mprun=$tmp/mprun
	run bomb "${as_nobody[@]}" "$mprun" --verbose --max-procs 50 --timeout 3 "$bomb" --limit 0
	grep -qE "^mprun: process cap 50 reached: ended the tree" "$tmp/err.bomb" ||
		fail "the cap is not reported"
	after_bomb bomb 125
	# Without a cap: the timeout ends it (an old mprun never did).
	# (--limit 0: no safety net in the bomb; the kernel holds it at 60.)
	run timeout timeout --foreground -s KILL 10 "${as_nobody[@]}" "$mprun" --timeout 3 "$bomb" --limit 0
	grep -qE "^mprun: .*forkbomb ran past 3 s: ended the tree" "$tmp/err.timeout" ||
		fail "the timeout is not reported"
	ms=$((ms - 3000))	# the bound counts from the timeout
	after_bomb timeout 124
	;;
names)	# timeout, leftovers, Ctrl-C: each names what it killed
	run timeout "$mprun" --timeout 0.5 sh -c 'sleep 30 & sleep 31 & wait'
	[[ $status -eq 124 ]] || fail "timeout: exit $status, wanted 124"
	grep -qE "^mprun: sh ran past 0.5 s: ended the tree \(3 processes\)" "$tmp/err.timeout" ||
		fail "timeout: the tree is not counted"
	[[ $(grep -cE "^mprun:   killed pid [0-9]+ \((sh|sleep)\)" "$tmp/err.timeout") -eq 3 ]] ||
		fail "timeout: the three processes are not named"

	run many "$mprun" --timeout 0.5 sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 30 & done; wait'
	[[ $(grep -cE "^mprun:   killed pid" "$tmp/err.many") -eq 10 ]] ||
		fail "many: the list is not cut at 10"
	grep -qE "^mprun:   and 3 more$" "$tmp/err.many" || fail "many: no 'and 3 more'"

	run leftover "$mprun" --grace 0.2 sh -c 'sleep 30 & exit 0'
	[[ $status -eq 3 ]] || fail "leftover: exit $status, wanted 3"
	grep -qE "^mprun: left behind by the lesson: ended the tree \(1 process\)" "$tmp/err.leftover" &&
		grep -qE "^mprun:   killed pid [0-9]+ \(sleep\)" "$tmp/err.leftover" ||
		fail "leftover: the sleep is not named"

	# Ctrl-C, and a fatal signal to mprun itself, once the tree is up.
	signal_case int INT 130
	grep -qE "^mprun: Interrupt: ended the tree \(3 processes\)" "$tmp/err.int" ||
		fail "int: the tree is not counted"
	[[ $(grep -cE "^mprun:   killed pid [0-9]+ \((sh|sleep)\)" "$tmp/err.int") -eq 3 ]] ||
		fail "int: the three processes are not named"
	signal_case segv SEGV 139	# nothing named: mprun itself is broken
	;;
untouched)	# well within the cap: the same exit and output as without it
	lesson=$build/lessons/01-fork/01-fork
	# Its lines, pids masked, in order: parent and child print in either.
	mask() { sed 's/[0-9][0-9]*/N/g' "$tmp/out.$1" | sort; }
	run plain "$mprun" "$lesson"
	plain=$status
	run capped "$mprun" --max-procs 20 "$lesson"
	[[ $status -eq $plain && $status -eq 0 ]] || fail "lesson 1: exit $status, wanted $plain"
	[[ "$(mask plain)" == "$(mask capped)" && -s $tmp/out.capped ]] || fail "lesson 1: other output"
	[[ ! -s $tmp/err.capped ]] || fail "lesson 1: mprun said something"
	run seven "$mprun" --max-procs 8 sh -c 'for i in 1 2 3 4 5; do sleep 0.1 & done; wait; echo done; exit 7'
	[[ $status -eq 7 && $(cat "$tmp/out.seven") == done ]] || fail "exit 7: exit $status"
	# Two at once, each pid 1 of a namespace of its own, so with the same
	# pid: two cgroups all the same (where there are any), both removed.
	unshare --pid --fork --kill-child --mount-proc \
		"$mprun" --verbose --max-procs 20 sleep 0.3 >/dev/null 2>"$tmp/err.one" &
	unshare --pid --fork --kill-child --mount-proc \
		"$mprun" --verbose --max-procs 20 sleep 0.3 >/dev/null 2>"$tmp/err.two"
	wait $!
	one=$(cgroups_of one) two=$(cgroups_of two)
	echo "cgroups:" $one "|" $two
	[[ -z $one || $one != "$two" ]] || fail "two runs share a cgroup: $one"
	for d in $one $two; do [[ ! -e $d ]] || fail "cgroup $d is still there"; done
	count_left
	[[ $left -eq 0 ]] || fail "$left processes left behind"
	;;
preload)	# --preload: the program's environment, and nothing left in /dev/shm
	lib=$build/runtime/libmp-preload.so
	[[ -f $lib ]] || skip "no $lib (a build without tracing)"
	# shm_left NAME: the run printed its MP_PRELOAD_SHM first; it must be gone.
	shm_left() {
		local shm
		shm=$(head -n 1 "$tmp/out.$1")
		[[ $shm == /mp-[0-9]*-[0-9]* ]] || { fail "$1: MP_PRELOAD_SHM is '$shm'"; return; }
		[[ ! -e /dev/shm$shm ]] || fail "$1: /dev/shm$shm is still there"
	}
	say='echo "$MP_PRELOAD_SHM"; echo "$LD_PRELOAD"; grep -c libmp-preload /proc/$PPID/maps'
	run normal env LD_PRELOAD=libm.so.6 "$mprun" --preload "$lib" sh -c "$say; exit 4"
	[[ $status -eq 4 ]] || fail "normal: exit $status, wanted 4"
	[[ $(sed -n 2p "$tmp/out.normal") == "$lib:libm.so.6" ]] || fail "normal: LD_PRELOAD is not '$lib:libm.so.6'"
	[[ $(sed -n 3p "$tmp/out.normal") == 0 ]] || fail "normal: mprun itself is preloaded"
	shm_left normal
	run timeout "$mprun" --preload "$lib" --timeout 0.5 sh -c "$say; sleep 30"
	[[ $status -eq 124 ]] || fail "timeout: exit $status, wanted 124"
	shm_left timeout
	run cap "$mprun" --preload "$lib" --max-procs 20 --timeout 5 sh -c "$say; exec $bomb"
	[[ $status -eq 125 ]] || fail "cap: exit $status, wanted 125"
	shm_left cap
	# A fatal signal to mprun itself, once the program has started.
	"$mprun" --preload "$lib" sh -c "$say; sleep 30" >"$tmp/out.fatal" 2>&1 &
	runner=$!
	for ((i = 0; i < 500; i++)); do [[ -s $tmp/out.fatal ]] && break; sleep 0.01; done
	kill -SEGV $runner
	wait $runner 2>/dev/null
	shm_left fatal
	run missing "$mprun" --preload "$tmp/no-such.so" true
	[[ $status -eq 2 ]] && grep -q "^mprun: --preload .*no-such.so: No such file" "$tmp/err.missing" ||
		fail "missing: exit $status"
	run noprogram "$mprun" --preload "$lib" "$tmp/no-such-program"
	[[ $status -eq 2 ]] || fail "noprogram: exit $status, wanted 2"
	[[ -z $(ls /dev/shm | grep "^mp-[0-9]*-[0-9]*$" | while read -r f; do
		[[ $(stat -c %Y "/dev/shm/$f") -ge $(stat -c %Y "$tmp") ]] && echo "$f"; done) ]] ||
		fail "a /dev/shm/mp-* object made during the case is still there"
	count_left
	[[ $left -eq 0 ]] || fail "$left processes left behind"
	;;
*)	echo "runner_test.sh: no case '$case'" >&2
	exit 2 ;;
esac
[[ $failed -eq 0 ]] && echo "PASS: $case"
exit $failed
