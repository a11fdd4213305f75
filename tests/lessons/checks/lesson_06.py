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
    assert reap[0]["ts"] - exit_ts > (linger - 5) * 1e6, "the zombie lived too short"
