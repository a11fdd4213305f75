#!/usr/bin/python3
"""lesson_test.py - run one lesson under mprun with tracing, check what it
printed and what its trace says, and that its timeline gets drawn.

usage: tests/lessons/lesson_test.py [--no-trace] --build DIR N PROGRAM [-- ARG...]

Each lesson's checks are two functions below: `output_N(run)` checks what it
printed (`run.lines`, `run.stderr`) and returns facts it read (pids);
`trace_N(run, facts)` checks the trace (`run.trace`, `run.lanes`, see
scripts/mptrace/).  A check is an assert on a property that holds on every
run, whatever the timing.  With --no-trace the lesson runs with its
provider not loaded (MP_TRACE=0) and only its output is checked: a lesson
prints the same with or without LTTng.

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import argparse
from collections import Counter
import os
import re
import struct
import subprocess
import sys

import mptrace
from mptrace.check import Checker

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))


class Run:
    """One traced run of a lesson."""

    def __init__(self, build, n, program, traced=True, args=()):
        # One folder per variant: ctest runs "6" and "6 --linger 20" at once.
        variant = "".join("-" + re.sub(r"\W", "", a) for a in args)
        self.args = list(args)
        self.out = os.path.join(build, "test-lessons", f"{n}{variant}")
        os.makedirs(self.out, exist_ok=True)
        trace_dir = os.path.join(self.out, "trace")
        cmd = [os.path.join(build, "mprun"), "--grace", "1", program, *args]
        env = dict(os.environ)
        if traced:
            cmd = [os.path.join(TOP, "scripts", "trace-lesson"), trace_dir, "--"] + cmd
        else:
            env["MP_TRACE"] = "0"
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
        self.status = proc.returncode
        self.stdout, self.stderr = proc.stdout, proc.stderr
        self.lines = proc.stdout.splitlines()
        assert self.status == 0, f"exit status {self.status}\n{proc.stderr}"
        if not traced:
            return
        assert os.path.isdir(trace_dir), f"no trace recorded:\n{proc.stderr}"
        self.trace_dir = trace_dir
        self.trace = mptrace.load(trace_dir)
        self.procs = self.trace.procs
        self.lanes = self.trace.lanes
        self.ask = Checker(self.trace)

    def yes(self, prop, *args):
        """Asserts the trace answers yes to a trace-check property."""
        answer = self.ask(prop, *args)
        assert answer, f"trace-check {prop} {' '.join(map(str, args))}: {answer}"
        return answer

    def events(self, name, **fields):
        """The lesson's events called `name` whose fields match."""
        pids = {p.pid for p in self.lanes}
        return [e for e in self.trace.events
                if e["name"] == name and e.get("pid") in pids
                and all(e.get(k) == v for k, v in fields.items())]


def match(pattern, line):
    m = re.fullmatch(pattern, line)
    assert m, f"line {line!r} does not match {pattern!r}"
    return m


def check_common(run):
    """What every lesson owes: nothing lost, every process collected, the
    printed lines in the trace, a timeline drawn."""
    run.yes("lost-events")
    run.yes("none-outlived")    # every process collected, none killed by mprun
    # Two processes printing at once may record in the other order than
    # they wrote: compare the lines, not their order.
    printed = Counter(e["text"] for e in run.events("print"))
    assert printed == Counter(l for l in run.lines if l), "print events differ from stdout"

    out = run.out
    r = subprocess.run([os.path.join(TOP, "scripts", "timeline"), "--title", "test",
                        run.trace_dir, out], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, f"timeline failed: {r.stderr}"
    with open(os.path.join(out, "timeline.png"), "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "timeline.png is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    assert width == 1280 and height >= 200, f"timeline.png is {width}x{height}"
    # Many lanes (lesson 5's 42) are drawn thin: no lesson scrolls on and on.
    assert height <= 1800, f"timeline.png is {height} px tall"
    with open(os.path.join(out, "timeline.svg")) as f:
        assert "<svg" in f.read(2000), "timeline.svg is not an SVG"


# ---- lesson 1: fork ---------------------------------------------------------

def output_1(run):
    lines = run.lines
    assert len(lines) == 4, f"expected 4 lines, got {lines}"
    parent = int(match(r"Process \((\d+)\) start\.\.\.", lines[0])[1])
    middle = sorted(lines[1:3])          # these two may come in either order
    m_parent = match(r"I \((\d+)\) just created a child process \((\d+)\)\.", middle[0])
    m_child = match(r"I am child process \((\d+)\) and my parent is (\d+)\.", middle[1])
    child = int(m_child[1])
    assert int(m_child[2]) == parent, "the child's ppid is not the parent's pid"
    assert int(m_parent[1]) == parent and int(m_parent[2]) == child
    match(rf"Child {child} ended with exit status 0; the parent collected it\.", lines[3])
    return {"parent": parent, "child": child}


def trace_1(run, facts):
    parent, child = facts["parent"], facts["child"]
    assert [p.pid for p in run.lanes] == [parent, child], "lanes are not parent, child"
    forks = run.events("proc_fork")
    exits = run.events("proc_exit", pid=child)
    reaps = run.events("proc_reap", pid=parent)
    assert len(forks) == 1 and forks[0]["pid"] == parent and forks[0]["child"] == child
    assert len(exits) == 1 and exits[0]["code"] == 0
    run.yes("collected-by", child, parent)
    run.yes("exitcode", child, 0)
    assert len(reaps) == 1
    assert run.procs[child].ppid == parent
    # Orders that hold on every run.  (Not fork event <= exit: the parent
    # records proc_fork when fork() returns in it, and the child may have
    # run to its end by then.)
    starts = run.events("proc_start", pid=child)
    assert len(starts) == 1 and starts[0]["ppid"] == parent
    assert starts[0]["ts"] <= exits[0]["ts"] <= reaps[0]["ts"]
    assert forks[0]["ts"] <= reaps[0]["ts"]
    assert run.procs[child].fork_ts <= starts[0]["ts"]


# ---- lesson 8: the Process object --------------------------------------------

def output_8(run):
    lines = run.lines
    parent = int(match(r"Parent process (\d+) \(MainProcess\)\.", lines[0])[1])

    def section(k):
        start = next(i for i, l in enumerate(lines) if l.startswith(f"== {k}."))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("==")),
                   len(lines))
        return [l for l in lines[start + 1:end] if l]

    s1 = section(1)
    assert s1[0] == "Child process will start." and s1[2] == "Child process end."
    m = match(r"Run child process test \((\d+)\), my parent is (\d+)\.\.\.", s1[1])
    assert int(m[2]) == parent

    s2 = section(2)
    names = ["worker 1", "Process-4", "my_service"]   # Process-4: 4th created
    assert sorted(s2) == sorted([f"{n} {w}" for n in names for w in ("Starting", "Exiting")])
    for n in names:
        assert s2.index(f"{n} Starting") < s2.index(f"{n} Exiting")

    s3 = section(3)
    assert s3[0] == "BEFORE: Process-5 is_alive=False exitcode=None"
    assert "DURING: Process-5 is_alive=True exitcode=None" in s3
    assert s3[-1] == "JOINED: Process-5 is_alive=False exitcode=0"
    assert "Worker finished" in s3

    s4 = section(4)
    assert s4 == [f"In Process-{6 + i}: counting {10 * i}..{10 * i + 9}" for i in range(3)]
    assert section(5) == ["Doing some work"]
    for l in ("[INFO/Process-9] child process calling self.run()",
              "[INFO/Process-9] process exiting with exitcode 0",
              "[INFO/MainProcess] process shutting down"):
        assert l in run.stderr.splitlines(), f"missing log line {l!r}"
    return {"parent": parent}


def trace_8(run, facts):
    parent = facts["parent"]

    # The trace: lanes named as the lesson named them, every child forked by
    # the parent, exited 0 and joined by it.
    lane_names = [p.name for p in run.lanes]
    assert lane_names[0] == "MainProcess"
    assert sorted(lane_names[1:]) == sorted(
        ["Process-1", "my_service", "worker 1", "Process-4", "Process-5",
         "Process-6", "Process-7", "Process-8", "Process-9"])
    for p in run.lanes[1:]:
        assert p.parent == parent and p.exit_code == 0
        run.yes("exitcode", p.pid, 0)
        run.yes("collected-by", p.pid, parent)
    assert len(run.events("proc_join", pid=parent)) == len(run.lanes) - 1


# ---- lesson 6: a zombie -------------------------------------------------------

def output_6(run):
    lines = run.lines
    parent = int(match(r"Parent (\d+) starts\.", lines[0])[1])
    child = int(match(r"Child (\d+): exiting at once\.", next(
        l for l in lines if l.startswith("Child")))[1])
    linger = int(match(r"Parent: sleeping (\d+) ms without calling wait\(\)\.",
                       next(l for l in lines if l.startswith("Parent: sleeping")))[1])
    i = lines.index("    PID  PPID STAT COMMAND")
    match(rf"  +{child} +{parent} Z +06-zombie <defunct>", lines[i + 1])
    match(rf"Parent: waitpid\({child}\) collected exit status 0\.", lines[i + 2])
    match(rf"  +{child}  \(no such process\)", lines[-1])
    return {"parent": parent, "child": child, "linger": linger}


def trace_6(run, facts):
    parent, child, linger = facts["parent"], facts["child"], facts["linger"]
    exit_ts = run.events("proc_exit", pid=child)[0]["ts"]
    reap = run.events("proc_reap", pid=parent, child=child)
    assert len(reap) == 1
    run.yes("state", child, "Z")
    zombie = run.procs[child].first_seen("Z")
    # Seen as a zombie between its exit and its reap, then gone.  (Not "gone
    # after the reap event": the process leaves /proc inside waitpid(), a
    # moment before the parent records proc_reap.)
    assert exit_ts <= zombie <= reap[0]["ts"]
    run.yes("state", child, "X")
    assert run.procs[child].first_seen("X") > zombie
    assert reap[0]["ts"] - exit_ts > (linger - 5) * 1e6, "the zombie lived too short"


# ---- lesson 7: an orphan ------------------------------------------------------

def output_7(run):
    lines = run.lines
    parent = int(match(r"Parent (\d+) starts; its own parent is (\d+)\.", lines[0])[1])
    runner = int(match(r"Parent \d+ starts; its own parent is (\d+)\.", lines[0])[1])
    child = int(match(rf"Child (\d+): my parent is {parent}\.",
                      next(l for l in lines if "my parent is " + str(parent) in l))[1])
    match(rf"Parent {parent}: exiting now, without waiting for child {child}\.",
          next(l for l in lines if l.startswith(f"Parent {parent}: exiting")))
    # Under mprun the adopter is mprun, the lesson's own parent: a subreaper.
    match(rf"Child {child}: my parent {parent} is gone; my parent is now {runner} "
          r"\(mprun\), a subreaper\.", next(l for l in lines if "is gone" in l))
    assert lines[-1] == f"Child {child}: done; my adopter will collect me."
    return {"parent": parent, "child": child, "runner": runner}


def trace_7(run, facts):
    parent, child, runner = facts["parent"], facts["child"], facts["runner"]
    assert run.trace.runner == runner
    ppids = [s.ppid for s in run.procs[child].states]
    assert ppids[0] == parent, f"first seen with parent {ppids[0]}, not {parent}"
    assert ppids[-1] == runner, "the child's parent never became the runner"
    # The parent ended before the adoption.  (Not "was collected before":
    # the kernel hands the child over when the parent dies, before mprun's
    # waitpid() collects the parent.)
    assert len(run.events("proc_exit", pid=parent)) == 1
    run.yes("adopted-by", child, runner)
    run.yes("collected-by", parent, runner)
    # The adopter, not the parent, collects the child.
    run.yes("collected-by", child, runner)
    run.yes("exitcode", child, 0)


# ---- lesson 9: exit codes -----------------------------------------------------

EXPECTED_CODES = {"exit_ok": 0, "exit_error": 1, "raises": 1, "terminated": -15, "killed": -9}


def output_9(run):
    codes = {}
    for l in run.lines:
        m = re.fullmatch(r" *(\w+)\.exitcode = (-?\d+) *(\(SIG\w+\))?", l)
        if m:
            codes[m[1]] = int(m[2])
    assert codes == EXPECTED_CODES, f"exit codes {codes}"
    assert "raises: cannot open /nonexistent/settings.conf: No such file or directory" \
        in run.stderr.splitlines()
    part2 = run.lines[run.lines.index("== 2. terminate(), then join()") + 1:]
    assert part2[0] == "BEFORE:     slow_worker is_alive=False"
    assert part2[1] == "DURING:     slow_worker is_alive=True"
    match(r"TERMINATED: slow_worker is_alive=(True|False)", part2[2])   # a race
    assert part2[3] == "JOINED:     slow_worker is_alive=False exitcode=-15"
    return {}


def trace_9(run, facts):
    by_name = {p.name: p for p in run.lanes}
    main = run.procs[run.trace.main]
    for name, code in EXPECTED_CODES.items():
        p = by_name[name]
        run.yes("exitcode", p.pid, code)
        assert p.reaper == main.pid
        if code < 0:   # ended by a signal from the parent, no exit of its own
            assert p.exit_ts is None
            run.yes("signalled-by", p.pid, main.pid, -code)
        else:
            assert p.exit_code == code
    run.yes("exitcode", "slow_worker", -15)


# ---- lesson 10: daemons -------------------------------------------------------

def output_10(run):
    lines = run.lines
    for l in ("Starting: daemon", "Starting: non-daemon", "Exiting : non-daemon"):
        assert l in lines, f"missing {l!r}"
    assert "Exiting : daemon" not in lines, "the daemon ran to its end"
    assert ("daemon: start() of a child failed: Operation not permitted - daemonic "
            "processes are not allowed to have children") in lines
    match(r"d\.join\(1\.0\) returned after 1\.\d s; d\.is_alive\(\) = True",
          next(l for l in lines if l.startswith("d.join")))
    assert lines[-1] == "non-daemon joined, exitcode 0; main ends now, and its daemon with it."
    return {}


def trace_10(run, facts):
    main = run.procs[run.trace.main]
    by_name = {p.name: p for p in run.lanes}
    d, n = by_name["daemon"], by_name["non-daemon"]
    assert len(run.lanes) == 3, "the daemon's refused child appeared"
    # join(1.0) gave up while the daemon ran.
    joins = [j for j in main.joins if j.child == d.pid]
    assert joins and joins[0].ended == 0
    # The daemon does not outlive its parent: terminated and collected by it
    # before the main process's own exit.
    run.yes("exitcode", d.pid, -15)
    run.yes("collected-by", d.pid, main.pid)
    run.yes("signalled-by", d.pid, main.pid, "SIGTERM")
    run.yes("none-outlived-main")   # the daemon too was collected before main ended
    run.yes("exitcode", n.pid, 0)
    assert n.exit_code == 0


# ---- lesson 3: a queue between two processes ------------------------------------

def output_3(run):
    lines = run.lines
    writer = int(match(r"Process to write: (\d+)", next(l for l in lines if "to write" in l))[1])
    reader = int(match(r"Process to read: (\d+)", next(l for l in lines if "to read" in l))[1])
    for v in "ABC":
        assert lines.count(f"Put {v} to queue...") == 1 and lines.count(f"Get {v} from queue.") == 1
        assert lines.index(f"Put {v} to queue...") < lines.index(f"Get {v} from queue.")
    gets = [l for l in lines if l.startswith("Get ")]
    assert gets == ["Get A from queue.", "Get B from queue.", "Get C from queue."]
    match(r"Reader ended with exitcode -15 \(SIGTERM\)\. \(seed \d+: --seed \d+ repeats this run\)",
          lines[-1])
    return {"writer": writer, "reader": reader}


def trace_3(run, facts):
    writer, reader = facts["writer"], facts["reader"]
    puts = run.events("msg_send", pid=writer, op="put")
    gets = run.events("msg_recv", pid=reader, op="get")
    # Every value put is got once, in order, and all by the reader.
    assert len(puts) == 3 and len(gets) == 3
    run.yes("messages-once")
    run.yes("messages-fifo")
    assert all(e["size"] == 1 for e in puts + gets)
    main = run.procs[run.trace.main]
    r = run.procs[reader]
    run.yes("exitcode", reader, -15)
    run.yes("signalled-by", reader, main.pid, 15)
    # The reader was ended only after it had taken every message.
    assert r.signals[0].ts > gets[-1]["ts"]


# ---- lesson 4: pipes ----------------------------------------------------------------

def output_4(run):
    lines = [l for l in run.lines if l]
    i1 = lines.index("== 1. Duplex Pipe(): both ends send and receive")
    assert sorted(lines[i1 + 1:i1 + 3]) == ["child  received: Hello, child!",
                                            "parent received: Hello, parent!"]
    i2 = lines.index("== 2. One-way Pipe(duplex=False): r only receives, w only sends")
    assert lines[i2 + 1:i2 + 5] == ["parent received: 10", "parent received: 20",
                                    "parent received: 30",
                                    "parent: send on the receiving end r: Bad file descriptor (refused)"]
    i3 = lines.index("== 3. End of file: every sending end closed, in every process")
    assert lines[i3 + 2:i3 + 5] == [f"parent received: message {i}" for i in range(3)]
    assert lines[i3 + 5].startswith("parent: nothing within 0.2 s, and no end of file")
    assert lines[-1] == "parent: recv: end of file (EPIPE; Python raises EOFError)"
    return {}


def trace_4(run, facts):
    main = run.trace.main
    sends = run.events("msg_send")
    # Every message sent arrived intact (same size), at another process.
    assert len(sends) == 2 + 3 + 3
    run.yes("messages-once")
    assert all(m.receiver != m.sender for m in run.trace.messages
               if m.sender in run.ask.pids)
    # Both directions in part 1.
    assert any(e["pid"] == main for e in sends) and any(e["pid"] != main for e in sends)
    assert sum(1 for e in sends if e["pid"] == main) == 1
    # End of file, seen by main after it closed its own sending end.
    assert len(run.events("chan_eof", pid=main)) == 1


# ---- lesson 11: a bounded queue -------------------------------------------------------

def output_11(run):
    lines = run.lines
    assert lines[0] == "q = Queue(20): empty() is True, qsize() is 0"
    assert lines[1] == "get(timeout=0) on the empty queue: Empty, at once"
    produced = [match(r"produce product: (\d+) \(queue size (\d+)\)", l) for l in lines
                if l.startswith("produce")]
    consumed = [int(match(r"consume product: (\d+)", l)[1]) for l in lines
                if l.startswith("consume product")]
    squares = [i * i for i in range(30)]
    assert [int(m[1]) for m in produced] == squares
    assert consumed == squares, "lost, duplicated or reordered"
    assert all(1 <= int(m[2]) <= 20 for m in produced)
    assert "queue is full (20): put() waits for room" in lines
    match(r"done: 30 products made and consumed; empty\(\) is True \(seed \d+\)", lines[-1])
    return {}


def trace_11(run, facts):
    by_name = {p.name: p for p in run.lanes}
    producer, consumer = by_name["producer"].pid, by_name["consumer"].pid
    # put blocks at capacity: the producer waited on the full queue.
    assert run.events("chan_block", pid=producer, op="put"), "no put ever waited"
    puts = run.events("msg_send", pid=producer)
    gets = run.events("msg_recv", pid=consumer)
    # Every product got once, in order, all by the consumer.
    assert len(puts) == 31 and len(gets) == 31
    run.yes("messages-once")
    run.yes("messages-fifo")
    chan = puts[0]["chan"]
    assert chan in run.trace.channels and run.trace.channels[chan].capacity == 20
    run.yes("queue-bounded", chan)


# ---- lesson 12: a joinable queue, consumers and poison pills -------------------------

def output_12(run):
    lines = run.lines
    n = int(match(r"Creating (\d+) consumers", lines[0])[1])
    assert n == 2 * os.cpu_count()
    done = lines.index("All tasks done.")
    work = [match(r"Consumer-(\d+): (\d+) \* (\d+)", l) for l in lines[1:done]
            if re.fullmatch(r"Consumer-\d+: \d+ \* \d+", l)]
    assert sorted(int(m[2]) for m in work) == list(range(10)), "a task not done exactly once"
    exits = [l for l in lines[1:done] if l.endswith(": Exiting")]
    assert sorted(exits) == sorted(f"Consumer-{i}: Exiting" for i in range(1, n + 1))
    results = [l for l in lines[done + 1:]]
    assert sorted(results) == sorted(f"Result: {i} * {i} = {i * i}" for i in range(10))
    return {"consumers": n}


def trace_12(run, facts):
    main = run.procs[run.trace.main]
    done = [e for e in run.trace.events if e["name"] == "chan_op" and e["op"] == "task_done"
            and e["pid"] in {p.pid for p in run.lanes}]
    joined = run.events("chan_op", pid=main.pid, op="joined")
    assert len(done) == 10 + facts["consumers"]
    run.yes("messages-once")    # every task, pill and result got exactly once
    assert len(joined) == 1 and joined[0]["arg"] == 1
    assert joined[0]["ts"] >= max(e["ts"] for e in done), "join returned before the last task_done"
    assert min(e["arg"] for e in done) == 0
    # Each consumer's last message was its pill (size 0), and it then exited 0.
    for p in run.lanes:
        if p.name.startswith("Consumer-"):
            got = run.events("msg_recv", pid=p.pid, op="get")
            assert got and got[-1]["size"] == 0 and all(e["size"] > 0 for e in got[:-1])
            assert p.exitcode == 0


# ---- lesson 13: an event --------------------------------------------------------------

def output_13(run):
    lines = run.lines
    assert lines.index("wait_for_event_timeout: gave up after 0.5 s") < \
        lines.index("main: calling Event.set()")
    assert "wait_for_event_timeout: e.is_set()-> False" in lines
    assert lines.index("main: calling Event.set()") < \
        lines.index("wait_for_event: e.is_set()-> True")
    return {}


def trace_13(run, facts):
    by_name = {p.name: p for p in run.lanes}
    block, nonblock = by_name["block"].pid, by_name["nonblock"].pid
    sets = run.events("event_set", pid=run.trace.main)
    assert len(sets) == 1
    timed = run.events("event_woke", pid=nonblock)
    woken = run.events("event_woke", pid=block)
    # The timed waiter reports not set, before the set; the other, set, after it.
    assert len(timed) == 1 and len(woken) == 1
    run.yes("event-wait", nonblock, "timeout")
    run.yes("event-wait", block, "set")
    waited = run.events("event_wait", pid=nonblock)
    assert waited and 0.45e9 <= timed[0]["ts"] - waited[0]["ts"] <= 0.6e9


# ---- lesson 15: system, popen, call, run, check_output -------------------------------

LESSON_15_CHILDREN = [          # (lane name, exitcode), in the order they run
    ("sh -c 'true'", 0), ("sh -c 'exit 3'", 3), ("sh -c 'kill -TERM $$'", -15),
    ("sh -c 'printf", 0), ("true", 0), ("ls /nonexistent", 2),
    ("sh -c 'echo about to fail; exit 5'", 5),
    ("sh -c 'echo to stdout; echo to stderr >&2'", 0),
    ("sh -c 'ls *.c | wc -l'", 0), ("ls '*.c' '|' wc -l", 2),
    ("no-such-program", 127),
]


def output_15(run):
    lines = run.lines
    for l in ('system("true") = 0: exited, code 0 (0 >> 8)',
              'system("exit 3") = 768: exited, code 3 (768 >> 8)',
              'system("kill -TERM $$") = 15: killed by signal 15 (15 & 0x7f)',
              "pclose() = 0",
              "call(['true']) = 0",
              "call(['ls', '/nonexistent']) = 2",
              "CalledProcessError: Command 'sh -c \"echo about to fail; exit 5\"' "
              "returned non-zero exit status 5.",
              "    captured stdout: about to fail",
              "    output: to stdout",
              "    output: to stderr",
              'shell line "ls *.c | wc -l"      -> returncode 0, output: 2',
              "argv ['ls','*.c','|','wc','-l'] -> returncode 2, ls looked for files named so:",
              "    stderr: ls: cannot access '*.c': No such file or directory",
              "    stderr: ls: cannot access '|': No such file or directory",
              "run(['no-such-program']) -> FileNotFoundError: [Errno 2] "
              "No such file or directory"):
        assert l in lines, f"missing {l!r}"
    assert [l for l in lines if l.startswith("read: ")] == \
        ["read: cherry", "read: banana", "read: apple"]
    assert "ls: cannot access '/nonexistent': No such file or directory" \
        in run.stderr.splitlines()
    return {}


def trace_15(run, facts):
    main = run.trace.main
    children = [p for p in run.lanes if p.pid != main and p.pid != run.trace.runner]
    assert len(children) == len(LESSON_15_CHILDREN), \
        f"lanes {[p.name for p in children]}"
    for p, (name, code) in zip(children, LESSON_15_CHILDREN):
        assert p.name.startswith(name), f"lane {p.name!r}, expected {name!r}"
        assert p.parent == main and p.reaper == main, f"{p.name}: not main's"
        assert p.exitcode == code, f"{p.name}: exitcode {p.exitcode}, expected {code}"
    spawns = run.events("sub_spawn", pid=main)
    assert [s["child"] for s in spawns] == [p.pid for p in children]
    assert [s["error"] for s in spawns] == [0] * (len(children) - 1) + [2]   # ENOENT
    assert all(s["cmd"] == p.name for s, p in zip(spawns, children))


# ---- lesson 16: Popen, communicate, a pipeline, the deadlock --------------------------

LESSON_16_CHILDREN = [
    ("16-lookup", 1), ("16-lookup", 0), ("sleep 30", -15),
    ("sh -c 'trap '' TERM; exec sleep 30'", -9), ("ls -l /tmp/lesson16-", 0),
    ("wc -l", 0), ("head -c 1048576 /dev/zero", -9), ("head -c 1048576 /dev/zero", 0),
]


def output_16(run):
    lines = run.lines

    def section(k):
        start = next(i for i, l in enumerate(lines) if l.startswith(f"== {k}."))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("==")),
                   len(lines))
        return [l for l in lines[start + 1:end] if l]

    assert section(1) == ["out: Name: localhost  Address: 127.0.0.1",
                          "out: Name: www.example.com  Address: 93.184.215.14",
                          "err: ** server can't find nowhere.invalid: NXDOMAIN",
                          "returncode: 1"]
    assert section(2) == [
        "asked lttng.org        -> Name: lttng.org  Address: 167.114.159.179",
        "asked docs.python.org  -> Name: docs.python.org  Address: 151.101.0.223",
        "asked localhost        -> Name: localhost  Address: 127.0.0.1",
        "stdin closed; the child ended with returncode 0"]
    assert section(3) == ["poll() -> None (still running)",
                          "wait(0.2) -> TimeoutExpired",
                          "terminate(); wait() -> returncode -15",
                          "terminate(); wait(0.3) -> TimeoutExpired: SIGTERM is ignored",
                          "kill(); wait() -> returncode -9"]
    assert section(4) == ['5 files: wc counted 6 lines (a "total" line and one per file)',
                          "returncodes: ls 0, wc 0"]
    s5 = section(5)
    match(r"wait\(1\.0\) -> TimeoutExpired: the child is still there, in state [RSD]", s5[1])
    assert s5[-1] == "communicate() -> 1048576 bytes, returncode 0"
    return {}


def trace_16(run, facts):
    main = run.trace.main
    children = [p for p in run.lanes if p.pid != main and p.pid != run.trace.runner]
    assert len(children) == len(LESSON_16_CHILDREN), \
        f"lanes {[p.name for p in children]}"
    for p, (name, code) in zip(children, LESSON_16_CHILDREN):
        assert p.name.startswith(name), f"lane {p.name!r}, expected {name!r}"
        assert p.parent == main and p.reaper == main, f"{p.name}: not main's"
        assert p.exitcode == code, f"{p.name}: exitcode {p.exitcode}, expected {code}"
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


# ---- lesson 5: a race on a manager dict, and the lock -------------------------

def output_5(run):
    lines = [l for l in run.lines if l]
    m = match(r"Manager \(pid (\d+)\) holds \{'count': (\d+)\}; (\d+) processes each do "
              r"d\[\"count\"\] -= 1(, a get then a set)?\.", lines[0])
    manager, start, n = int(m[1]), int(m[2]), int(m[3])
    window = 0
    if lines[1].startswith("Each sleeps"):
        window = int(match(r"Each sleeps (\d+) ms between its get and its set\.", lines[1])[1])
    results = {}
    for l in lines[1 + (window > 0):]:
        r = match(r"(Without a lock:|With a lock:   ) \{'count': (\d+)\}  "
                  r"\(should be (\d+): (\d+) updates? lost\)", l)
        count, should, lost = int(r[2]), int(r[3]), int(r[4])
        assert should == start - n and lost == count - should
        results["locked" if r[1].startswith("With ") else "unlocked"] = count
    assert results, "no result printed"
    if "locked" in results:
        assert results["locked"] == start - n, f"locked count {results['locked']}"
    if "unlocked" in results:
        # A decrement can be lost, never doubled.
        assert start - n <= results["unlocked"] <= start - 1
        if window >= 2 and n >= 2:
            assert results["unlocked"] > start - n, "the widened window lost nothing"
    return {"manager": manager, "n": n, "start": start, "results": results}


def trace_5(run, facts):
    main, n = run.trace.main, facts["n"]
    workers = [p for p in run.lanes if p.pid not in (main, facts["manager"], run.trace.runner)]
    assert len(workers) == n * len(facts["results"]), f"{len(workers)} workers"
    assert run.procs[facts["manager"]].name.startswith("SyncManager")
    for p in workers:
        assert p.parent == main and p.exitcode == 0
        ops = [e["op"] for e in run.events("mgr_request", pid=p.pid)]
        assert ops == ["get", "set"], f"{p.name}: requests {ops}"
        replies = run.events("mgr_reply", pid=p.pid)
        assert [r["status"] for r in replies] == [0, 0]
    # Each request answered after it was made, by request id.
    requests = {e["req"]: e for e in run.events("mgr_request")}
    for r in run.events("mgr_reply"):
        assert r["req"] in requests and requests[r["req"]]["ts"] <= r["ts"]
    # The locked run: one hold per worker, and no two holds overlap.
    holds, held = [], {}
    for e in run.trace.events:
        if e["name"] == "lock_acquire":
            assert e["arg"] == 0, "an owner died?"
            held[e["pid"]] = e["ts"]
        elif e["name"] == "lock_release":
            holds.append((held.pop(e["pid"]), e["ts"], e["pid"]))
    assert not held, "a lock never released"
    if "locked" in facts["results"]:
        assert len(holds) == n, f"{len(holds)} lock holds"
        holds.sort()
        for a, b in zip(holds, holds[1:]):
            assert a[1] <= b[0], f"holds of {a[2]} and {b[2]} overlap"
        # Each holder's get and set sit inside its hold; the sets count down.
        sets = []
        for start, end, pid in holds:
            reqs = run.events("mgr_request", pid=pid)
            assert all(start <= e["ts"] <= end for e in reqs)
            sets.append(int(reqs[-1]["value"]))
        assert sets == list(range(facts["start"] - 1, facts["start"] - n - 1, -1)), sets
    else:
        assert not holds


# ---- lesson 2: Pool(4) running 5 tasks ---------------------------------------------

def output_2(run):
    lines = run.lines
    parent = int(match(r"Parent process (\d+)\.", lines[0])[1])
    assert lines[-2] == "All subprocesses done.", lines[-2:]
    match(r"\(seed \d+: run with --seed \d+ to get the same times again\)", lines[-1])
    assert lines.count("Waiting for all subprocesses done...") == 1
    runs = {int(m[1]): int(m[2]) for m in
            (re.fullmatch(r"Run task (\d+) \((\d+)\)\.\.\.", l) for l in lines) if m}
    took = [int(m[1]) for m in (re.fullmatch(r"Task (\d+) runs \d+\.\d\d seconds\.", l)
                                for l in lines) if m]
    assert sorted(runs) == list(range(5)) and sorted(took) == list(range(5)), lines
    for i in range(5):   # each task says it runs before it says how long it took
        assert lines.index(f"Run task {i} ({runs[i]})...") < \
            next(k for k, l in enumerate(lines) if l.startswith(f"Task {i} runs "))
    assert parent not in runs.values(), "a task ran in the parent"
    workers = 4
    if "--workers" in run.args:
        workers = int(run.args[run.args.index("--workers") + 1])
    assert len(set(runs.values())) <= workers
    return {"parent": parent, "workers": workers, "pids": runs}


def trace_2(run, facts):
    n = facts["workers"]
    tasks = [t for t in run.trace.tasks if t.worker in {p.pid for p in run.lanes}]
    assert len(tasks) == 5, tasks
    run.yes("tasks-once")
    run.yes("max-concurrent-tasks", n)
    assert all(t.submitter == facts["parent"] for t in tasks)
    assert {t.task: t.worker for t in tasks} == facts["pids"]
    creates = run.events("pool_op", op="create")
    assert len(creates) == 1 and creates[0]["arg"] == n
    workers = [p for p in run.lanes if p.name.startswith("ForkPoolWorker-")]
    assert len(workers) == n and all(p.exitcode == 0 for p in workers)
    first_end = min(t.end_ts for t in tasks)
    if n <= 4:
        # The fifth task waits in the queue until a worker is free.
        assert tasks[4].start_ts > first_end, "task 4 started before any task ended"
        assert tasks[4].worker == min(tasks[:4], key=lambda t: t.end_ts).worker
    else:
        # Enough workers: every task starts before any ends, each on its own.
        assert max(t.start_ts for t in tasks) < first_end, "a task waited for a worker"
        assert len({t.worker for t in tasks}) == 5
    # close() and join() were called, and join returned after the last task.
    joined = run.events("pool_op", op="joined")
    assert run.events("pool_op", op="close") and len(joined) == 1
    assert joined[0]["ts"] > max(t.end_ts for t in tasks)


# ---- lesson 17: a master and workers over TCP with an authkey ----------------

def output_17(run):
    lines = [l for l in run.lines if l]
    address = match(r"master: serving task_queue and result_queue on (127\.0\.0\.1:\d+), "
                    r"authkey b'abc'\.", lines[0])[1]
    tasks = [int(match(r"master: put task (\d+)\.\.\.", l)[1])
             for l in lines if l.startswith("master: put task")]
    results = [l for l in lines if l.startswith("master: result:")]
    assert len(tasks) == 10 and len(results) == 10
    got = sorted(int(match(r"master: result: (\d+) \* (\d+) = (\d+)", l)[1]) for l in results)
    for l in results:
        m = match(r"master: result: (\d+) \* (\d+) = (\d+)", l)
        assert m[1] == m[2] and int(m[3]) == int(m[1]) ** 2, f"wrong: {l}"
    assert got == sorted(tasks), "results do not match the tasks, one each"
    assert "intruder: connect with authkey b'wrong': refused (EACCES: wrong authkey)" in lines
    sent = int(match(r"vandal: sent (\d+) random frames over (\d+) connections\.",
                     next(l for l in lines if l.startswith("vandal:")))[1])
    assert sent > 100
    ran = [l for l in lines if re.fullmatch(r"worker-\d: run task \d+ \* \d+\.\.\.", l)]
    assert len(ran) == 10
    for w in ("worker-1", "worker-2"):
        assert f"{w}: connect to server {address}..." in lines
        assert lines.index(f"{w}: task queue is empty.") < lines.index(f"{w}: worker exit.")
    assert lines[-1] == "master exit."
    return {"tasks": tasks}


def trace_17(run, facts):
    main = run.trace.main
    names = {p.name: p for p in run.lanes}
    for n in ("SyncManager-1", "intruder", "vandal", "worker-1", "worker-2"):
        assert n in names, f"no lane {n}: {list(names)}"
        assert names[n].parent == main and names[n].exitcode == 0
    server = names["SyncManager-1"]
    refused = [e for e in run.events("mark", pid=server.pid) if "refused" in e["text"]]
    assert refused and f"says pid {names['intruder'].pid})" in refused[0]["text"]
    # Every task: a put by the master and one get by a worker, the same
    # message; every result back the other way.
    workers = {names["worker-1"].pid, names["worker-2"].pid}
    sends = {e["msg"]: e for e in run.events("msg_send", op="put")}
    recvs = run.events("msg_recv", op="get")
    assert len(sends) == 20 and len(recvs) == 20
    for r in recvs:
        s = sends[r["msg"]]
        assert s["ts"] <= r["ts"] and s["chan"] == r["chan"]
        assert (s["pid"], r["pid"] in workers) in ((main, True),) or \
            (s["pid"] in workers and r["pid"] == main)
    # Every manager request of the lesson's processes was answered.
    replies = {e["req"] for e in run.events("mgr_reply")}
    assert all(e["req"] in replies for e in run.events("mgr_request"))


# ---- lesson 14: three ways to get results back --------------------------------------

def output_14(run):
    lines = run.lines
    one, two, three = (lines.index(l) for l in (
        "1. A Queue: 4 processes each put their result",
        "2. A Pool(4): 10 tasks; get() in submit order",
        "3. A Manager's dict: 5 processes each set one key"))
    got = [match(r"   got (Process-\d+): (\d) \* \2 = (\d+)", l) for l in lines[one + 1:two]]
    assert sorted(int(m[2]) for m in got) == [1, 2, 3, 4]
    assert all(int(m[3]) == int(m[2]) ** 2 for m in got)
    pool = lines[two + 1:three]
    assert sorted(l for l in pool if l.startswith("   hello ")) == \
        sorted(f"   hello {i}" for i in range(10))
    # The results come in submit order, whatever order the tasks ran in.
    assert [l for l in pool if l.startswith("   done ")] == [f"   done hello {i}" for i in range(10)]
    assert pool[-1] == "   Sub-process(es) done."
    part3 = lines[three + 1:]
    assert sorted(part3[:-1]) == [f"   {i} represent!" for i in range(5)]
    assert part3[-1] == "   return_dict.values(): [0, 1, 2, 3, 4]"
    return {"queue_senders": {m[1] for m in got}}


def trace_14(run, facts):
    run.yes("messages-once")
    run.yes("tasks-once")
    run.yes("max-concurrent-tasks", 4)
    # 1: each of the four children put one message, and the parent got all.
    main = run.trace.main
    names = {p.pid: p.name for p in run.lanes}
    sent = [m for m in run.trace.messages if m.sender in names and m.receiver == main]
    assert sorted(names[m.sender] for m in sent) == sorted(facts["queue_senders"])
    # 2: ten tasks on four workers, submitted by the parent.
    tasks = [t for t in run.trace.tasks if t.worker in names]
    assert len(tasks) == 10 and all(t.submitter == main for t in tasks)
    assert len({t.worker for t in tasks}) <= 4
    # 3: each of the five set its key through the manager.
    sets = [e for e in run.events("mgr_request") if e["op"] == "set"]
    assert sorted(e["key"] for e in sets) == [str(i) for i in range(5)]
    assert len({e["pid"] for e in sets}) == 5 and main not in {e["pid"] for e in sets}


def main():
    ap = argparse.ArgumentParser(description="Run and check one lesson.")
    ap.add_argument("--build", required=True)
    ap.add_argument("--no-trace", action="store_true")
    ap.add_argument("n", type=int)
    ap.add_argument("program")
    ap.add_argument("args", nargs="*", help="the lesson's own arguments (after --)")
    args = ap.parse_args()
    output, trace = globals().get(f"output_{args.n}"), globals().get(f"trace_{args.n}")
    if output is None or trace is None:
        print(f"lesson_test: no checks for lesson {args.n}", file=sys.stderr)
        return 2
    run = Run(os.path.abspath(args.build), args.n, os.path.abspath(args.program),
              traced=not args.no_trace, args=args.args)
    facts = output(run)
    if args.no_trace:
        print(f"lesson {args.n} untraced: {len(run.lines)} lines: output checks passed")
        return 0
    trace(run, facts)
    check_common(run)
    print(f"lesson {args.n}: {len(run.lines)} lines, {len(run.lanes)} processes, "
          f"{len(run.trace.events)} events: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
