#!/usr/bin/python3
"""03-queue in Python: two processes talk through a Queue.

usage: queue_lesson.py [--seed N] [--durations S,S,S]
                       [--start-method fork|spawn|forkserver] [--help]

A writer puts "A", "B", "C" on a queue, resting a random moment (up to
0.5 s, from the seed, or the three given with --durations) after each; a
reader loops forever taking what arrives.  The main program waits for the
writer, then, as the reader never ends by itself, terminates it.

A JoinableQueue, not the seeds' Queue: the reader marks each message done
and main waits for that (q.join()) before it terminates the reader, or
"C" could be lost with the reader.  put() only hands the message to the
queue's feeder thread, which writes it into the pipe a moment later.

Not named queue.py: the script's folder comes first on sys.path, and
multiprocessing's own `from queue import Empty` would import this file.
"""
import argparse
import multiprocessing
import os
import random
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def write(q, rests):
    print(f"Process to write: {os.getpid()}")
    for value, rest in zip(["A", "B", "C"], rests):
        print(f"Put {value} to queue...")
        q.put(value)
        time.sleep(rest)


def read(q):
    print(f"Process to read: {os.getpid()}")
    while True:                 # until terminated
        value = q.get()
        print(f"Get {value} from queue.")
        q.task_done()


def seconds_list(text):
    return [float(s) for s in text.split(",")]


def main():
    ap = argparse.ArgumentParser(description="A writer puts A, B, C on a queue; a reader "
                                 "takes them; main ends the reader.")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    ap.add_argument("--durations", type=seconds_list, metavar="S,S,S",
                    help="the writer's rests after A, B and C, in seconds")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    if not 0 <= args.seed <= 1 << 30:
        ap.error("--seed wants 0-1073741824")
    if args.durations and (len(args.durations) != 3
                           or not all(0 <= d <= 60 for d in args.durations)):
        ap.error("--durations wants 3 seconds, each 0-60")
    multiprocessing.set_start_method(args.start_method)
    rng = random.Random(args.seed)
    rests = args.durations or [rng.random() * 0.5 for _ in range(3)]

    q = multiprocessing.JoinableQueue()    # made before the children, passed to both
    pw = multiprocessing.Process(target=write, args=(q, rests), name="writer")
    pr = multiprocessing.Process(target=read, args=(q,), name="reader")
    pw.start()
    pr.start()
    pw.join()
    q.join()                    # every message taken and printed
    pr.terminate()              # the reader loops forever: end it
    pr.join()
    if args.durations:
        again = "--durations " + ",".join(f"{d:g}" for d in rests)
    else:
        again = f"seed {args.seed}: --seed {args.seed}"
    print(f"Reader ended with exitcode {pr.exitcode} (SIGTERM). ({again} repeats this run)")


if __name__ == "__main__":
    main()
