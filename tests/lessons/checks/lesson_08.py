"""Lesson 8 (the Process object): the checks of its output and its trace."""

from lessonrun import match, section


def output(run):
    lines = run.lines
    parent = int(match(r"Parent process (\d+) \(MainProcess\)\.", lines[0])[1])

    s1 = section(lines, 1)
    assert s1[0] == "Child process will start." and s1[2] == "Child process end."
    m = match(r"Run child process test \((\d+)\), my parent is (\d+)\.\.\.", s1[1])
    assert int(m[2]) == parent

    s2 = section(lines, 2)
    names = ["worker 1", "Process-4", "my_service"]   # Process-4: 4th created
    assert sorted(s2) == sorted([f"{n} {w}" for n in names for w in ("Starting", "Exiting")])
    for n in names:
        assert s2.index(f"{n} Starting") < s2.index(f"{n} Exiting")

    s3 = section(lines, 3)
    assert s3[0] == "BEFORE: Process-5 is_alive=False exitcode=None"
    assert "DURING: Process-5 is_alive=True exitcode=None" in s3
    assert s3[-1] == "JOINED: Process-5 is_alive=False exitcode=0"
    assert "Worker finished" in s3

    s4 = section(lines, 4)
    assert s4 == [f"In Process-{6 + i}: counting {10 * i}..{10 * i + 9}" for i in range(3)]
    assert section(lines, 5) == ["Doing some work"]
    for l in ("[INFO/Process-9] child process calling self.run()",
              "[INFO/Process-9] process exiting with exitcode 0",
              "[INFO/MainProcess] process shutting down"):
        assert l in run.stderr.splitlines(), f"missing log line {l!r}"
    return {"parent": parent}


def trace(run, facts):
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
