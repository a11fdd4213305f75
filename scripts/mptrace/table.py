"""events.tsv: the lesson's events as a table a student can grep."""

from .read.recording import EMITTER, ORIGINAL_NAMES


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value (see
    fields)."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    out.write("t_ms\tevent\tpid\tfields\n")
    for event in trace.events:
        if event.get("pid") not in pids:
            continue
        row = [f"{(event['ts'] - origin) / 1e6:.3f}", event["name"],
               str(event["pid"])] + fields(trace, event)
        out.write("\t".join(row) + "\n")


def fields(trace, event):
    """An event's fields as ["key=value"], past its ts, name and pid (as
    events.tsv and the timeline's hover show them); then thread=TID for
    an event one of its process's own threads recorded; last, line=: the
    line of the program that made it (its site, mptrace.sites)."""
    out = [f"{ORIGINAL_NAMES.get(key, key)}={_tsv(value)}"
           for key, value in event.items()
           if key not in ("ts", "name", "pid", "vtid", "site", EMITTER)]
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
    proc = trace.procs.get(event["pid"])
    if proc is None or event["name"] == "proc_state":
        return None
    return proc.thread_of(event.get("vtid"), event["ts"])


def _tsv(value):
    if type(value) is int:
        return str(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t") \
        .replace("\n", "\\n")
