#!/usr/bin/python3
"""12-joinable-queue in Python: consumers, poison pills, and waiting for the work.

usage: joinable_queue.py [--tasks N] [--start-method fork|spawn|forkserver] [--help]

Main puts N tasks (default 10) on a JoinableQueue and starts 2 x CPUs
consumers.  Each takes a task (a, b), works 100 ms, puts "a * b = ..." on
a second, plain Queue, and calls task_done().  After the tasks come the
poison pills, one None per consumer: a consumer that takes one marks it
done and exits.  join() on the task queue returns only when everything
ever put there, tasks and pills, has been marked done.
"""
import argparse
import multiprocessing
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


class Consumer(multiprocessing.Process):

    def __init__(self, name, tasks, results):
        super().__init__(name=name)
        self.tasks, self.results = tasks, results

    def run(self):
        while True:
            task = self.tasks.get()
            if task is None:    # the poison pill
                print(f"{self.name}: Exiting")
                self.tasks.task_done()
                return
            a, b = task
            print(f"{self.name}: {a} * {b}")
            time.sleep(0.1)     # pretend to work
            self.results.put(f"{a} * {b} = {a * b}")
            self.tasks.task_done()


def main():
    ap = argparse.ArgumentParser(description="N tasks for 2 x CPUs consumers, with poison pills.")
    ap.add_argument("--tasks", type=int, default=10, help="1-100, default 10")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    if not 1 <= args.tasks <= 100:
        ap.error("--tasks wants 1-100")
    multiprocessing.set_start_method(args.start_method)

    tasks, results = multiprocessing.JoinableQueue(), multiprocessing.Queue()
    n = 2 * multiprocessing.cpu_count()
    print(f"Creating {n} consumers")
    consumers = [Consumer(f"Consumer-{i + 1}", tasks, results) for i in range(n)]
    for c in consumers:
        c.start()
    for i in range(args.tasks):
        tasks.put((i, i))
    for _ in consumers:
        tasks.put(None)         # a poison pill each
    tasks.join()                # every task and pill marked done
    print("All tasks done.")
    for _ in range(args.tasks):
        print(f"Result: {results.get()}")
    for c in consumers:
        c.join()


if __name__ == "__main__":
    main()
