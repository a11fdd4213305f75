"""Lesson 7 (an orphan): the checks of its output and its trace."""

from lessonrun import match


def output(run):
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


def trace(run, facts):
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
