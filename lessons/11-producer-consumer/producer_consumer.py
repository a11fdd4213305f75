#!/usr/bin/python3
"""11-producer-consumer in Python: a bounded Queue between a fast producer
and a slow consumer.

usage: producer_consumer.py [--items N] [--seed N] [--durations S,...]
                            [--start-method fork|spawn|forkserver] [--help]

Queue(20) holds at most 20 items (a semaphore counts them).  The producer
puts the squares 0, 1, 4, 9, ... resting up to 10 ms after each; the
consumer starts 300 ms late and rests up to 50 ms before each get.  The
queue fills; at 20, put() waits for room: back-pressure.  full(), empty()
and qsize() tell how things stood a moment ago.  get(timeout=0) on an
empty queue raises queue.Empty at once.  None tells the consumer to stop.

--durations gives the rests instead of the seed: 2N+1 seconds, the
producer's N rests first, then the consumer's N+1 (its last before the get
that brings None).
"""
import argparse
import multiprocessing
import queue
import random
import sys
import time

CAPACITY = 20
# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def produce(q, rests):
    said_full = False
    for count, rest in enumerate(rests):
        if q.full() and not said_full:
            print(f"queue is full ({CAPACITY}): put() waits for room")
            said_full = True
        q.put(count * count)
        print(f"produce product: {count * count} (queue size {q.qsize()})")
        time.sleep(rest)
    q.put(None)                 # no more


def consume(q, rests):
    print("consumer: starting 300 ms late")
    time.sleep(0.3)
    for rest in rests:
        time.sleep(rest)
        val = q.get()
        if val is None:
            return
        print(f"consume product: {val}")


def seconds_list(text):
    return [float(s) for s in text.split(",")]


def main():
    ap = argparse.ArgumentParser(description="A producer puts N squares on a Queue(20); "
                                 "a slower consumer takes them.")
    ap.add_argument("--items", type=int, default=30, help="1-1000, default 30")
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    ap.add_argument("--durations", type=seconds_list, metavar="S,...",
                    help="2N+1 rests in seconds: the producer's N, then the consumer's N+1")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    n = args.items
    if not 1 <= n <= 1000:
        ap.error("--items wants 1-1000")
    if not 0 <= args.seed <= 1 << 30:
        ap.error("--seed wants 0-1073741824")
    if args.durations and (len(args.durations) != 2 * n + 1
                           or not all(0 <= d <= 60 for d in args.durations)):
        ap.error(f"--durations wants {2 * n + 1} seconds (2 x --items + 1), each 0-60")
    multiprocessing.set_start_method(args.start_method)
    rng = random.Random(args.seed)
    rests = args.durations or ([rng.random() * 0.010 for _ in range(n)]
                               + [rng.random() * 0.050 for _ in range(n + 1)])

    q = multiprocessing.Queue(CAPACITY)
    print(f"q = Queue({CAPACITY}): empty() is {q.empty()}, qsize() is {q.qsize()}")
    try:
        q.get(timeout=0)
    except queue.Empty:
        print("get(timeout=0) on the empty queue: Empty, at once")

    producer = multiprocessing.Process(target=produce, args=(q, rests[:n]), name="producer")
    consumer = multiprocessing.Process(target=consume, args=(q, rests[n:]), name="consumer")
    producer.start()
    consumer.start()
    producer.join()
    consumer.join()
    seed = "durations given" if args.durations else f"seed {args.seed}"
    print(f"done: {n} products made and consumed; empty() is {q.empty()} ({seed})")


if __name__ == "__main__":
    main()
