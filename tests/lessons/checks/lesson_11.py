"""Lesson 11 (a bounded queue): the checks of its output and its trace."""

from lessonrun import match


def output(run):
    lines = run.lines
    assert lines[0] == "q = Queue(20): empty() is True, qsize() is 0"
    assert lines[1] == "get(timeout=0) on the empty queue: Empty, at once"
    produced = [match(r"produce product: (\d+) \(queue size (\d+)\)", l) for l in lines
                if l.startswith("produce")]
    consumed = [int(match(r"consume product: (\d+)", l)[1]) for l in lines
                if l.startswith("consume product")]
    squares = [i * i for i in range(30)]
    assert [int(m[1]) for m in produced] == squares
    assert consumed == squares, "lost, duplicated or reordered"
    assert all(1 <= int(m[2]) <= 20 for m in produced)
    assert "queue is full (20): put() waits for room" in lines
    match(r"done: 30 products made and consumed; empty\(\) is True "
          r"\((seed \d+|durations given)\)", lines[-1])
    return {}


def trace(run, facts):
    by_name = {p.name: p for p in run.lanes}
    producer, consumer = by_name["producer"].pid, by_name["consumer"].pid
    # put blocks at capacity: the producer waited on the full queue.
    assert run.events("chan_block", pid=producer, op="put"), "no put ever waited"
    puts = run.events("msg_send", pid=producer)
    gets = run.events("msg_recv", pid=consumer)
    # Every product got once, in order, all by the consumer.
    assert len(puts) == 31 and len(gets) == 31
    run.yes("messages-once")
    run.yes("messages-fifo")
    chan = puts[0]["chan"]
    assert chan in run.trace.channels and run.trace.channels[chan].capacity == 20
    run.yes("queue-bounded", chan)
