"""events.tsv: the lesson's events as a table a student can grep."""

from .read.recording import RENAMED_FIELDS


def table(trace, out):
    """Write the events of mprun and the lesson's processes to the text
    file `out` as TSV: t_ms (since t0), event, pid, then key=value."""
    pids = {proc.pid for proc in trace.lanes} | {trace.runner}
    origin = trace.t0 if trace.t0 is not None else 0
    original = {new: old for old, new in RENAMED_FIELDS.items()}
    out.write("t_ms\tevent\tpid\tfields\n")
    shown = {}          # a text -> as the table shows it (texts repeat)
    for event in trace.events:
        if event.get("pid") not in pids:
            continue
        fields = [f"{original.get(key, key)}="
                  + (_tsv(value, shown) if type(value) is str else str(value))
                  for key, value in event.items()
                  if key not in ("ts", "name", "pid")]
        row = [f"{(event['ts'] - origin) / 1e6:.3f}", event["name"],
               str(event["pid"])] + fields
        out.write("\t".join(row) + "\n")


def _tsv(text, shown):
    if text not in shown:
        shown[text] = text.replace("\\", "\\\\").replace("\t", "\\t") \
            .replace("\n", "\\n")
    return shown[text]
