"""Lesson 5 (a race on a manager dict, and the lock): the checks of its
output and its trace."""

from lessonrun import match


def output(run):
    lines = [l for l in run.lines if l]
    m = match(r"Manager \(pid (\d+)\) holds \{'count': (\d+)\}; (\d+) processes each do "
              r"d\[\"count\"\] -= 1(, a get then a set)?\.", lines[0])
    manager, start, n = int(m[1]), int(m[2]), int(m[3])
    window = 0
    if lines[1].startswith("Each sleeps"):
        window = int(match(r"Each sleeps (\d+) ms between its get and its set\.", lines[1])[1])
    results = {}
    for l in lines[1 + (window > 0):]:
        r = match(r"(Without a lock:|With a lock:   ) \{'count': (\d+)\}  "
                  r"\(should be (\d+): (\d+) updates? lost\)", l)
        count, should, lost = int(r[2]), int(r[3]), int(r[4])
        assert should == start - n and lost == count - should
        results["locked" if r[1].startswith("With ") else "unlocked"] = count
    assert results, "no result printed"
    if "locked" in results:
        assert results["locked"] == start - n, f"locked count {results['locked']}"
    if "unlocked" in results:
        # A decrement can be lost, never doubled.
        assert start - n <= results["unlocked"] <= start - 1
        if window >= 2 and n >= 2:
            assert results["unlocked"] > start - n, "the widened window lost nothing"
    return {"manager": manager, "n": n, "start": start, "results": results}


def trace(run, facts):
    main, n = run.trace.main, facts["n"]
    workers = [p for p in run.lanes if p.pid not in (main, facts["manager"], run.trace.runner)]
    assert len(workers) == n * len(facts["results"]), f"{len(workers)} workers"
    assert run.procs[facts["manager"]].name.startswith("SyncManager")
    for p in workers:
        assert p.parent == main and p.exitcode == 0
        ops = [e["op"] for e in run.events("mgr_request", pid=p.pid)]
        assert ops == ["get", "set"], f"{p.name}: requests {ops}"
        replies = run.events("mgr_reply", pid=p.pid)
        assert [r["status"] for r in replies] == [0, 0]
    # Each request answered after it was made, by request id.
    requests = {e["req"]: e for e in run.events("mgr_request")}
    for r in run.events("mgr_reply"):
        assert r["req"] in requests and requests[r["req"]]["ts"] <= r["ts"]
    # The locked run: one hold per worker, and no two holds overlap.
    holds, held = [], {}
    for e in run.trace.lesson_events:   # not another run's, recorded beside
        if e["name"] == "lock_acquire":
            assert e["arg"] == 0, "an owner died?"
            held[e["pid"]] = e["ts"]
        elif e["name"] == "lock_release":
            holds.append((held.pop(e["pid"]), e["ts"], e["pid"]))
    assert not held, "a lock never released"
    if "locked" in facts["results"]:
        assert len(holds) == n, f"{len(holds)} lock holds"
        holds.sort()
        for a, b in zip(holds, holds[1:]):
            assert a[1] <= b[0], f"holds of {a[2]} and {b[2]} overlap"
        # Each holder's get and set sit inside its hold; the sets count down.
        sets = []
        for start, end, pid in holds:
            reqs = run.events("mgr_request", pid=pid)
            assert all(start <= e["ts"] <= end for e in reqs)
            sets.append(int(reqs[-1]["value"]))
        assert sets == list(range(facts["start"] - 1, facts["start"] - n - 1, -1)), sets
    else:
        assert not holds
