"""events.tsv: the lesson's events as a table a student can grep."""

from .read.recording import ORIGINAL_NAMES


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value; last,
    thread=TID for an event one of the process's own threads recorded
    (not its main thread)."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    out.write("t_ms\tevent\tpid\tfields\n")
    shown = {}          # a text -> as the table shows it (texts repeat)
    for event in trace.events:
        if event.get("pid") not in pids:
            continue
        fields = [f"{ORIGINAL_NAMES.get(key, key)}="
                  + (_tsv(value, shown) if type(value) is str else str(value))
                  for key, value in event.items()
                  if key not in ("ts", "name", "pid", "vtid")]
        proc = trace.procs.get(event["pid"])
        tid = proc.thread_of(event.get("vtid"), event["ts"]) \
            if proc is not None and event["name"] != "proc_state" else None
        if tid is not None:
            fields.append(f"thread={tid}")
        row = [f"{(event['ts'] - origin) / 1e6:.3f}", event["name"],
               str(event["pid"])] + fields
        out.write("\t".join(row) + "\n")


def _tsv(text, shown):
    if text not in shown:
        shown[text] = text.replace("\\", "\\\\").replace("\t", "\\t") \
            .replace("\n", "\\n")
    return shown[text]
