"""Lesson 17 (a master and workers over TCP with an authkey): the checks of
its output and its trace."""

import re

from lessonrun import match


def output(run):
    lines = [l for l in run.lines if l]
    address = match(r"master: serving task_queue and result_queue on (127\.0\.0\.1:\d+), "
                    r"authkey b'abc'\.", lines[0])[1]
    tasks = [int(match(r"master: put task (\d+)\.\.\.", l)[1])
             for l in lines if l.startswith("master: put task")]
    results = [l for l in lines if l.startswith("master: result:")]
    assert len(tasks) == 10 and len(results) == 10
    got = sorted(int(match(r"master: result: (\d+) \* (\d+) = (\d+)", l)[1]) for l in results)
    for l in results:
        m = match(r"master: result: (\d+) \* (\d+) = (\d+)", l)
        assert m[1] == m[2] and int(m[3]) == int(m[1]) ** 2, f"wrong: {l}"
    assert got == sorted(tasks), "results do not match the tasks, one each"
    assert "intruder: connect with authkey b'wrong': refused (EACCES: wrong authkey)" in lines
    # A frame sent after the server hung up on the connection fails, and
    # how many do depends on the machine's load (104 of 200 went through
    # in one run, 200 in another): each connection's first frame always
    # goes through, and the vandal hangs up after about one frame in four.
    vandal = match(r"vandal: sent (\d+) random frames over (\d+) connections\.",
                   next(l for l in lines if l.startswith("vandal:")))
    sent, conns = int(vandal[1]), int(vandal[2])
    assert sent >= conns >= 20, f"vandal: {sent} frames over {conns} connections"
    ran = [l for l in lines if re.fullmatch(r"worker-\d: run task \d+ \* \d+\.\.\.", l)]
    assert len(ran) == 10
    for w in ("worker-1", "worker-2"):
        assert f"{w}: connect to server {address}..." in lines
        assert lines.index(f"{w}: task queue is empty.") < lines.index(f"{w}: worker exit.")
    assert lines[-1] == "master exit."
    return {"tasks": tasks}


def trace(run, facts):
    main = run.trace.main
    names = {p.name: p for p in run.lanes}
    for n in ("SyncManager-1", "intruder", "vandal", "worker-1", "worker-2"):
        assert n in names, f"no lane {n}: {list(names)}"
        assert names[n].parent == main and names[n].exitcode == 0
    server = names["SyncManager-1"]
    refused = [e for e in run.events("mark", pid=server.pid) if "refused" in e["text"]]
    assert refused and f"says pid {names['intruder'].pid})" in refused[0]["text"]
    # Every task: a put by the master and one get by a worker, the same
    # message; every result back the other way.
    workers = {names["worker-1"].pid, names["worker-2"].pid}
    sends = {e["msg"]: e for e in run.events("msg_send", op="put")}
    recvs = run.events("msg_recv", op="get")
    assert len(sends) == 20 and len(recvs) == 20
    for r in recvs:
        s = sends[r["msg"]]
        assert s["ts"] <= r["ts"] and s["chan"] == r["chan"]
        assert (s["pid"], r["pid"] in workers) in ((main, True),) or \
            (s["pid"] in workers and r["pid"] == main)
    # Every manager request of the lesson's processes was answered.
    replies = {e["req"] for e in run.events("mgr_reply")}
    assert all(e["req"] in replies for e in run.events("mgr_request"))
