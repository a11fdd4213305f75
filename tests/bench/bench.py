#!/usr/bin/python3
"""bench.py - the work of mp-bench (tests/bench/bench.c), in Python's multiprocessing.

usage: bench.py [--benchmark queue|pipe|process|manager|lock|all] [--cpus 1|2|all]
                [--seconds S] [--reps N] [--help]

The same three measurements as the C program's, made the way a Python
program would make them:

  queue    one producer Process puts 8-byte bytes objects on a
           multiprocessing.Queue, the parent get()s them.  msg/s.
  pipe     ping-pong of 8 bytes over multiprocessing.Pipe() with
           send_bytes() / recv_bytes().  Microseconds per round trip.
  process  Process(target=f).start(); join() with f doing nothing.
           Microseconds per child.

The parent runs on CPU 0; with --cpus 2 each child moves itself to CPU 1
first.  Children are started with the "fork" method, as the C runtime's are
(Python 3.14 changes the default on Linux to "forkserver").  Sizing,
repetitions and output are the C program's: one line per measurement,

  benchmark <TAB> placement <TAB> python <TAB> best <TAB> unit <TAB> all runs

Run it with Debian's /usr/bin/python3: scripts/bench does.
"""
import argparse
import os
import sys
import time
import multiprocessing

mp = multiprocessing.get_context("fork")
WARMUP = 100


def child_placement(cpus):
    if cpus == 2:
        os.sched_setaffinity(0, {1})


def join_and_check(p):
    p.join()
    if p.exitcode != 0:
        raise RuntimeError(f"child {p.name} ended with exit code {p.exitcode}")


# ---- queue: 8-byte messages, one producer, one consumer ---------------------
# Message i carries the number i; message 0 only says "the producer runs",
# and the clock starts when it has come.

def queue_producer(q, n, cpus):
    child_placement(cpus)
    for i in range(n + 1):
        q.put(i.to_bytes(8, "little"))


def queue_python(n, cpus):
    q = mp.Queue()
    producer = mp.Process(target=queue_producer, args=(q, n, cpus), name="producer", daemon=True)
    producer.start()
    try:
        if q.get() != bytes(8):
            raise RuntimeError("message 0 is wrong")
        start = time.perf_counter()
        for i in range(1, n + 1):
            msg = q.get()
            if len(msg) != 8 or int.from_bytes(msg, "little") != i:
                raise RuntimeError(f"message {i} is wrong: {msg!r}")
        seconds = time.perf_counter() - start
    except BaseException:
        producer.kill()             # nothing is left running
        producer.join()
        raise
    join_and_check(producer)
    q.close()
    q.join_thread()
    return n, seconds


# ---- pipe: 8-byte ping-pong --------------------------------------------------

def pipe_echo(mine, theirs, cpus):
    child_placement(cpus)
    mine.close()                    # or the end of file never comes
    while True:
        try:
            msg = theirs.recv_bytes()
        except EOFError:
            break
        theirs.send_bytes(msg)
    theirs.close()


def pipe_python(n, cpus):
    mine, theirs = mp.Pipe(duplex=True)
    echo = mp.Process(target=pipe_echo, args=(mine, theirs, cpus), name="echo", daemon=True)
    echo.start()
    theirs.close()
    try:
        start = 0.0
        for i in range(-WARMUP, n):
            if i == 0:
                start = time.perf_counter()
            msg = i.to_bytes(8, "little", signed=True)
            mine.send_bytes(msg)
            if mine.recv_bytes() != msg:
                raise RuntimeError(f"round trip {i} came back wrong")
        seconds = time.perf_counter() - start
    except BaseException:
        echo.kill()
        echo.join()
        raise
    finally:
        mine.close()                # the child's end of file
    join_and_check(echo)
    return n, seconds


# ---- process: start a child, wait for its end -------------------------------

def do_nothing(cpus):
    child_placement(cpus)


def process_python(n, cpus):
    start = time.perf_counter()
    for _ in range(n):
        p = mp.Process(target=do_nothing, args=(cpus,))
        p.start()
        join_and_check(p)
    return n, time.perf_counter() - start


# ---- manager: d["count"] -= 1 through a Manager's dict proxy -----------------

def manager_python(n, cpus):
    with mp.Manager() as m:
        d = m.dict({"count": 0})
        for _ in range(WARMUP):
            d["count"] -= 1
        start = time.perf_counter()
        for _ in range(n):
            d["count"] -= 1
        seconds = time.perf_counter() - start
    return n, seconds


# ---- lock: acquire and release, uncontended -----------------------------------

def lock_python(n, cpus):
    lock = mp.Lock()
    start = time.perf_counter()
    for _ in range(n):
        lock.acquire()
        lock.release()
    return n, time.perf_counter() - start


# ---- pool: a task's round trip, and many small tasks -------------------------

def add_one(x):
    return x + 1


def pool_task_python(n, cpus):
    with mp.Pool(1, initializer=child_placement, initargs=(cpus,)) as pool:
        for i in range(WARMUP):
            pool.apply_async(add_one, (i,)).get()
        start = time.perf_counter()
        for i in range(n):
            if pool.apply_async(add_one, (i,)).get() != i + 1:
                raise RuntimeError("wrong result")
        return n, time.perf_counter() - start


def pool_map_python(n, cpus, chunksize=None):
    with mp.Pool(2, initializer=child_placement, initargs=(cpus,)) as pool:
        start = time.perf_counter()
        out = pool.map(add_one, range(n), chunksize)
        seconds = time.perf_counter() - start
        if out[-1] != n:
            raise RuntimeError("wrong result")
        return n, seconds


def pool_map1_python(n, cpus):
    return pool_map_python(n, cpus, 1)


# ---- the measuring (as in bench.c) -------------------------------------------

BENCHMARKS = {
    # name: (function, throughput?, operations in the first sizing run)
    "queue": (queue_python, True, 500),
    "pipe": (pipe_python, False, 100),
    "process": (process_python, False, 10),
    "manager": (manager_python, False, 100),
    "lock": (lock_python, False, 10000),
    "pool_task": (pool_task_python, False, 100),
    "pool_map_chunk1": (pool_map1_python, True, 500),
    "pool_map": (pool_map_python, True, 5000),
}


def figure(throughput, ops, seconds):
    return ops / seconds if throughput else seconds / ops * 1e6


def size_by_time(fn, n, cpus, seconds):
    while True:
        ops, took = fn(n, cpus)
        per_op = took / ops
        if took >= seconds / 10 or n >= 1_000_000_000 // 16:
            return max(1, int(seconds / per_op))
        n = int(seconds / 10 / per_op * 1.5) + 1 if per_op > 0 else n * 16


def measure(name, cpus, seconds, reps):
    fn, throughput, first_n = BENCHMARKS[name]
    n = size_by_time(fn, first_n, cpus, seconds)
    runs = [figure(throughput, *fn(n, cpus)) for _ in range(reps)]
    best = max(runs) if throughput else min(runs)
    placement = "2 CPUs" if cpus == 2 else "1 CPU"
    unit = "msg/s" if throughput else "us"
    print(f"{name}\t{placement}\tpython\t{best:.6g}\t{unit}\t"
          + ",".join(f"{r:.6g}" for r in runs), flush=True)


def main():
    ap = argparse.ArgumentParser(prog="bench.py", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--benchmark", choices=["all", *BENCHMARKS], default="all")
    ap.add_argument("--cpus", choices=["all", "1", "2"], default="all")
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    if not 0 < args.seconds <= 60 or not 1 <= args.reps <= 100:
        ap.error("--seconds must be in (0, 60], --reps in 1..100")

    allowed = os.sched_getaffinity(0)
    if 0 not in allowed or (args.cpus != "1" and 1 not in allowed):
        sys.exit("bench.py: needs CPU 0 and CPU 1, and may not use them here")
    os.sched_setaffinity(0, {0})

    for name in BENCHMARKS:
        if args.benchmark not in ("all", name):
            continue
        for cpus in (2, 1):
            if args.cpus in ("all", str(cpus)):
                measure(name, cpus, args.seconds, args.reps)


if __name__ == "__main__":
    main()
