"""Lesson 16 (Popen, communicate, a pipeline, the deadlock): the checks of
its output and its trace."""

from lessonrun import match, section, main_children


LESSON_16_CHILDREN = [
    ("16-lookup", 1), ("16-lookup", 0), ("sleep 30", -15),
    ("sh -c 'trap '' TERM; exec sleep 30'", -9), ("ls -l /tmp/lesson16-", 0),
    ("wc -l", 0), ("head -c 1048576 /dev/zero", -9), ("head -c 1048576 /dev/zero", 0),
]


def output(run):
    lines = run.lines

    assert section(lines, 1) == ["out: Name: localhost  Address: 127.0.0.1",
                                 "out: Name: www.example.com  Address: 93.184.215.14",
                                 "err: ** server can't find nowhere.invalid: NXDOMAIN",
                                 "returncode: 1"]
    assert section(lines, 2) == [
        "asked lttng.org        -> Name: lttng.org  Address: 167.114.159.179",
        "asked docs.python.org  -> Name: docs.python.org  Address: 151.101.0.223",
        "asked localhost        -> Name: localhost  Address: 127.0.0.1",
        "stdin closed; the child ended with returncode 0"]
    assert section(lines, 3) == ["poll() -> None (still running)",
                                 "wait(0.2) -> TimeoutExpired",
                                 "terminate(); wait() -> returncode -15",
                                 "terminate(); wait(0.3) -> TimeoutExpired: SIGTERM is ignored",
                                 "kill(); wait() -> returncode -9"]
    assert section(lines, 4) == ['5 files: wc counted 6 lines (a "total" line and one per file)',
                                 "returncodes: ls 0, wc 0"]
    s5 = section(lines, 5)
    match(r"wait\(1\.0\) -> TimeoutExpired: the child is still there, in state [RSD]", s5[1])
    assert s5[-1] == "communicate() -> 1048576 bytes, returncode 0"
    return {}


def trace(run, facts):
    main = run.trace.main
    children = main_children(run, LESSON_16_CHILDREN)
    assert [s["error"] for s in run.events("sub_spawn", pid=main)] == [0] * len(children)
    sleeper, stubborn, deadlocked = children[2], children[3], children[6]
    assert [(s.sender, s.signo) for s in sleeper.signals] == [(main, 15)]
    assert [(s.sender, s.signo) for s in stubborn.signals] == [(main, 15), (main, 9)]
    assert [(s.sender, s.signo) for s in deadlocked.signals] == [(main, 9)]
    # The deadlock: main waits 1 s for the child and gives up; the child,
    # asleep in write() on its full pipe, is still there at the end.
    joins = [j for j in run.procs[main].joins if j.child == deadlocked.pid]
    assert len(joins) == 1 and joins[0].timeout_us == 1_000_000 and joins[0].ended == 0
    assert joins[0].end_ts - joins[0].ts >= 990_000_000
    assert deadlocked.reap_ts > joins[0].end_ts
    seen = [s.state for s in deadlocked.states if s.ts <= joins[0].end_ts]
    assert seen and seen[-1] == "S", f"the blocked child was seen {seen}, not asleep"

    # Pipe traffic: the deadlocked child's stdout carried nothing (nobody
    # read it); the safe one's carried its 1 MiB, read by communicate().
    def moved(child, stream):
        return sum(e["bytes"] for e in run.events("sub_io", pid=main)
                   if e["child"] == child.pid and e["stream"] == stream)
    safe = children[7]
    assert moved(deadlocked, 1) == 0, f"read {moved(deadlocked, 1)} B from the blocked child"
    assert moved(safe, 1) == 1 << 20, f"read {moved(safe, 1)} B, expected 1 MiB"
    lookup = children[0]
    assert moved(lookup, 0) > 0 and moved(lookup, 1) > 0, "communicate(input) moved nothing"
