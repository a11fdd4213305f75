#!/usr/bin/python3
"""14-results in Python: three ways to get results back from other processes.

usage: results.py [--start-method fork|spawn|forkserver] [--help]

A child's variables are its own copies: what it computes, the parent never
sees unless it is sent back.

  1. a Queue: each child puts its result; the parent gets them in the order
     they were put - get before join, or a child may wait forever to flush
     its queue's pipe while the parent waits for it to end;
  2. a Pool's AsyncResults: get() on each, in submit order, whichever task
     ended first;
  3. a Manager's dict: a server process holds it, the children set their
     keys through proxies, the parent reads them all.
"""
import argparse
import multiprocessing
from multiprocessing import Process, current_process
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def square(n, q):
    time.sleep(0.02 * (4 - n))  # the last started ends first
    q.put(f"{current_process().name}: {n} * {n} = {n * n}")


def func(msg):
    print(f"   {msg}")
    time.sleep(0.05)
    return f"done {msg}"


def worker(procnum, return_dict):
    time.sleep(0.01 * procnum)  # one after the other, to see them apart
    print(f"   {procnum} represent!")
    return_dict[procnum] = procnum


def main():
    ap = argparse.ArgumentParser(description="Results back from children three ways: "
                                 "a Queue, a Pool, a Manager dict.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    print("1. A Queue: 4 processes each put their result")
    q = multiprocessing.Queue()
    procs = [Process(target=square, args=(n, q)) for n in range(1, 5)]
    for p in procs:
        p.start()
    for _ in procs:
        print(f"   got {q.get()}")
    for p in procs:
        p.join()

    print("2. A Pool(4): 10 tasks; get() in submit order")
    with multiprocessing.Pool(4) as pool:
        results = [pool.apply_async(func, (f"hello {i}",)) for i in range(10)]
        pool.close()
        pool.join()
        for r in results:
            print(f"   {r.get()}")
    print("   Sub-process(es) done.")

    print("3. A Manager's dict: 5 processes each set one key")
    with multiprocessing.Manager() as manager:
        return_dict = manager.dict()
        jobs = [Process(target=worker, args=(i, return_dict)) for i in range(5)]
        for p in jobs:
            p.start()
        for p in jobs:
            p.join()
        # sorted: values() come in the order the children set them
        print(f"   return_dict.values(): {sorted(return_dict.values())}")


if __name__ == "__main__":
    main()
