"""Lesson 4 (pipes): the checks of its output and its trace."""


def output(run):
    lines = [l for l in run.lines if l]
    i1 = lines.index("== 1. Duplex Pipe(): both ends send and receive")
    assert sorted(lines[i1 + 1:i1 + 3]) == ["child  received: Hello, child!",
                                            "parent received: Hello, parent!"]
    i2 = lines.index("== 2. One-way Pipe(duplex=False): r only receives, w only sends")
    assert lines[i2 + 1:i2 + 5] == ["parent received: 10", "parent received: 20",
                                    "parent received: 30",
                                    "parent: send on the receiving end r: Bad file descriptor (refused)"]
    i3 = lines.index("== 3. End of file: every sending end closed, in every process")
    assert lines[i3 + 2:i3 + 5] == [f"parent received: message {i}" for i in range(3)]
    assert lines[i3 + 5].startswith("parent: nothing within 0.2 s, and no end of file")
    assert lines[-1] == "parent: recv: end of file (EPIPE; Python raises EOFError)"
    return {}


def trace(run, facts):
    main = run.trace.main
    sends = run.events("msg_send")
    # Every message sent arrived intact (same size), at another process.
    assert len(sends) == 2 + 3 + 3
    run.yes("messages-once")
    assert all(m.receiver != m.sender for m in run.trace.messages
               if m.sender in run.ask.pids)
    # Both directions in part 1.
    assert any(e["pid"] == main for e in sends) and any(e["pid"] != main for e in sends)
    assert sum(1 for e in sends if e["pid"] == main) == 1
    # End of file, seen by main after it closed its own sending end.
    assert len(run.events("chan_eof", pid=main)) == 1
