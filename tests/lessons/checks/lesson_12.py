"""Lesson 12 (a joinable queue, consumers and poison pills): the checks of
its output and its trace."""

import os
import re

from lessonrun import match


def output(run):
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


def trace(run, facts):
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
