"""Lesson 10 (daemons): the checks of its output and its trace."""

from lessonrun import match


def output(run):
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


def trace(run, facts):
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
