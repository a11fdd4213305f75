"""events.tsv: the lesson's events as a table a student can grep.  From
a trace's database, the rows come as SQL hands them over (read/store.py's
tables, one query in time order): no event becomes a dict."""

from operator import itemgetter

from .read.recording import EMITTER, ORIGINAL_NAMES
from .read.store import quoted

# Keys not written as key=value: said in their own columns, or not at all.
LEFT_OUT = ("ts", "name", "pid", "vtid", EMITTER)


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value; last,
    thread=TID for an event one of the process's own threads recorded
    (not its main thread)."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    out.write("t_ms\tevent\tpid\tfields\n")
    if trace.store is None or "events" in trace.__dict__:
        rows = _rows(trace.events, pids)
    else:
        rows = _sql_rows(trace.store, pids)
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
    """_rows of the database's events: their values as SQL hands them
    over (no dict made), written as _rows writes them."""
    plans, arms = {}, []
    widest = max((len(c) for c in store.tables.values()), default=0)
    mine = ",".join(str(int(p)) for p in pids if p is not None)
    for name, columns in store.tables.items():
        keys = {key: column for column, key, _ in columns}
        shown = [(column, key, wrapped) for column, key, wrapped in columns
                 if key not in LEFT_OUT]
        labels = [ORIGINAL_NAMES.get(key, key) for _, key, _ in shown]
        text = "".join("\t" + label.replace("%", "%%") + "=%s"
                       for label in labels)
        plans[name] = (name, text, len(shown), labels, text.count("\t"),
                       [i for i, (_, _, w) in enumerate(shown) if w])
        pid = quoted(keys["pid"]) if "pid" in keys else "NULL"
        vtid = quoted(keys["vtid"]) if "vtid" in keys else "NULL"
        where = f"{pid} IN ({mine})" if "pid" in keys else "0"
        if None in pids:
            where += f" OR {pid} IS NULL"
        values = [quoted(c) for c, _, _ in shown]
        values += ["NULL"] * (widest - len(values))
        arms.append(f"SELECT id, ts, {len(arms)}, {pid}, {vtid}"
                    + "".join(", " + v for v in values)
                    + f" FROM {quoted(name)} WHERE {where}")
    if not arms:
        return
    plans = list(plans.values())    # a row's third value: its table's
    for row in store.db.execute(" UNION ALL ".join(arms) + " ORDER BY 1"):
        name, text, n, labels, tabs, wrapped = plans[row[2]]
        values = row[5:5 + n]
        if wrapped:
            values = _unwrapped(values, wrapped)
        fields = text % values if n else text
        if "\\" in fields or "\n" in fields or fields.count("\t") != tabs:
            fields = "".join(f"\t{label}=" + (_tsv(v) if type(v) is str
                                              else str(v))
                             for label, v in zip(labels, values))
        yield row[1], name, row[3], row[4], fields


def _unwrapped(values, places):
    """values, the unsigned ones stored as value - 2^64 made whole."""
    values = list(values)
    for i in places:
        if isinstance(values[i], int) and values[i] < 0:
            values[i] += 1 << 64
    return tuple(values)


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
