#!/usr/bin/python3
"""05-race in Python: shared state through a Manager, its race, and the Lock
that fixes it.

usage: race.py [--processes N] [--start N] [--window-ms MS]
               [--only unlocked|locked] [--start-method fork|spawn|forkserver]
               [--help]

Manager() starts a server process holding the dict; d is a proxy to it.
d["count"] -= 1 is two requests to the server, a __getitem__ and then a
__setitem__, written out below as such.  Another process's get can land
between them: both read the same value, both write value - 1, and one
decrement is lost.  With a Lock held from the get to the set, the count
is exact.  --window-ms sleeps between the get and the set: the race
window widens and updates are lost in every run.  (Under spawn a process
takes tens of milliseconds to start: give it 100 ms or more.)
"""
import argparse
import multiprocessing
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def decrement(d, lock, window):
    if lock:
        lock.acquire()
    count = d["count"]          # d["count"] -= 1, spelled out
    if window:
        time.sleep(window)      # "work": the window grows
    d["count"] = count - 1
    if lock:
        lock.release()


def run(m, n, start, window, lock):
    d = m.dict(count=start)
    procs = [multiprocessing.Process(target=decrement, args=(d, lock, window))
             for _ in range(n)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        sys.exit(1)
    lost = d["count"] - (start - n)
    label = "With a lock:   " if lock else "Without a lock:"
    print(f"{label} {{'count': {d['count']}}}  (should be {start - n}: "
          f"{lost} update{'' if lost == 1 else 's'} lost)")


def main():
    ap = argparse.ArgumentParser(description='N processes each do d["count"] -= 1 through '
                                 "a manager, without and with a lock.")
    ap.add_argument("--processes", type=int, default=20, help="1-200, default 20")
    ap.add_argument("--start", type=int, default=100, help="0-1000000, default 100")
    ap.add_argument("--window-ms", type=int, default=0, help="0-1000, default 0")
    ap.add_argument("--only", choices=["unlocked", "locked"])
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    for name, lo, hi in (("processes", 1, 200), ("start", 0, 1000000), ("window_ms", 0, 1000)):
        if not lo <= getattr(args, name) <= hi:
            ap.error(f"--{name.replace('_', '-')} wants {lo}-{hi}")
    multiprocessing.set_start_method(args.start_method)

    n, start, window = args.processes, args.start, args.window_ms / 1000
    with multiprocessing.Manager() as m:
        lock = multiprocessing.Lock()
        # m._process: the server process (a Manager has no public pid).
        print(f"Manager (pid {m._process.pid}) holds {{'count': {start}}}; {n} processes "
              f"each do d[\"count\"] -= 1{'' if window else ', a get then a set'}.")
        if window:
            print(f"Each sleeps {args.window_ms} ms between its get and its set.")
        if args.only != "locked":
            run(m, n, start, window, None)
        if args.only != "unlocked":
            run(m, n, start, window, lock)


if __name__ == "__main__":
    main()
