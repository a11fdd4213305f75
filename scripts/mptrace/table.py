"""events.tsv: the lesson's events as a table a student can grep."""

from operator import itemgetter

from .read.recording import EMITTER, ORIGINAL_NAMES

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
    plans = {}          # an event's keys -> how its fields are written
    rows = []
    lines = trace.sites.line
    for event in trace.events:
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
        name = event["name"]
        tid = thread(trace, event)
        if tid is not None:
            written += f"\tthread={tid}"
        line = lines(event)
        if line is not None:
            written += "\tline=" + _tsv(line)
        rows.append(f"{(event['ts'] - origin) / 1e6:.3f}\t{name}\t{pid}"
                    f"{written}\n")
        if len(rows) >= 4096:
            out.write("".join(rows))
            rows.clear()
    out.write("".join(rows))


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
    vtid, pid = event.get("vtid"), event.get("pid")
    if vtid is None or vtid == pid or event["name"] == "proc_state" \
            or pid not in trace.procs:
        return None
    return trace.procs[pid].thread_of(vtid, event["ts"])


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
