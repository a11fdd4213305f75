"""tracerun.py - run one command under libmp-preload.so while an LTTng
session records, and read back the events of its process tree.

A model for scripts/trace-run (which comes later): it names its session
and always destroys it, gives the run one shared table of byte offsets
(MP_PRELOAD_SHM) and removes it afterwards, and runs the command under
mprun, whose pid roots the tree.  LTTng's per-user buffers take every `mp`
event on the machine, so the tree is rebuilt from the events themselves:
mprun, then every child a member forked, spawned or started.

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
"""
import os
import shutil
import subprocess

import bt2

BIG = ["--subbuf-size=4M", "--num-subbuf=4"]       # no lost events here
SMALL = ["--subbuf-size=256K", "--num-subbuf=8"]    # LTTng switches often


class Run:
    """One recorded run: status, stdout, stderr, and `events`, the tree's
    events in time order, each a dict: event (its name without "mp:"), ts,
    its payload fields, and vtid."""

    def __init__(self, build, case, argv, env=None, channel=BIG, timeout=120, preload=True):
        out = os.path.join(build, "test-interpose", case)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        self.trace_dir = os.path.join(out, "trace")
        session = f"mp-interpose-{case}-{os.getpid()}"
        shm = f"/mp-preload-{case}-{os.getpid()}"
        run_env = dict(os.environ, **(env or {}))
        if preload:
            run_env["LD_PRELOAD"] = os.path.join(build, "runtime", "libmp-preload.so")
            run_env["MP_PRELOAD_SHM"] = shm
        else:
            run_env.pop("LD_PRELOAD", None)
        cmd = [os.path.join(build, "mprun"), "--grace", "1", *argv]
        made = False
        try:
            lttng("create", session, f"--output={self.trace_dir}")
            made = True
            lttng("enable-channel", "-u", "-s", session, *channel, "ch")
            lttng("enable-event", "-u", "-s", session, "-c", "ch", "mp:*")
            lttng("add-context", "-u", "-s", session, "-c", "ch",
                  "-t", "vpid", "-t", "vtid", "-t", "procname")
            lttng("start", session)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, env=run_env)
            self.stdout, self.stderr = proc.communicate(timeout=timeout)
            self.status = proc.returncode
            self.root = proc.pid
        finally:
            if made:
                lttng("stop", session, check=False)
                lttng("destroy", session, check=False)
            if os.path.exists("/dev/shm" + shm):
                os.unlink("/dev/shm" + shm)
        self.lines = self.stdout.splitlines()
        every, self.lost = read(self.trace_dir)
        self.pids = tree(every, self.root)
        self.events = [e for e in every if e.get("pid") in self.pids]

    def of(self, event, **fields):
        """The tree's events called `event` whose fields match."""
        return [e for e in self.events if e["event"] == event
                and all(e.get(k) == v for k, v in fields.items())]

    def one(self, event, **fields):
        found = self.of(event, **fields)
        assert len(found) == 1, f"{len(found)} {event} events with {fields}, not 1"
        return found[0]

    def children(self, parent):
        """Pids whose proc_start names `parent`, in order of start."""
        return list(dict.fromkeys(e["pid"] for e in self.of("proc_start", ppid=parent)
                                  if e["pid"] != parent))


def lttng(*args, check=True):
    r = subprocess.run(["lttng", *args], capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise RuntimeError(f"lttng {' '.join(args)}: {r.stderr.strip() or r.stdout.strip()}")


def read(trace_dir):
    """Every event of the trace, and how many LTTng lost."""
    paths = sorted(root for root, _, files in os.walk(trace_dir) if "metadata" in files)
    events, lost = [], 0
    if not paths:
        return events, lost
    specs = [bt2.ComponentSpec.from_named_plugin_and_component_class(
        "ctf", "fs", {"inputs": [p]}) for p in paths]
    for msg in bt2.TraceCollectionMessageIterator(specs):
        if type(msg) is bt2._EventMessageConst:
            event = {"event": msg.event.name.split(":", 1)[-1],
                     "ts": msg.default_clock_snapshot.ns_from_origin}
            for key, value in msg.event.payload_field.items():
                event[key] = int(value) if isinstance(value, bt2._IntegerFieldConst) else str(value)
            ctx = msg.event.common_context_field
            event["vtid"] = int(ctx["vtid"]) if ctx is not None and "vtid" in ctx else None
            events.append(event)
        elif type(msg) is bt2._DiscardedEventsMessageConst:
            lost += msg.count or 0
    events.sort(key=lambda e: e["ts"])
    return events, lost


def tree(events, root):
    """root and every process it, or one of its own, forked, spawned or
    started (a proc_start names its parent)."""
    pids, grew = {root}, True
    while grew:
        grew = False
        for e in events:
            new = None
            if e["event"] in ("proc_fork", "sub_spawn") and e["pid"] in pids and e["child"] > 0:
                new = e["child"]
            elif e["event"] == "proc_start" and e["ppid"] in pids:
                new = e["pid"]
            if new is not None and new not in pids:
                pids.add(new)
                grew = True
    return pids
