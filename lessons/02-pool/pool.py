#!/usr/bin/python3
"""02-pool in Python: Pool(4) running 5 tasks; the fifth waits for a free worker.

usage: pool.py [--workers N] [--seed N] [--durations S,S,S,S,S]
               [--start-method fork|spawn|forkserver] [--help]

The pool starts its workers once and hands them tasks through a pipe.
Each task sleeps a random 0-3 s drawn from the seed, or the five times
given with --durations (seconds, task 0 first).  close() says no more
tasks will come; join() waits until every task is done and the workers
have exited.  get() on each result re-raises a task's error, if any.
"""
import argparse
import multiprocessing
import os
import random
import sys
import time

TASKS = 5
# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def long_time_task(name, seconds):
    print(f"Run task {name} ({os.getpid()})...")
    start = time.monotonic()
    time.sleep(seconds)
    print(f"Task {name} runs {time.monotonic() - start:.2f} seconds.")


def seconds_list(text):
    return [float(s) for s in text.split(",")]


def main():
    ap = argparse.ArgumentParser(description="A Pool of N workers runs 5 tasks that each "
                                 "sleep a random 0-3 seconds.")
    ap.add_argument("--workers", type=int, default=4, help="1-16, default 4")
    ap.add_argument("--seed", type=int, default=(int(time.time()) ^ os.getpid()) % 100000)
    ap.add_argument("--durations", type=seconds_list, metavar="S,S,S,S,S",
                    help="the 5 tasks' sleeps in seconds, instead of the seed's")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    if not 1 <= args.workers <= 16:
        ap.error("--workers wants 1-16")
    if not 0 <= args.seed <= 1 << 30:
        ap.error("--seed wants 0-1073741824")
    if args.durations and (len(args.durations) != TASKS
                           or not all(0 <= d <= 60 for d in args.durations)):
        ap.error(f"--durations wants {TASKS} seconds, each 0-60")
    multiprocessing.set_start_method(args.start_method)
    rng = random.Random(args.seed)
    durations = args.durations or [rng.random() * 3 for _ in range(TASKS)]

    print(f"Parent process {os.getpid()}.")
    with multiprocessing.Pool(args.workers) as p:
        results = [p.apply_async(long_time_task, (i, durations[i])) for i in range(TASKS)]
        print("Waiting for all subprocesses done...")
        p.close()
        p.join()
        print("All subprocesses done.")
        for r in results:
            r.get()
    if args.durations:
        given = ",".join(f"{d:g}" for d in durations)
        print(f"(durations given: run with --durations {given} to get the same times again)")
    else:
        print(f"(seed {args.seed}: run with --seed {args.seed} to get the same times again)")


if __name__ == "__main__":
    main()
