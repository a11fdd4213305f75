#!/usr/bin/python3
"""start_methods.py - what a process start costs in Python's multiprocessing
under each start method, and what a Pool and a Queue set up behind the scenes.

usage: start_methods.py [--reps N] [--help]

  start   from just before Process.start() to the first line of the child's
          target (CLOCK_MONOTONIC is one clock for every process), and how
          long start() itself kept the parent; median of N, the methods
          taken in turn so that a busy machine slows each alike.  The first
          forkserver start, which also starts the server, is shown apart.
  pool    Pool(4): the constructor's time, and the time to the first
          result of a task that does nothing.  Median of N / 2.
  inside  the threads (threading.enumerate()) and the descriptors
          (/proc/self/fd) a Pool(4) and a Queue add to the parent, fork
          start method.

Lesson 2's README takes its figures from here.  Debian's /usr/bin/python3.
"""
import argparse
import multiprocessing
import os
import statistics
import sys
import threading
import time

METHODS = ("fork", "spawn", "forkserver")


def first_line(conn):
    conn.send(time.monotonic())


def nothing():
    return None


def one_start(ctx):
    """(seconds to the child's first line, seconds start() took)."""
    r, w = ctx.Pipe(duplex=False)
    p = ctx.Process(target=first_line, args=(w,))
    t0 = time.monotonic()
    p.start()
    t1 = time.monotonic()
    first = r.recv()
    p.join()
    r.close()
    w.close()
    return first - t0, t1 - t0


def one_pool(ctx):
    t0 = time.monotonic()
    pool = ctx.Pool(4)
    t1 = time.monotonic()
    pool.apply(nothing)
    t2 = time.monotonic()
    pool.close()
    pool.join()
    return t1 - t0, t2 - t0


def ms(values):
    return f"{statistics.median(values) * 1000:8.2f}"


def fds():
    out = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            out[int(fd)] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:     # the directory's own descriptor, closed by now
            pass
    return out


def added(before, after):
    kinds = [after[fd].split(":")[0] for fd in sorted(set(after) - set(before))]
    return f"{len(kinds)} fds ({', '.join(sorted(set(kinds)))})" if kinds else "0 fds"


def semaphores():
    """POSIX semaphores mapped in (named, and unlinked at once by Python)."""
    with open("/proc/self/maps") as f:
        return sum(1 for line in f if "/dev/shm/sem." in line)


def threads():
    return sorted(t.name for t in threading.enumerate())


def inside():
    ctx = multiprocessing.get_context("fork")
    base_fds, base_threads, base_sems = fds(), threads(), semaphores()
    pool = ctx.Pool(4)
    print(f"  Pool(4): threads {[t for t in threads() if t not in base_threads]}, "
          f"{added(base_fds, fds())}, {semaphores() - base_sems} semaphores")
    pool.close()
    pool.join()
    for name, make in (("Queue()", ctx.Queue), ("Queue(20)", lambda: ctx.Queue(20)),
                       ("JoinableQueue()", ctx.JoinableQueue)):
        base_fds, base_threads, base_sems = fds(), threads(), semaphores()
        q = make()
        made = f"{added(base_fds, fds())}, {semaphores() - base_sems} semaphores"
        q.put(1)
        print(f"  {name}: {made}; after a put(), threads "
              f"{[t for t in threads() if t not in base_threads]}")
        q.get()
        q.close()
        q.join_thread()
        del q               # its semaphores go before the next is counted


def main():
    ap = argparse.ArgumentParser(description="The cost of a process start under each start "
                                 "method; what a Pool and a Queue create.")
    ap.add_argument("--reps", type=int, default=20, help="2-1000, default 20")
    args = ap.parse_args()
    if not 2 <= args.reps <= 1000:
        ap.error("--reps wants 2-1000")
    ctxs = {m: multiprocessing.get_context(m) for m in METHODS}
    server_first = one_start(ctxs["forkserver"])
    starts = {m: [] for m in METHODS}
    pools = {m: [] for m in METHODS}
    for i in range(args.reps):
        for m in METHODS:
            starts[m].append(one_start(ctxs[m]))
            if i % 2 == 0:
                pools[m].append(one_pool(ctxs[m]))
    print(f"Python {'.'.join(map(str, sys.version_info[:3]))}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}; medians in ms")
    print("method      to first line  start() call   Pool(4)  Pool(4)+first result")
    for m in METHODS:
        print(f"{m:<10}       {ms([s[0] for s in starts[m]])}      {ms([s[1] for s in starts[m]])}"
              f"  {ms([p[0] for p in pools[m]])}  {ms([p[1] for p in pools[m]])}")
    print(f"forkserver's first start, server included: {server_first[0] * 1000:.2f} ms")
    print("In the parent (fork):")
    inside()


if __name__ == "__main__":
    main()
