#!/usr/bin/python3
"""06-zombie in Python: a child that has ended, and a parent that has not
collected it.

usage: zombie.py [--linger MS] [--help]

The child exits at once.  The parent, on purpose, does not wait: it sleeps
MS milliseconds (default 300), reads the child's line in /proc the way ps
does - state Z, a zombie - and only then calls os.waitpid(), after which
the child's entry is gone.  (multiprocessing would hide this: Process.start()
first reaps any finished children it knows of.)
"""
import argparse
import os
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def ps_line(pid):
    """What ps prints for one process, from /proc/PID/stat, the file ps reads."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except FileNotFoundError:
        print(f"  {pid:5}  (no such process)")
        return
    comm = stat[stat.index("(") + 1:stat.rindex(")")]   # the name may hold spaces
    state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
    print(f"  {pid:5} {int(ppid):5} {state}    {comm}{' <defunct>' if state == 'Z' else ''}")


def main():
    ap = argparse.ArgumentParser(description="A child exits; the parent waits MS milliseconds "
                                 "before collecting it, and shows it as a zombie in between.")
    ap.add_argument("--linger", type=int, default=300, metavar="MS", help="20-10000, default 300")
    args = ap.parse_args()
    if not 20 <= args.linger <= 10000:
        ap.error("--linger wants 20-10000")

    print(f"Parent {os.getpid()} starts.")
    pid = os.fork()
    if pid == 0:
        print(f"Child {os.getpid()}: exiting at once.")
        os._exit(0)

    print(f"Parent: sleeping {args.linger} ms without calling wait().")
    time.sleep(args.linger / 1000)
    # On a busy machine the child may not have run yet: WNOWAIT waits for
    # its end without collecting it, so what ps shows is always Z.
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    print("Parent: what ps would show now:")
    print("    PID  PPID STAT COMMAND")
    ps_line(pid)
    _, status = os.waitpid(pid, 0)
    print(f"Parent: waitpid({pid}) collected exit status {os.waitstatus_to_exitcode(status)}.")
    print("Parent: and now:")
    ps_line(pid)


if __name__ == "__main__":
    main()
