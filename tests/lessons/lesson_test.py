#!/usr/bin/python3
"""lesson_test.py - run one lesson under mprun with tracing, check what it
printed and what its trace says, and that its timeline gets drawn.

usage: tests/lessons/lesson_test.py [--no-trace] --build DIR N PROGRAM [-- ARG...]

Each lesson's checks are two functions below: `output_N(run)` checks what it
printed (`run.lines`, `run.stderr`) and returns facts it read (pids);
`trace_N(run, facts)` checks the trace (`run.trace`, `run.lanes`, see
scripts/mptrace.py).  A check is an assert on a property that holds on every
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

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import mptrace  # noqa: E402


class Run:
    """One traced run of a lesson."""

    def __init__(self, build, n, program, traced=True, args=()):
        # One folder per variant: ctest runs "6" and "6 --linger 20" at once.
        variant = "".join("-" + re.sub(r"\W", "", a) for a in args)
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
        self.procs = mptrace.processes(self.trace)
        self.lanes = mptrace.lanes(self.trace)

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
    assert not run.trace.discarded, f"LTTng lost {run.trace.discarded} events"
    for p in run.lanes:
        if p.pid != run.trace.runner:   # mprun has a lane when it adopted someone
            assert p.reap_ts is not None, f"{p.name} ({p.pid}) was never collected"
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
    assert len(reaps) == 1 and reaps[0]["child"] == child and reaps[0]["exitcode"] == 0
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
        assert p.parent == parent and p.exit_code == 0 and p.exitcode == 0
        assert p.reaper == parent
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
    states = run.events("proc_state", pid=child)
    zombie = [e["ts"] for e in states if e["state"] == "Z"]
    assert zombie, f"the watcher never saw {child} in state Z: {states}"
    # Seen as a zombie between its exit and its reap, then gone.  (Not "gone
    # after the reap event": the process leaves /proc inside waitpid(), a
    # moment before the parent records proc_reap.)
    assert exit_ts <= zombie[0] <= reap[0]["ts"]
    gone = [e["ts"] for e in states if e["state"] == "X"]
    assert gone and gone[0] > zombie[0]
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
    ppids = [e["ppid"] for e in run.events("proc_state", pid=child)]
    assert ppids[0] == parent, f"first seen with parent {ppids[0]}, not {parent}"
    assert ppids[-1] == runner, "the child's parent never became the runner"
    # The parent ended before the adoption.  (Not "was collected before":
    # the kernel hands the child over when the parent dies, before mprun's
    # waitpid() collects the parent.)
    parent_exit = run.events("proc_exit", pid=parent)
    adopted = next(e["ts"] for e in run.events("proc_state", pid=child)
                   if e["ppid"] == runner)
    assert len(parent_exit) == 1 and parent_exit[0]["ts"] <= adopted
    parent_reap = [e for e in run.trace.events if e["name"] == "proc_reap"
                   and e["child"] == parent]
    assert parent_reap and parent_reap[0]["pid"] == runner
    # The adopter, not the parent, collects the child.
    reaps = [e for e in run.trace.events if e["name"] == "proc_reap" and e["child"] == child]
    assert len(reaps) == 1 and reaps[0]["pid"] == runner and reaps[0]["exitcode"] == 0


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
        assert p.exitcode == code, f"{name}: exitcode {p.exitcode} in the trace"
        assert p.reaper == main.pid
        if code < 0:   # ended by a signal from the parent, no exit of its own
            assert p.exit_ts is None
            assert [(s.sender, s.signo) for s in p.signals] == [(main.pid, -code)]
        else:
            assert p.exit_code == code
    assert by_name["slow_worker"].exitcode == -15


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
    assert d.exitcode == -15 and d.reaper == main.pid
    assert [(s.sender, s.signo) for s in d.signals] == [(main.pid, 15)]
    assert d.reap_ts <= main.exit_ts
    assert n.exitcode == 0 and n.exit_code == 0


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
    # Every value put is got once, in order: the same message ids, same order.
    assert len(puts) == 3 and [e["msg"] for e in puts] == [e["msg"] for e in gets]
    assert all(e["size"] == 1 for e in puts + gets)
    main = run.procs[run.trace.main]
    r = run.procs[reader]
    assert r.exitcode == -15 and [(s.sender, s.signo) for s in r.signals] == [(main.pid, 15)]
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
    sends = [e for e in run.trace.events if e["name"] == "msg_send"]
    recvs = {e["msg"]: e for e in run.trace.events if e["name"] == "msg_recv"}
    lesson = {p.pid for p in run.lanes}
    sends = [e for e in sends if e["pid"] in lesson]
    # Every message sent arrived intact (same size), at another process.
    assert len(sends) == 2 + 3 + 3
    for e in sends:
        got = recvs[e["msg"]]
        assert got["size"] == e["size"] and got["pid"] != e["pid"]
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
    assert len(puts) == 31 and [e["msg"] for e in puts] == [e["msg"] for e in gets]
    chan = puts[0]["chan"]
    opened = [e for e in run.trace.events if e["name"] == "chan_open" and e["chan"] == chan]
    assert opened and opened[0]["capacity"] == 20


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
    assert len(timed) == 1 and timed[0]["arg"] == 0 and timed[0]["ts"] < sets[0]["ts"]
    assert len(woken) == 1 and woken[0]["arg"] == 1 and woken[0]["ts"] >= sets[0]["ts"]
    waited = run.events("event_wait", pid=nonblock)
    assert waited and 0.45e9 <= timed[0]["ts"] - waited[0]["ts"] <= 0.6e9


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
