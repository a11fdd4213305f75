"""Lesson 15 (system, popen, call, run, check_output): the checks of its
output and its trace."""

from lessonrun import main_children


LESSON_15_CHILDREN = [          # (lane name, exitcode), in the order they run
    ("sh -c 'true'", 0), ("sh -c 'exit 3'", 3), ("sh -c 'kill -TERM $$'", -15),
    ("sh -c 'printf", 0), ("true", 0), ("ls /nonexistent", 2),
    ("sh -c 'echo about to fail; exit 5'", 5),
    ("sh -c 'echo to stdout; echo to stderr >&2'", 0),
    ("sh -c 'ls *.c | wc -l'", 0), ("ls '*.c' '|' wc -l", 2),
    ("no-such-program", 127),
]


def output(run):
    lines = run.lines
    for l in ('system("true") = 0: exited, code 0 (0 >> 8)',
              'system("exit 3") = 768: exited, code 3 (768 >> 8)',
              'system("kill -TERM $$") = 15: killed by signal 15 (15 & 0x7f)',
              "pclose() = 0",
              "call(['true']) = 0",
              "call(['ls', '/nonexistent']) = 2",
              "CalledProcessError: Command 'sh -c \"echo about to fail; exit 5\"' "
              "returned non-zero exit status 5.",
              "    captured stdout: about to fail",
              "    output: to stdout",
              "    output: to stderr",
              'shell line "ls *.c | wc -l"      -> returncode 0, output: 2',
              "argv ['ls','*.c','|','wc','-l'] -> returncode 2, ls looked for files named so:",
              "    stderr: ls: cannot access '*.c': No such file or directory",
              "    stderr: ls: cannot access '|': No such file or directory",
              "run(['no-such-program']) -> FileNotFoundError: [Errno 2] "
              "No such file or directory"):
        assert l in lines, f"missing {l!r}"
    assert [l for l in lines if l.startswith("read: ")] == \
        ["read: cherry", "read: banana", "read: apple"]
    assert "ls: cannot access '/nonexistent': No such file or directory" \
        in run.stderr.splitlines()
    return {}


def trace(run, facts):
    main = run.trace.main
    children = main_children(run, LESSON_15_CHILDREN)
    spawns = run.events("sub_spawn", pid=main)
    assert [s["child"] for s in spawns] == [p.pid for p in children]
    assert [s["error"] for s in spawns] == [0] * (len(children) - 1) + [2]   # ENOENT
    assert all(s["cmd"] == p.name for s, p in zip(spawns, children))
