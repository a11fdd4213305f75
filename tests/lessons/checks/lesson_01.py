"""Lesson 1 (fork): the checks of its output and its trace."""

from lessonrun import match


def output(run):
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


def trace(run, facts):
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
