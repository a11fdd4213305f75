"""Lesson 6 (a zombie): the checks of its output and its trace."""

from lessonrun import match


def output(run):
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


def trace(run, facts):
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
    # The parent collects it only after sleeping the whole --linger, from
    # when it said so.  (Not "exit to reap >= linger - 5 ms": under ASan on
    # a busy machine the child may end well after the sleep began.)
    sleeping = run.events("print", pid=parent,
                          text=f"Parent: sleeping {linger} ms without calling wait().")
    assert len(sleeping) == 1
    assert reap[0]["ts"] - sleeping[0]["ts"] >= linger * 1e6, "the parent slept too short"
    assert exit_ts < reap[0]["ts"], "the zombie never lived"
