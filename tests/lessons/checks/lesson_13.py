"""Lesson 13 (an event): the checks of its output and its trace."""


def output(run):
    lines = run.lines
    assert lines.index("wait_for_event_timeout: gave up after 0.5 s") < \
        lines.index("main: calling Event.set()")
    assert "wait_for_event_timeout: e.is_set()-> False" in lines
    assert lines.index("main: calling Event.set()") < \
        lines.index("wait_for_event: e.is_set()-> True")
    return {}


def trace(run, facts):
    by_name = {p.name: p for p in run.lanes}
    block, nonblock = by_name["block"].pid, by_name["nonblock"].pid
    sets = run.events("event_set", pid=run.trace.main)
    assert len(sets) == 1
    timed = run.events("event_woke", pid=nonblock)
    woken = run.events("event_woke", pid=block)
    # The timed waiter reports not set, before the set; the other, set, after it.
    assert len(timed) == 1 and len(woken) == 1
    run.yes("event-wait", nonblock, "timeout")
    run.yes("event-wait", block, "set")
    # It waited its 0.5 s and gave up before the set: no upper bound in
    # time, which a loaded machine's late wake-up could pass.
    waited = run.events("event_wait", pid=nonblock)
    assert waited and 0.45e9 <= timed[0]["ts"] - waited[0]["ts"]
    assert timed[0]["ts"] < sets[0]["ts"]
