"""Lesson 9 (exit codes): the checks of its output and its trace."""

import re

from lessonrun import match


EXPECTED_CODES = {"exit_ok": 0, "exit_error": 1, "raises": 1, "terminated": -15, "killed": -9}


def output(run):
    codes = {}
    for l in run.lines:
        m = re.fullmatch(r" *(\w+)\.exitcode = (-?\d+) *(\(SIG\w+\))?", l)
        if m:
            codes[m[1]] = int(m[2])
    assert codes == EXPECTED_CODES, f"exit codes {codes}"
    assert "raises: cannot open /nonexistent/settings.conf: No such file or directory" \
        in run.stderr.splitlines()
    part2 = run.lines[run.lines.index("== 2. terminate(), then join()") + 1:]
    assert part2[0] == "BEFORE:     slow_worker is_alive=False"
    assert part2[1] == "DURING:     slow_worker is_alive=True"
    match(r"TERMINATED: slow_worker is_alive=(True|False)", part2[2])   # a race
    assert part2[3] == "JOINED:     slow_worker is_alive=False exitcode=-15"
    return {}


def trace(run, facts):
    by_name = {p.name: p for p in run.lanes}
    main = run.procs[run.trace.main]
    for name, code in EXPECTED_CODES.items():
        p = by_name[name]
        run.yes("exitcode", p.pid, code)
        assert p.reaper == main.pid
        if code < 0:   # ended by a signal from the parent, no exit of its own
            assert p.exit_ts is None
            run.yes("signalled-by", p.pid, main.pid, -code)
        else:
            assert p.exit_code == code
    run.yes("exitcode", "slow_worker", -15)
