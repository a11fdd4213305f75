#!/usr/bin/python3
"""interpose_test.py - programs that never call the runtime, recorded
through libmp-preload.so, and what their traces must say.

usage: tests/interpose/interpose_test.py --build DIR CASE

Each CASE is a function below: it runs a program under the preload with an
LTTng session recording (tracerun.Run), then asserts properties of the
trace's events (as mptrace reads them) that hold on every run, whatever
the timing.  The test programs are
in this folder; the build puts them in DIR/tests/interpose.

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import argparse
from collections import Counter
import os
import re
import shutil
import subprocess
import sys

from tracerun import BIG, SMALL, Run

HERE = os.path.dirname(os.path.abspath(__file__))


def child_of(run, parent, name):
    """The one child of `parent` whose exec'd program is `name`."""
    found = [e["pid"] for e in run.of("proc_start", ppid=parent, proc_name=name)]
    assert len(found) == 1, f"{len(found)} children of {parent} running {name}"
    return found[0]


def main_pid(run):
    """The program mprun started: the runner's one child."""
    kids = run.children(run.root)
    assert len(kids) == 1, f"mprun's children: {kids}"
    return kids[0]


def check_stream(run, stream, writer, reader):
    """Every byte read from `stream` lies in a recorded write, recorded
    before the read; returns the bytes `writer` wrote and `reader` read.
    (Any process of the tree may write: Python's Pool puts its sentinels
    on the workers' result pipe itself.)"""
    writes = run.of("io_write", stream=stream)
    reads = [e for e in run.of("io_read", stream=stream) if e["pid"] in reader]
    mine = [w for w in writes if w["pid"] in writer]
    assert mine and reads, f"stream {stream}: {len(mine)} writes, {len(reads)} reads"
    for r in reads:
        if r["bytes"] == 0:
            continue
        covering = [w for w in writes if w["offset"] <= r["offset"] < w["offset"] + w["bytes"]]
        assert len(covering) == 1, f"read {r} is in {len(covering)} writes"
        assert covering[0]["ts"] <= r["ts"], f"read {r} recorded before its write"
        end = r["offset"] + r["bytes"]
        assert any(w["offset"] < end <= w["offset"] + w["bytes"] for w in writes), \
            f"read {r} ends outside every write"
    return sum(w["bytes"] for w in mine), sum(r["bytes"] for r in reads)


# ---- the cases --------------------------------------------------------------

def case_lswc(run_in):
    """`ls -l DIR | wc -c` by hand: two exec'd children, the bytes through
    the pipe equal to what wc counted."""
    run = run_in([prog("lswc"), "/usr/lib/x86_64-linux-gnu"])
    count = int(run.lines[0])
    shell = main_pid(run)
    ls, wc = child_of(run, shell, "ls"), child_of(run, shell, "wc")
    run.one("proc_exec", pid=ls, path="ls")
    run.one("proc_exec", pid=wc, argv="wc -c")
    pipe = run.one("fd_pipe", pid=shell)["ino0"]
    written, read = check_stream(run, pipe, {ls}, {wc})
    assert written == read == count, f"ls wrote {written}, wc read {read}, wc printed {count}"
    assert run.of("io_read", pid=wc, stream=pipe)[-1]["bytes"] == 0, "wc saw no end of file"
    for child in (ls, wc):
        run.one("proc_reap", pid=shell, child=child, exitcode=0)


def case_pool(run_in):
    """Python's Pool(4) with 5 tasks: 4 workers forked by the main process,
    tasks and results through pipes, the Pool's threads and locks."""
    run = run_in(["/usr/bin/python3", os.path.join(HERE, "pool5.py")])
    assert run.lines == ["results: [0, 1, 4, 9, 16]", "done"], run.lines
    main = main_pid(run)
    workers = {e["child"] for e in run.of("proc_fork", pid=main)}
    assert len(workers) == 4, f"main forked {len(workers)}"
    assert workers == set(run.children(main)), "a fork without its proc_start"
    streams = Counter(e["stream"] for e in run.of("io_write", pid=main))
    tasks = [s for s in streams if any(e["pid"] in workers for e in run.of("io_read", stream=s))]
    assert tasks, "no bytes from the main process reached a worker"
    check_stream(run, tasks[0], {main}, workers)
    results = {e["stream"] for e in run.events if e["name"] == "io_write" and e["pid"] in workers}
    assert any(check_stream(run, s, workers, {main})[1] > 0 for s in results), "no result came back"
    assert len(run.of("fd_pipe", pid=main)) >= 2
    assert len(run.of("thread_start", pid=main)) >= 3, "the Pool's three threads"
    locks = run.of("sem_open", pid=main, value=1)
    assert len(locks) >= 2, "the queues' locks"
    assert any(e["pid"] in workers for e in run.of("sem_acquire")), "no worker took a lock"
    reaped = {e["child"] for e in run.of("proc_reap", pid=main)}
    assert reaped == workers, f"reaped {reaped}, forked {workers}"
    assert [e["text"] for e in run.of("out_line", pid=main, fd=1)] == run.lines


def case_zombie(run_in):
    """Plain fork, kill and wait: a zombie's time, a handler, a death by
    signal, a raise."""
    run = run_in([prog("zombie")])
    parent = main_pid(run)
    first, second = run.children(parent)
    exit_ = run.one("proc_exit", pid=first, code=3)
    reap = run.one("proc_reap", pid=parent, child=first, exitcode=3)
    assert reap["ts"] > exit_["ts"], "no zombie time"
    sent = run.one("proc_signal", pid=second, target=parent, signo=10)
    handled = run.one("sig_handle", pid=parent, signo=10, sender=second)
    assert sent["ts"] < handled["ts"]
    run.one("proc_signal", pid=parent, target=second, signo=15)
    run.one("proc_reap", pid=parent, child=second, exitcode=-15, wstatus=15)
    assert not run.of("proc_exit", pid=second), "a killed process has no proc_exit"
    run.one("proc_signal", pid=parent, target=parent, signo=12)
    run.one("sig_handle", pid=parent, signo=12, sender=parent)


def case_lines(run_in):
    """printf, stderr and write() as lines, each on the lane that wrote it,
    when it was written."""
    run = run_in([prog("lines")])
    parent = main_pid(run)
    child = run.children(parent)[0]
    by = Counter((e["pid"], e["text"]) for e in run.of("out_line", fd=1))
    assert Counter(text for _, text in by.elements()) == Counter(run.lines), \
        f"lines recorded {sorted(by)} differ from stdout {run.lines}"
    # The child's copy of the unflushed buffer is written by the child.
    assert by[(child, f"parent {parent} starts")] == 1
    assert by[(child, f"before fork, child {child} here")] == 1
    assert by[(parent, f"parent {parent} starts")] == 1
    assert by[(parent, "raw write")] == 1, "one line from two write() calls"
    run.one("out_line", pid=parent, fd=2, text=f"parent {parent} on stderr")


def case_spawns(run_in):
    """system(), popen() and posix_spawnp(): children the C library starts
    without fork, seen by their own start."""
    run = run_in([prog("spawns")])
    parent = main_pid(run)
    for call, line in (("system", "from system"), ("popen", "from popen")):
        begin = run.one("lib_call", pid=parent, call=call)
        shells = [e for e in run.of("proc_start", ppid=parent, proc_name="sh")
                  if e["ts"] > begin["ts"]]
        run.one("out_line", pid=shells[0]["pid"], text=line)
    run.one("lib_return", pid=parent, call="system", result=0)
    run.one("lib_return", pid=parent, call="pclose", result=0)
    spawn = run.one("sub_spawn", pid=parent, cmd="true", error=0)
    child = spawn["child"]
    assert child_of(run, parent, "true") == child
    run.one("proc_reap", pid=parent, child=child, exitcode=0)
    assert f"posix_spawnp: child {child}, status 0" in run.lines


def case_vfork(run_in):
    """Python's subprocess starts its children with vfork."""
    run = run_in(["/usr/bin/python3", "-c", "import subprocess; subprocess.run(['true'])"])
    python = main_pid(run)
    child = child_of(run, python, "true")
    vforked = run.of("proc_start", pid=child, ppid=python, proc_name="python3")
    assert len(vforked) == 1, "the vfork child's own start"
    exec_ = run.one("proc_exec", pid=child, path="/usr/bin/true")
    assert vforked[0]["ts"] < exec_["ts"]
    run.one("proc_reap", pid=python, child=child, exitcode=0)


def case_closed_stdout(run_in):
    run = run_in([prog("hostile"), "closed-stdout"])
    assert "still alive" in run.stderr
    parent = main_pid(run)
    run.one("out_line", pid=parent, fd=2, text="still alive")
    assert not run.of("out_line", fd=1), "a line to a closed stdout"


def case_forks(run_in):
    run = run_in([prog("hostile"), "forks", "500"])
    assert run.lines == ["collected 500 children"], run.lines
    parent = main_pid(run)
    assert len(run.of("proc_fork", pid=parent)) == 500
    codes = Counter(e["exitcode"] for e in run.of("proc_reap", pid=parent))
    assert codes == Counter(i % 100 for i in range(500)), "reaps and exit codes"


def case_untraced(run_in):
    """Programs a preload cannot enter are named: static, set-uid, and an
    environment without LD_PRELOAD."""
    static = prog("static-hello")
    run = run_in([prog("hostile"), "exec", static])
    assert run.lines == ["static hello"], run.lines
    pid = main_pid(run)
    run.one("untraced", pid=pid, what="static", detail=static)
    assert len(run.of("proc_start", pid=pid)) == 1, "a static program started the preload"

    run = run_in(["/usr/bin/env", "-i", "/usr/bin/true"])
    run.one("untraced", pid=main_pid(run), what="environment", detail="/usr/bin/true")

    if os.geteuid() != 0:
        return
    suid = os.path.join(os.path.dirname(static), "id-as-nobody")
    shutil.copy("/usr/bin/id", suid)
    try:
        os.chown(suid, 65534, 65534)
        os.chmod(suid, 0o4755)
        run = run_in([prog("hostile"), "exec", suid, "-u"])
        assert run.lines == ["65534"], run.lines
        pid = main_pid(run)
        run.one("untraced", pid=pid, what="setuid", detail=suid)
        assert len(run.of("proc_start", pid=pid)) == 1, "a set-uid program started the preload"
    finally:
        os.unlink(suid)


def case_seam(run_in):
    """A program's own fds and quiet sections stay out of the trace."""
    run = run_in([prog("seam")])
    own0, own1, plain0, plain1 = map(int, re.findall(r"\d+", run.lines[0]))
    pid = main_pid(run)
    io = [e for e in run.of("io_write", pid=pid) + run.of("io_read", pid=pid) if e["fd"] > 2]
    assert [(e["name"], e["fd"], e["bytes"]) for e in io] == [("io_write", plain1, 5)], io


def case_lttng_quiet(run_in):
    """So many events that LTTng switches buffers and wakes its consumer
    with write(), from our tracepoints and from the runtime's: none of
    LTTng's own calls or threads is recorded, nor anything twice for a
    program linked with the runtime.  (Small buffers: events may be lost.)"""
    n = 20000
    run = run_in([prog("hostile"), "lttng-wakeups", str(n)], small=True)
    parent = main_pid(run)
    pipe = run.one("fd_pipe", pid=parent)["ino0"]
    foreign = [e for e in run.events if e["name"].startswith("io_")
               and e["stream"] != pipe and e["fd"] not in (1, 2)]
    assert not foreign, f"I/O outside the program's pipe: {foreign[:3]}"
    assert not [e for e in run.of("thread_start") if e["pid"] != run.root], "a thread of LTTng's"

    run = run_in([prog("marks"), "60000"], small=True)
    marks = main_pid(run)
    pipe = run.one("fd_pipe", pid=marks)["ino0"]
    io = [(e["name"], e["stream"], e["bytes"]) for e in run.events
          if e["name"].startswith("io_") and e["pid"] == marks and e["fd"] > 2]
    mine = [("io_write", pipe, 1), ("io_read", pipe, 1)]
    assert io == mine or (run.lost and set(io) <= set(mine)), f"recorded {io[:4]}"
    assert len(run.of("proc_start", pid=marks)) == 1, "the runtime's start, and no other"
    assert len(run.of("proc_exit", pid=marks)) <= 1, "the runtime's exit, and no other"
    assert len(run.of("proc_reap", pid=run.root, child=marks)) <= 1


def case_linked(run_in):
    """`ls | wc -c` by hand in a program linked with the runtime, as an
    exercise is: the layer linked into it records its pipe, dups and execs
    with no preload; ls and wc run unrecorded, and that is said."""
    run = run_in([prog("lswc-linked"), "/usr/lib/x86_64-linux-gnu"], preload=False)
    shell = main_pid(run)
    run.one("proc_start", pid=shell, proc_name="MainProcess")
    pipe = run.one("fd_pipe", pid=shell, kind="pipe")["ino0"]
    assert len(run.children(shell)) == 2
    for name, fd in (("ls", 1), ("wc", 0)):
        child = run.one("proc_exec", path=name)["pid"]
        run.one("proc_fork", pid=shell, child=child, proc_name="child")
        run.one("fd_dup", pid=child, newfd=fd, ino=pipe)
        run.one("untraced", pid=child, what="environment", detail=f"/usr/bin/{name}")
        run.one("proc_reap", pid=shell, child=child, exitcode=0)
    assert len(run.of("proc_wait", pid=shell, target=-1)) == 2, "two blocking wait()s"
    assert not run.of("io_write", stream=pipe), "bytes from a program no preload entered"
    assert [e["text"] for e in run.of("out_line", pid=shell, fd=2)] == run.stderr.splitlines()


def case_linked_preload(run_in):
    """The same under the preload: the preload steps aside in the program
    that has the layer linked in, and enters ls and wc.  Nothing is
    recorded twice; the bytes through the pipe are what wc counted."""
    run = run_in([prog("lswc-linked"), "/usr/lib/x86_64-linux-gnu"])
    count = int(run.lines[0])
    shell = main_pid(run)
    mine = Counter(e["name"] for e in run.events if e["pid"] == shell)
    for event, n in (("proc_start", 1), ("fd_pipe", 1), ("proc_fork", 2), ("fd_close", 2),
                     ("proc_wait", 2), ("proc_reap", 2), ("out_line", 2), ("proc_exit", 1)):
        assert mine[event] == n, f"the program's {event}: {mine[event]}, not {n}"
    pipe = run.one("fd_pipe", pid=shell)["ino0"]
    ls, wc = child_of(run, shell, "ls"), child_of(run, shell, "wc")
    for child in (ls, wc):
        run.one("proc_start", pid=child, proc_name="child")      # its fork, then its exec
        run.one("proc_exec", pid=child)
        assert not run.of("untraced", pid=child), "the preload is in its environment"
    written, read = check_stream(run, pipe, {ls}, {wc})
    assert written == read == count, f"ls wrote {written}, wc read {read}, wc printed {count}"
    run.one("out_line", pid=wc, fd=1, text=str(count))


def case_preloadable(build):
    """mp-preloadable: dynamic 0, static 1, not found 2, a script by its
    interpreter."""
    tool = os.path.join(build, "mp-preloadable")
    script = os.path.join(build, "tests", "interpose", "a-script")
    with open(script, "w") as f:
        f.write("#!/usr/bin/python3\nprint('hi')\n")
    os.chmod(script, 0o755)
    for args, status, words in (([prog("lswc")], 0, "dynamic"),
                                ([prog("static-hello")], 1, "static"),
                                ([script], 0, "/usr/bin/python3: dynamic"),
                                (["no-such-program-here"], 2, "no such program"),
                                ([], 2, "usage")):
        r = subprocess.run([tool, *args], capture_output=True, text=True, timeout=10)
        assert r.returncode == status, f"{args}: status {r.returncode}"
        assert words in r.stdout + r.stderr, f"{args}: {r.stdout}{r.stderr}"


# ---- running ------------------------------------------------------------------

BUILD = None


def prog(name):
    return os.path.join(BUILD, "tests", "interpose", name)


def main():
    global BUILD
    cases = sorted(n[5:].replace("_", "-") for n in globals() if n.startswith("case_"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("case", choices=cases)
    args = parser.parse_args()
    BUILD = os.path.abspath(args.build)
    test = globals()["case_" + args.case.replace("-", "_")]
    if args.case == "preloadable":
        test(BUILD)
    else:
        def run_in(argv, small=False, preload=True):
            run = Run(BUILD, args.case, argv, channel=SMALL if small else BIG, preload=preload)
            assert run.status == 0, f"exit status {run.status}\n{run.stderr}"
            assert small or run.lost == 0, f"LTTng lost {run.lost} events"
            return run
        test(run_in)
    print(f"interpose {args.case}: passed")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as failure:
        print(f"interpose test failed: {failure}", file=sys.stderr)
        sys.exit(1)
