"""events.tsv: the lesson's events as a table a student can grep.  From
a trace's database, the rows come as SQL hands them over (read/store.py's
tables, one query in time order): no event becomes a dict."""

from operator import itemgetter

from .read import convert
from .read.recording import EMITTER, ORIGINAL_NAMES
from .read.store import quoted

# Keys not written as key=value: said in their own columns, or not at all.
LEFT_OUT = ("ts", "name", "pid", "vtid", "site", EMITTER)


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value; then
    thread=TID for an event one of the process's own threads recorded
    (not its main thread); last, line=: the line of the program that made
    it (its site, mptrace.sites)."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    out.write("t_ms\tevent\tpid\tfields\n")
    if trace.store is None or "events" in trace.__dict__:
        found = _rows(trace.events, pids)
    elif rows_in_c(trace, pids, origin, out):
        return
    else:
        found = _sql_rows(trace.store, pids)
    rows, procs, lines = [], trace.procs, trace.sites.line
    for ts, name, pid, vtid, written, sited in found:
        if vtid is not None and vtid != pid and name != "proc_state" \
                and pid in procs:
            tid = procs[pid].thread_of(vtid, ts)
            if tid is not None:
                written += f"\tthread={tid}"
        line = lines(sited) if sited is not None else None
        if line is not None:
            written += "\tline=" + _tsv(line)
        rows.append(f"{(ts - origin) / 1e6:.3f}\t{name}\t{pid}{written}\n")
        if len(rows) >= 4096:
            out.write("".join(rows))
            rows.clear()
    out.write("".join(rows))


def _rows(events, pids):
    """(ts, name, pid, vtid, fields written, the event for its site) of
    the events of pids."""
    plans = {}          # an event's keys -> how its fields are written
    for event in events:
        pid = event.get("pid")
        if pid not in pids:
            continue
        keys = tuple(event)
        if keys not in plans:
            plans[keys] = _plan(keys)
        text, pick, tabs = plans[keys]
        written = text % pick(tuple(event.values())) if pick else text
        if "\\" in written or "\n" in written or written.count("\t") != tabs:
            written = _escaped(event)        # a text that must be escaped
        yield event["ts"], event["name"], pid, event.get("vtid"), written, \
            event


def _sql_rows(store, pids):
    """_rows of the database's events: their values as SQL hands them
    over, written as _rows writes them; for its site, an event made of
    its ts, pid, vpid and site alone, when it has a site."""
    plans, arms = [], []
    widest = max((len(c) for c in store.tables.values()), default=0)
    mine = ",".join(str(int(p)) for p in pids if p is not None)
    for name, columns in store.tables.items():
        keys = {key: (column, wrapped) for column, key, wrapped in columns}
        shown = [(column, key, wrapped) for column, key, wrapped in columns
                 if key not in LEFT_OUT]
        labels = [ORIGINAL_NAMES.get(key, key) for _, key, _ in shown]
        text = "".join("\t" + label.replace("%", "%%") + "=%s"
                       for label in labels)
        plans.append((name, text, len(shown), labels, text.count("\t"),
                      [i for i, (_, _, w) in enumerate(shown) if w],
                      EMITTER in keys, keys.get("site", (0, False))[1]))
        pid, vtid, site, vpid = (quoted(keys[k][0]) if k in keys else "NULL"
                                 for k in ("pid", "vtid", "site", EMITTER))
        where = f"{pid} IN ({mine})" if "pid" in keys else "0"
        if None in pids:
            where += f" OR {pid} IS NULL"
        values = [quoted(c) for c, _, _ in shown]
        values += ["NULL"] * (widest - len(values))
        arms.append(f"SELECT id, ts, {len(arms)}, {pid}, {vtid}, {site}, "
                    f"{vpid}" + "".join(", " + v for v in values)
                    + f" FROM {quoted(name)} WHERE {where}")
    if not arms:
        return
    for row in store.db.execute(" UNION ALL ".join(arms) + " ORDER BY 1"):
        name, text, n, labels, tabs, wrapped, emitter, site_wrapped = \
            plans[row[2]]
        values = row[7:7 + n]
        if wrapped:
            values = _unwrapped(values, wrapped)
        written = text % values if n else text
        if "\\" in written or "\n" in written or written.count("\t") != tabs:
            written = "".join(f"\t{label}=" + (_tsv(v) if type(v) is str
                                               else str(v))
                              for label, v in zip(labels, values))
        sited = None
        if row[5]:
            site = row[5] + (1 << 64) if site_wrapped and row[5] < 0 \
                else row[5]
            sited = {"ts": row[1], "pid": row[3], "site": site}
            if emitter:
                sited[EMITTER] = row[6]
        yield row[1], name, row[3], row[4], written, sited


def rows_in_c(trace, pids, origin, out):
    """Writes _sql_rows' rows to out as table() does, with the converter
    (mp-trace-sql --tsv, trace/sql/tsv.c: a plan of what to write on its
    stdin).  False, with nothing written, if it could not: no converter,
    or a value C would write otherwise than Python (a real)."""
    if convert.program() is None:
        return False
    plan = _plan_c(trace, pids, origin)
    return plan is not None and \
        convert.write_answer(trace.store, "--tsv", plan, out)


def _plan_c(trace, pids, origin):
    """tsv.c's plan (its comment says the lines) for _sql_rows' rows:
    the same SELECTs, each table's own in time order; None if a name
    would not fit in it."""
    store, lines = trace.store, [f"origin\t{origin}"]
    sites = {}          # (pid, site) -> the site as stored (tsv.c's key)
    mine = ",".join(str(int(p)) for p in pids if p is not None)
    for name, columns in store.tables.items():
        keys = {key: (column, wrapped) for column, key, wrapped in columns}
        shown = [(column, key, wrapped) for column, key, wrapped in columns
                 if key not in LEFT_OUT]
        pid, vtid, site, vpid = (quoted(keys[k][0]) if k in keys else "NULL"
                                 for k in ("pid", "vtid", "site", EMITTER))
        where = f"{pid} IN ({mine})" if "pid" in keys else "0"
        if None in pids:
            where += f" OR {pid} IS NULL"
        lines.append(f"table\t{name}\t{int(EMITTER in keys)}\tSELECT id, "
                     f"ts, {pid}, {vtid}, {site}, {vpid}"
                     + "".join(f", {quoted(c)}" for c, _, _ in shown)
                     + f" FROM {quoted(name)} WHERE {where} ORDER BY id")
        lines += [f"column\t{ORIGINAL_NAMES.get(key, key)}\t{int(wrapped)}"
                  for _, key, wrapped in shown]
        who = vpid if EMITTER in keys else pid
        if "site" in keys:
            for pid_, kept in store.db.execute(
                    f"SELECT DISTINCT {who}, {site} FROM {quoted(name)} "
                    f"WHERE ({where}) AND {site} AND {who} IS NOT NULL"):
                wrapped = keys["site"][1] and kept < 0
                sites[pid_, kept + (1 << 64) if wrapped else kept] = kept
    for (pid, site), found in trace.sites.lines_from(sites).items():
        lines += [f"line\t{pid}\t{sites[pid, site]}\t{ts}"
                  + ("" if line is None else "\t" + _tsv(line))
                  for ts, line in found]
    lines += [f"thread\t{pid}\t{t.tid}\t{t.start_ts}\t"
              + ("" if t.end_ts is None else str(t.end_ts))
              for pid, proc in trace.procs.items() for t in proc.threads]
    tabs = {"table": 3, "column": 2}
    if any("\n" in line or line.count("\t") != tabs[line[:line.index("\t")]]
           for line in lines if line.startswith(("table\t", "column\t"))):
        return None
    return "\n".join(lines) + "\n"


def _unwrapped(values, places):
    """values, the unsigned ones stored as value - 2^64 made whole."""
    values = list(values)
    for i in places:
        if isinstance(values[i], int) and values[i] < 0:
            values[i] += 1 << 64
    return tuple(values)


def fields(trace, event):
    """An event's fields as ["key=value"], as events.tsv writes them (the
    timeline's hover shows them so too)."""
    out = [f"{ORIGINAL_NAMES.get(key, key)}="
           + (_tsv(value) if type(value) is str else str(value))
           for key, value in event.items() if key not in LEFT_OUT]
    tid = thread(trace, event)
    if tid is not None:
        out.append(f"thread={tid}")
    line = trace.sites.line(event)
    if line is not None:
        out.append(f"line={_tsv(line)}")
    return out


def thread(trace, event):
    """The tid of the process's own thread that recorded the event, None
    for its main thread (or a watcher's proc_state)."""
    return thread_at(trace, event["name"], event["ts"], event.get("pid"),
                     event.get("vtid"))


def thread_at(trace, name, ts, pid, vtid):
    """thread() of an event of this name, ts, pid and vtid."""
    if vtid is None or vtid == pid or name == "proc_state" \
            or pid not in trace.procs:
        return None
    return trace.procs[pid].thread_of(vtid, ts)


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
