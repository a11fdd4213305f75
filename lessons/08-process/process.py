#!/usr/bin/python3
"""08-process in Python: the Process object - start, join, names, is_alive,
the class form, and logging to stderr.

usage: process.py [--start-method fork|spawn|forkserver] [--help]

A Process takes a function and its arguments; start() it, join() it, ask
is_alive(), read exitcode.  Each has a name: one you give, or "Process-N",
N counting the Process objects created so far (created, not started:
watch the numbers in part 2).  A subclass is named after its class:
Counter-6, not Process-6, in part 4.  With --start-method forkserver a
child's parent is the fork server, not this program: see part 1.
"""
import argparse
import logging
import multiprocessing
from multiprocessing import Process, current_process
import os
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def run_proc(name):
    print(f"Run child process {name} ({os.getpid()}), my parent is {os.getppid()}...")
    time.sleep(0.05)


def worker():
    print(f"{current_process().name} Starting")
    time.sleep(0.2)
    print(f"{current_process().name} Exiting")


def my_service():
    print(f"{current_process().name} Starting")
    time.sleep(0.3)
    print(f"{current_process().name} Exiting")


def slow_worker():
    time.sleep(0.1)
    print("Worker finished")


def show_state(when, p):
    print(f"{when:<7} {p.name} is_alive={p.is_alive()} exitcode={p.exitcode}")


class Counter(Process):
    """The class form: run() is the body."""

    def __init__(self, start):
        super().__init__()
        self.first = start

    def run(self):
        print(f"In {self.name}: counting {self.first}..{self.first + 9}")
        for _ in range(10):
            time.sleep(0.004)   # "counting": 40 ms


def do_work():
    print("Doing some work")
    time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser(description="Shows the Process object: start, join, names, "
                                 "is_alive, the class form, logging.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    print(f"Parent process {os.getpid()} ({current_process().name}).")

    print("\n== 1. Process(target=run_proc, args=('test',))")
    p = Process(target=run_proc, args=("test",))
    print("Child process will start.")
    p.start()
    p.join()
    print("Child process end.")

    print("\n== 2. Names: given, or Process-N by order of creation")
    service = Process(name="my_service", target=my_service)
    worker_1 = Process(name="worker 1", target=worker)
    worker_2 = Process(target=worker)       # the default name
    for p in (worker_1, worker_2, service):
        p.start()
    for p in (worker_1, worker_2, service):
        p.join()

    print("\n== 3. is_alive() and exitcode before, during and after")
    slow = Process(target=slow_worker)
    show_state("BEFORE:", slow)
    slow.start()
    show_state("DURING:", slow)
    slow.join()
    show_state("JOINED:", slow)

    print("\n== 4. The class form: a subclass whose run() is the body")
    for c in [Counter(10 * i) for i in range(3)]:
        c.start()               # one at a time: the lines stay in order
        c.join()

    print("\n== 5. log_to_stderr(), level INFO: multiprocessing tells what it does")
    multiprocessing.log_to_stderr(logging.INFO)
    p = Process(target=do_work)
    p.start()
    p.join()


if __name__ == "__main__":
    main()
