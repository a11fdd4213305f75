"""events.tsv: the lesson's events as a table a student can grep.  From
a trace's database, each line's fields are written by SQL (read/store.py's
tables), and no event becomes a dict."""

from operator import itemgetter

from .read.recording import EMITTER, ORIGINAL_NAMES
from .read.store import quoted

# Keys not written as key=value: said in their own columns, or not at all.
LEFT_OUT = ("ts", "name", "pid", "vtid", EMITTER)
# The columns' SQL types whose values SQL writes as Python's str() does;
# a text escaped as _tsv() does.
SQL_TEXTS = ("INTEGER", "UNSIGNED BIG INT", "TEXT")
ESCAPED = ("replace(replace(replace(%s, '\\', '\\\\'), char(9), '\\t'), "
           "char(10), '\\n')")


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value; last,
    thread=TID for an event one of the process's own threads recorded
    (not its main thread)."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    out.write("t_ms\tevent\tpid\tfields\n")
    rows = None if trace.store is None or "events" in trace.__dict__ \
        else _sql_rows(trace.store, pids)
    if rows is None:
        rows = _rows(trace.events, pids)
    procs, lines = trace.procs, []
    for ts, name, pid, vtid, fields in rows:
        if vtid is not None and vtid != pid and name != "proc_state" \
                and pid in procs:
            tid = procs[pid].thread_of(vtid, ts)
            if tid is not None:
                fields += f"\tthread={tid}"
        lines.append(f"{(ts - origin) / 1e6:.3f}\t{name}\t{pid}{fields}\n")
        if len(lines) >= 4096:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


def _rows(events, pids):
    """(ts, name, pid, vtid, fields) of the events of pids."""
    plans = {}          # an event's keys -> how its fields are written
    for event in events:
        pid = event.get("pid")
        if pid not in pids:
            continue
        keys = tuple(event)
        if keys not in plans:
            plans[keys] = _plan(keys)
        text, pick, tabs = plans[keys]
        fields = text % pick(tuple(event.values())) if pick else text
        if "\\" in fields or "\n" in fields or fields.count("\t") != tabs:
            fields = _escaped(event)        # a text that must be escaped
        yield event["ts"], event["name"], pid, event.get("vtid"), fields


def _sql_rows(store, pids):
    """_rows of the database's events, the fields written by SQL; None if
    a column holds what SQL would write otherwise than Python (a real,
    an unsigned value past 2^63, values of two types)."""
    arms = []
    for name, columns in store.tables.items():
        keys = {key: column for column, key, _ in columns}
        fields = []
        for column, key, wrapped in columns:
            if key in LEFT_OUT:
                continue
            sql_type, mixed = store.types[name, key]
            if wrapped or mixed or sql_type not in SQL_TEXTS:
                return None
            value = quoted(column)
            if sql_type == "TEXT":
                value = ESCAPED % value
            label = ORIGINAL_NAMES.get(key, key).replace("'", "''")
            fields.append(f"'\t{label}=' || ifnull({value}, 'None')")
        pid = quoted(keys["pid"]) if "pid" in keys else "NULL"
        vtid = quoted(keys["vtid"]) if "vtid" in keys else "NULL"
        mine = ",".join(str(int(p)) for p in pids if p is not None)
        where = f"{pid} IN ({mine})" if "pid" in keys else "0"
        if None in pids:
            where += f" OR {pid} IS NULL"
        arms.append(f"SELECT id, ts, '{name.replace(chr(39), chr(39) * 2)}'"
                    f", {pid}, {vtid}, {' || '.join(fields) or chr(39) * 2}"
                    f" FROM {quoted(name)} WHERE {where}")
    if not arms:
        return iter(())
    rows = store.db.execute(" UNION ALL ".join(arms) + " ORDER BY 1")
    return (row[1:] for row in rows)


def _plan(keys):
    """(the fields of an event with these keys as a %-format, what picks
    their values from the event's values, the tabs the format holds):
    written so when no text among the values holds a tab, a newline or a
    backslash."""
    places = [i for i, key in enumerate(keys) if key not in LEFT_OUT]
    text = "".join("\t" + ORIGINAL_NAMES.get(keys[i], keys[i])
                   .replace("%", "%%") + "=%s" for i in places)
    pick = itemgetter(*places) if len(places) > 1 else \
        (lambda values: (values[places[0]],)) if places else None
    return text, pick, text.count("\t")


def _escaped(event):
    """The fields of the event, each text escaped: \\\\, \\t, \\n."""
    return "".join(f"\t{ORIGINAL_NAMES.get(key, key)}="
                   + (_tsv(value) if type(value) is str else str(value))
                   for key, value in event.items() if key not in LEFT_OUT)


def _tsv(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t") \
        .replace("\n", "\\n")
