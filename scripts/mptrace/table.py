"""events.tsv: the lesson's events as a table a student can grep."""

from operator import itemgetter

from .read.recording import EMITTER, ORIGINAL_NAMES

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
    plans = {}          # an event's keys -> how its fields are written
    rows = []
    for event in trace.events:
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
        vtid, name = event.get("vtid"), event["name"]
        if vtid is not None and vtid != pid and name != "proc_state" \
                and pid in trace.procs:
            tid = trace.procs[pid].thread_of(vtid, event["ts"])
            if tid is not None:
                fields += f"\tthread={tid}"
        rows.append(f"{(event['ts'] - origin) / 1e6:.3f}\t{name}\t{pid}"
                    f"{fields}\n")
        if len(rows) >= 4096:
            out.write("".join(rows))
            rows.clear()
    out.write("".join(rows))


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
