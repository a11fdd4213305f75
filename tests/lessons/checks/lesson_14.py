"""Lesson 14 (three ways to get results back): the checks of its output and
its trace."""

from lessonrun import match


def output(run):
    lines = run.lines
    one, two, three = (lines.index(l) for l in (
        "1. A Queue: 4 processes each put their result",
        "2. A Pool(4): 10 tasks; get() in submit order",
        "3. A Manager's dict: 5 processes each set one key"))
    got = [match(r"   got (Process-\d+): (\d) \* \2 = (\d+)", l) for l in lines[one + 1:two]]
    assert sorted(int(m[2]) for m in got) == [1, 2, 3, 4]
    assert all(int(m[3]) == int(m[2]) ** 2 for m in got)
    pool = lines[two + 1:three]
    assert sorted(l for l in pool if l.startswith("   hello ")) == \
        sorted(f"   hello {i}" for i in range(10))
    # The results come in submit order, whatever order the tasks ran in.
    assert [l for l in pool if l.startswith("   done ")] == [f"   done hello {i}" for i in range(10)]
    assert pool[-1] == "   Sub-process(es) done."
    part3 = lines[three + 1:]
    assert sorted(part3[:-1]) == [f"   {i} represent!" for i in range(5)]
    assert part3[-1] == "   return_dict.values(): [0, 1, 2, 3, 4]"
    return {"queue_senders": {m[1] for m in got}}


def trace(run, facts):
    run.yes("messages-once")
    run.yes("tasks-once")
    run.yes("max-concurrent-tasks", 4)
    # 1: each of the four children put one message, and the parent got all.
    main = run.trace.main
    names = {p.pid: p.name for p in run.lanes}
    sent = [m for m in run.trace.messages if m.sender in names and m.receiver == main]
    assert sorted(names[m.sender] for m in sent) == sorted(facts["queue_senders"])
    # 2: ten tasks on four workers, submitted by the parent.
    tasks = [t for t in run.trace.tasks if t.worker in names]
    assert len(tasks) == 10 and all(t.submitter == main for t in tasks)
    assert len({t.worker for t in tasks}) <= 4
    # 3: each of the five set its key through the manager.
    sets = [e for e in run.events("mgr_request") if e["op"] == "set"]
    assert sorted(e["key"] for e in sets) == [str(i) for i in range(5)]
    assert len({e["pid"] for e in sets}) == 5 and main not in {e["pid"] for e in sets}
