"""tracerun.py - run one command under libmp-preload.so while an LTTng
session records, and read back the events of its process tree.

Like scripts/trace-run, but with the session's buffers chosen (BIG: none
lost; SMALL: LTTng switches them often) and the events returned rather
than drawn: it names its session and always destroys it, runs the command
under `mprun --preload` (which gives the run its table of byte offsets,
MP_PRELOAD_SHM, and removes it), or under mprun alone for a program that
has the layer linked in (preload=False), and reads the trace with mptrace's
loader.  LTTng's per-user buffers take every `mp` event on the machine,
so the run's own are those of mprun's process tree (mptrace.Trace).

Debian's /usr/bin/python3 on purpose: it has babeltrace2's bindings.
ctest sets PYTHONPATH to scripts/ (mptrace).
"""
import os
import shutil
import subprocess

from mptrace import Trace
from mptrace.read.load import read

BIG = ["--subbuf-size=4M", "--num-subbuf=4"]       # no lost events here
SMALL = ["--subbuf-size=256K", "--num-subbuf=8"]    # LTTng switches often


class Run:
    """One recorded run: status, stdout, stderr, and `events`, the tree's
    events in time order, each a dict as mptrace reads them: name (the
    event's, without "mp:"), ts, its payload fields (proc_start's and
    proc_fork's `name` is proc_name) and vtid."""

    def __init__(self, build, case, argv, env=None, channel=BIG, timeout=120, preload=True):
        out = os.path.join(build, "test-interpose", case)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        self.trace_dir = os.path.join(out, "trace")
        session = f"mp-interpose-{case}-{os.getpid()}"
        run_env = dict(os.environ, **(env or {}))
        cmd = [os.path.join(build, "mprun"), "--grace", "1", *argv]
        if preload:     # else the command runs with no preload at all
            cmd[3:3] = ["--preload", os.path.join(build, "runtime", "libmp-preload.so")]
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
        self.lines = self.stdout.splitlines()
        recording = read(self.trace_dir)
        self.trace = Trace(recording.events, recording.discarded, self.root)
        self.lost = recording.discarded
        self.pids = self.trace.lesson_pids
        self.events = self.trace.lesson_events

    def of(self, event, **fields):
        """The tree's events called `event` whose fields match."""
        return [e for e in self.events if e["name"] == event
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
