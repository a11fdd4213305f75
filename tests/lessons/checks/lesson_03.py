"""Lesson 3 (a queue between two processes): the checks of its output and
its trace."""

from lessonrun import match


def output(run):
    lines = run.lines
    writer = int(match(r"Process to write: (\d+)", next(l for l in lines if "to write" in l))[1])
    reader = int(match(r"Process to read: (\d+)", next(l for l in lines if "to read" in l))[1])
    for v in "ABC":
        assert lines.count(f"Put {v} to queue...") == 1 and lines.count(f"Get {v} from queue.") == 1
        assert lines.index(f"Put {v} to queue...") < lines.index(f"Get {v} from queue.")
    gets = [l for l in lines if l.startswith("Get ")]
    assert gets == ["Get A from queue.", "Get B from queue.", "Get C from queue."]
    match(r"Reader ended with exitcode -15 \(SIGTERM\)\. \((seed \d+: --seed \d+|"
          r"--durations [\d.e+-]+,[\d.e+-]+,[\d.e+-]+) repeats this run\)", lines[-1])
    return {"writer": writer, "reader": reader}


def trace(run, facts):
    writer, reader = facts["writer"], facts["reader"]
    puts = run.events("msg_send", pid=writer, op="put")
    gets = run.events("msg_recv", pid=reader, op="get")
    # Every value put is got once, in order, and all by the reader.
    assert len(puts) == 3 and len(gets) == 3
    run.yes("messages-once")
    run.yes("messages-fifo")
    assert all(e["size"] == 1 for e in puts + gets)
    main = run.procs[run.trace.main]
    r = run.procs[reader]
    run.yes("exitcode", reader, -15)
    run.yes("signalled-by", reader, main.pid, 15)
    # The reader was ended only after it had taken every message.
    assert r.signals[0].ts > gets[-1]["ts"]
