"""Lesson 2 (Pool(4) running 5 tasks): the checks of its output and its
trace."""

import re

from lessonrun import match


def output(run):
    lines = run.lines
    parent = int(match(r"Parent process (\d+)\.", lines[0])[1])
    assert lines[-2] == "All subprocesses done.", lines[-2:]
    match(r"\((seed \d+: run with --seed \d+|durations given: run with --durations "
          r"[\d.e+-]+(,[\d.e+-]+){4}) to get the same times again\)", lines[-1])
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
    if "--durations" in run.args:   # each task ran for the time it was given
        given = [float(d) for d in run.args[run.args.index("--durations") + 1].split(",")]
        ran = {int(m[1]): float(m[2]) for m in
               (re.fullmatch(r"Task (\d+) runs (\d+\.\d\d) seconds\.", l) for l in lines) if m}
        for i, seconds in ran.items():
            assert given[i] - 0.011 <= seconds, f"task {i} ran {seconds} s, given {given[i]}"
    return {"parent": parent, "workers": workers, "pids": runs}


def trace(run, facts):
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
