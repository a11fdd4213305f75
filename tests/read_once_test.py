#!/usr/bin/python3
"""read_once_test.py - a trace read once into its database (scripts/mptrace/
read/cache.py) gives the answers the direct read gives, and never a stale
or damaged one.

usage: tests/read_once_test.py same|cache|fuzz

  same   on every trace under tests/traces/: the events, every
         trace-check question of questions.tsv, the timeline's
         timeline.gp, its hover data (timeline.html's), events.tsv and
         trace.json, byte for byte the same read directly (babeltrace2's
         bindings), converted
         (mp-trace-sql, the first tool) and from the database (the tools
         after it); a no that SQL would have answered yes to is left to
         the events (check/bysql.py)
  cache  the scripts as a student runs them: the trace is converted once
         (and never read with the bindings) and read from its database
         after; a stream file changed, the
         trace replaced by another, the converter changed, the database
         cut, flipped, edited or not a database: converted again, the
         answer right; a trace past MP_TRACE_MAX_EVENTS: a clear error
  fuzz   traces with bytes flipped or cut: the converted read answers
         where the direct read does, the same, and fails where it fails

Debian's /usr/bin/python3 (babeltrace2's bindings).  MP_TRACE_SQL names the
converter (ctest gives this build's); exit 77 (skipped) without one.
"""
import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import mptrace
import read_once_c
from mptrace import draw
from mptrace.check import Checker, bysql
from mptrace.errors import TraceError, UsageError
from mptrace.perfetto import Export
from mptrace.perfetto_c import messages_c
from mptrace.read import convert, parts
from mptrace.read.store import Store
from mptrace.trace import Trace
from mptrace.table import rows_in_c, table

HERE = os.path.dirname(os.path.abspath(__file__))
TRACES = os.path.join(HERE, "traces")
SCRIPTS = os.path.join(os.path.dirname(HERE), "scripts")
sys.path.insert(0, HERE)
from traces_test import questions        # noqa: E402  (tests/ is not a package)
from fuzz_test import mutate_bytes       # noqa: E402


def load(path, how, cache_dir):
    """The Trace at path read `how`: "direct" (the bindings), "converted"
    (a database made now: the first tool, its parts computed from it) or
    "stored" (that database, opened again: its parts loaded)."""
    os.environ["MP_TRACE_SQL"] = "none" if how == "direct" else CONVERTER
    os.environ["MP_TRACE_CACHE"] = cache_dir
    mine = os.path.basename(path) + "-"     # cache.py's name for its database
    made = os.path.isdir(cache_dir) and any(
        name.startswith(mine) for name in os.listdir(cache_dir))
    trace = mptrace.load(path)
    stored = trace.store is not None
    if path.endswith(".json"):
        return trace
    if stored != (how != "direct") or bool(made) != (how == "stored"):
        raise AssertionError(f"{path}: read {how}, but the store is "
                             f"{stored}, a database was there: {bool(made)}")
    return trace


def outputs(trace, path, asked):
    """Everything the tools make of trace, as text."""
    said = {}
    # trace.json first, as its own tool makes it: with the messages not
    # read yet, the converter writes them from the database.
    doc = io.StringIO()
    Export(trace).write(doc)
    said["trace.json"] = doc.getvalue()
    if trace.lanes:         # as the tools, before a check reads events
        made = draw.layout(trace, "t", path)
        said["timeline.gp"] = made.text
        said["hover"] = json.dumps(draw.hover(made, trace).data())
        tsv = io.StringIO()
        table(trace, tsv)
        said["events.tsv"] = tsv.getvalue()
    checker = Checker(trace)
    for question in asked:
        try:
            said[question] = str(checker(*question.split()))
        except UsageError as error:
            said[question] = f"usage: {error}"
    said["events"] = repr([list(e.items()) for e in trace.events])
    return said


def same(tmp):
    """Problems: a trace whose three reads differ."""
    asked = {}
    for trace, question, _, _ in questions():
        asked.setdefault(trace, []).append(question)
    problems = []
    for name in sorted(os.listdir(TRACES)):
        path = os.path.join(TRACES, name)
        if not (os.path.isdir(path) or name.endswith(".json")):
            continue
        cache_dir = os.path.join(tmp, "cache-" + name)
        said = {}
        for how in ("direct", "converted", "stored"):
            trace = load(path, how, cache_dir)
            said[how] = outputs(trace, path,
                                asked.get(name, []) + ["lost-events"])
            if how == "stored" and trace.store is not None:
                kept = {part for part, in trace.store.db.execute(
                    "SELECT part FROM parts")}
                if kept != set(parts.PARTS):
                    problems.append(f"{name}: parts not kept: "
                                    f"{sorted(set(parts.PARTS) - kept)}")
                problems += in_c(name, load(path, how, cache_dir))
        for how in ("converted", "stored"):
            for what, text in said["direct"].items():
                if said[how][what] != text:
                    problems.append(f"{name}: {what} {how} differs from "
                                    "the direct read")
        print(f"{name}: {len(said['direct'])} outputs compared")
    return problems + sql_no(os.path.join(tmp, "cache-lesson-4"))


def in_c(name, trace):
    """Problems: the converter did not write the messages of trace-json
    or the rows of events.tsv from the trace's database (Python would
    have, and the outputs compared would not show it)."""
    export = Export(trace)
    export.file = io.StringIO()
    problems = []
    if not messages_c(export):
        problems.append(f"{name}: mp-trace-sql --json-messages failed")
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    if trace.lanes and not rows_in_c(trace, pids, trace.t0 or 0,
                                     io.StringIO()):
        problems.append(f"{name}: mp-trace-sql --tsv failed")
    return problems + read_once_c.problems(name, trace)


def sql_no(cache_dir):
    """Problems: messages-once answered in SQL (check/bysql.py) where a
    message was lost: it must leave the no, and its evidence, to the
    events."""
    made = [n for n in os.listdir(cache_dir) if n.endswith(".sqlite")]
    if len(made) != 1:
        return [f"{cache_dir}: {len(made)} databases, wanted 1"]
    copy = os.path.join(cache_dir, "lost-one.db")
    shutil.copy(os.path.join(cache_dir, made[0]), copy)
    db = sqlite3.connect(copy, isolation_level=None,
                         detect_types=sqlite3.PARSE_DECLTYPES)
    trace = Trace(None, 0, None, Store(db))
    problems = []
    if bysql.messages_once(trace) != (8, 0):
        problems.append("lesson-4: bysql.messages_once of 8 messages "
                        f"is {bysql.messages_once(trace)}")
    if bysql._counted(trace.store, trace.lesson_pids, None) is None:
        problems.append("lesson-4: no message_counts from the converter")
    # A receive the tracer lost: gone from the events, and so from the
    # converter's counts (as it would have written them).
    lost, = db.execute("SELECT msg FROM msg_recv WHERE id = (SELECT max(id) "
                       "FROM msg_recv)").fetchone()
    db.execute("DELETE FROM msg_recv WHERE id = (SELECT max(id) FROM "
               "msg_recv)")
    db.execute("UPDATE message_counts SET receives = receives - 1, "
               "recv_lo = NULL, recv_hi = NULL WHERE msg = ?", (lost,))
    trace = Trace(None, 0, None, Store(db))
    answer = str(Checker(trace)("messages-once"))
    if bysql.messages_once(trace) is not None or \
            not re.match(r"no: message 0x\w+ \w+ by .* was received 0 times",
                         answer):
        problems.append(f"lesson-4, a receive deleted: {answer}")
    print(f"lesson-4, a receive deleted: {answer}")
    return problems


# ---- the scripts as a student runs them ----

def tool(env, *args):
    r = subprocess.run([os.path.join(SCRIPTS, args[0]), *args[1:]], env=env,
                       capture_output=True, text=True)
    return r.returncode, r.stdout.strip() + r.stderr.strip()


def cache(tmp):
    """Problems with converting once and trusting the database."""
    log = os.path.join(tmp, "conversions")
    counting = os.path.join(tmp, "mp-trace-sql")
    with open(counting, "w") as f:      # the converter, counting its
        f.write(f'#!/bin/sh\n[ "$1" = --version ] && echo "${{VERSION:-'
                f'$({CONVERTER} --version)}}" && exit\n'     # conversions
                f'case "$1" in --*) exec {CONVERTER} "$@";; esac\n'
                f'echo "$@" >> {log}\nexec {CONVERTER} "$@"\n')
    os.chmod(counting, 0o755)
    fake = os.path.join(tmp, "bindings")    # babeltrace2's, never imported
    os.mkdir(fake)
    with open(os.path.join(fake, "bt2.py"), "w") as f:
        f.write('raise ImportError("the bindings were used")\n')
    env = dict(os.environ, MP_TRACE_SQL=counting, PYTHONPATH=fake + ":" +
               os.environ.get("PYTHONPATH", ""))
    env.pop("MP_TRACE_CACHE", None)     # beside the trace, as by default
    trace = os.path.join(tmp, "trace")
    shutil.copytree(os.path.join(TRACES, "lesson-4"), trace,
                    copy_function=shutil.copy2)
    problems = []

    def conversions():
        try:
            with open(log) as f:
                return len(f.readlines())
        except FileNotFoundError:
            return 0

    def expect(what, made, question, answer):
        before = conversions()
        status, said = tool(env, "trace-check", trace, *question)
        if conversions() - before != made or not re.search(answer, said):
            problems.append(f"{what}: {conversions() - before} conversions "
                            f"(wanted {made}), said {said!r}")

    expect("first tool", 1, ["messages-once"], "^yes: 8 messages")
    expect("second tool", 0, ["messages-fifo"], "8 messages from 4")
    status, _ = tool(env, "trace-json", trace, os.path.join(tmp, "t.json"))
    if status != 0 or conversions() != 1:
        problems.append(f"trace-json: exit {status}, {conversions()} "
                        "conversions in all (wanted 1)")
    stream = sorted(os.path.join(root, n) for root, _, names in os.walk(trace)
                    for n in names if n.startswith("channel0_"))[0]
    st = os.stat(stream)
    os.utime(stream, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    expect("a stream file touched", 1, ["messages-once"], "^yes: 8")
    shutil.rmtree(trace)
    shutil.copytree(os.path.join(TRACES, "lesson-11"), trace)
    expect("another trace in its place", 1, ["messages-once"],
           "^yes: 31 messages")
    db = trace + ".sqlite"
    for what, damage in DAMAGES.items():
        damage(db)
        expect(f"database {what}", 1, ["messages-once"], "^yes: 31")
        expect(f"database {what}, then made again", 0, ["messages-fifo"],
               "31 messages")
    env["VERSION"] = "mp-trace-sql 999 (format 1)"
    expect("another converter", 1, ["messages-once"], "^yes: 31")
    env["MP_TRACE_MAX_EVENTS"] = "10"
    status, said = tool(env, "trace-check", trace, "lost-events")
    if status != 2 or not re.search(r"more than the 10 .*"
                                     "MP_TRACE_MAX_EVENTS", said):
        problems.append(f"too large: exit {status}, said {said!r}")
    return problems


def _flip(db):
    with open(db, "r+b") as f:
        f.seek(os.path.getsize(db) // 2)
        byte = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([byte[0] ^ 0x20]))


def _edit(db):
    with sqlite3.connect(db) as c:
        c.execute("DELETE FROM messages WHERE rowid % 2 = 0")


DAMAGES = {
    "flipped": _flip,
    "cut": lambda db: os.truncate(db, os.path.getsize(db) // 2),
    "edited": _edit,
    "not a database": lambda db: open(db, "w").write("not a database\n"),
}


# ---- damaged traces: both reads agree where both answer ----

def fuzz(tmp, cases=24, seed=1818):
    rng = random.Random(seed)
    problems, compared = [], 0
    for case in range(cases):
        base = rng.choice(["lesson-4", "lesson-7", "lesson-13"])
        path = os.path.join(tmp, f"{case}-{base}")
        shutil.copytree(os.path.join(TRACES, base), path)
        streams = sorted(os.path.join(root, n) for root, _, names
                         in os.walk(path) for n in names
                         if n.startswith("channel0_"))
        said = mutate_bytes(rng, rng.choice(streams))
        answers = {}
        for how in ("direct", "converted"):
            try:
                answers[how] = outputs(load(path, how, os.path.join(
                    tmp, "cache")), path, ["none-outlived", "messages-once"])
            except TraceError as error:
                answers[how] = str(error)
        compared += isinstance(answers["direct"], dict)
        if isinstance(answers["direct"], dict) != \
                isinstance(answers["converted"], dict) or \
                isinstance(answers["direct"], dict) and \
                answers["converted"] != answers["direct"]:
            problems.append(f"{base}, a stream {said}: the converted read "
                            "answers otherwise")
    print(f"fuzz: {cases} damaged traces, {compared} read directly")
    return problems


CONVERTER = convert.program()


def main(argv):
    if len(argv) != 1 or argv[0] not in ("same", "cache", "fuzz"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    if CONVERTER is None:
        print("no converter (MP_TRACE_SQL): skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        problems = globals()[argv[0]](tmp)
    for p in problems:
        print(f"FAIL: {p}")
    print(f"{argv[0]}: {'ok' if not problems else 'FAILED'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
