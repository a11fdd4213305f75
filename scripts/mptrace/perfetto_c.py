"""trace-json's messages written by the converter (mp-trace-sql
--json-messages, trace/sql/json.c) from the trace's database: the same
text Export.message_texts makes (its definition, and the way without the
converter), at C's speed; a million messages took Python seconds."""

import json
import sqlite3

from .read import convert

RECEIVED = {"put": "get", "send": "recv"}     # the receiving end's op


def sent(op, size, failed):
    """The name of a message's sending end."""
    return f"{op} {size} B" + (" (failed)" if failed else "")


def received(op, size):
    """The name of a message's receiving end."""
    return f"{RECEIVED.get(op, op)} {size} B"


def messages_c(export):
    """Writes export's messages (Export.messages) with the converter; its
    flows counted and tracks used as Export.message_texts would.  False,
    with nothing written, if it could not (no database or converter, or
    what C would write otherwise)."""
    trace, program = export.trace, convert.program()
    if trace.store is None or program is None or \
            "messages" in trace.__dict__:
        return False
    export.flush()                  # what comes before: written first
    plan, ends, flows = _plan(export, trace.store.db)
    if plan is None:
        return False
    if not convert.write_answer(trace.store, "--json-messages", plan,
                                export.file):
        return False
    for pid in ends:
        export.tid(pid, "messages")
    export.flow_id += flows
    export.written = export.written or bool(ends)
    return True


def _plan(export, db):
    """(json.c's plan, the lesson's pids with an end of a message, how many
    arrows), or (None, ...) if the database cannot say."""
    pids = sorted(p for p in export.pids if p is not None)
    listed = ",".join(str(int(p)) for p in pids)
    failed = "coalesce(CAST(failed AS TEXT), '') = '1'"
    try:
        names = db.execute(f"SELECT DISTINCT op, size, {failed} "
                           "FROM messages").fetchall()
        ends = sorted(pid for pid, in db.execute(
            f"SELECT sender FROM messages WHERE sender IN ({listed}) UNION "
            f"SELECT receiver FROM messages WHERE receiver IN ({listed})"))
        flows, = db.execute(
            f"SELECT count(*) FROM messages WHERE sender IN ({listed}) AND "
            f"receiver IN ({listed}) AND NOT {failed}").fetchone()
    except sqlite3.Error:
        return None, (), 0
    lines = [f"origin\t{export.origin}", f"comma\t{int(export.written)}",
             f"flows\t{export.flow_id}"]
    lines += [f"pid\t{pid}\t{pid + export.tid_offset('messages')}"
              for pid in pids]
    for op, size, fails in names:
        if not isinstance(op, str) or "\t" in op or "\n" in op or \
                not isinstance(size, int):
            return None, (), 0
        lines.append(f"name\t{op}\t{size}\t{int(fails)}\t"
                     f"{json.dumps(sent(op, size, fails))}\t"
                     f"{json.dumps(received(op, size))}")
    return "\n".join(lines) + "\n", ends, flows
