#!/usr/bin/python3
"""13-event in Python: an Event, one process tells others "now".

usage: event.py [--start-method fork|spawn|forkserver] [--help]

An Event is a flag shared by processes: clear at first; set() sets it and
wakes every waiter; wait() returns at once if it is set, else sleeps until
it is; wait(timeout) gives up after that many seconds and returns False.
One child waits with no limit, another for 0.5 s only; main sets the
event after 1 s.
"""
import argparse
import multiprocessing
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def wait_for_event(e):
    print("wait_for_event: starting")
    e.wait()
    print(f"wait_for_event: e.is_set()-> {e.is_set()}")


def wait_for_event_timeout(e, t):
    print("wait_for_event_timeout: starting")
    if not e.wait(t):
        print(f"wait_for_event_timeout: gave up after {t:.1f} s")
    print(f"wait_for_event_timeout: e.is_set()-> {e.is_set()}")


def main():
    ap = argparse.ArgumentParser(description="Two children wait for an Event, one with a "
                                 "timeout; main sets it after 1 s.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    e = multiprocessing.Event()
    w1 = multiprocessing.Process(name="block", target=wait_for_event, args=(e,))
    w2 = multiprocessing.Process(name="nonblock", target=wait_for_event_timeout, args=(e, 0.5))
    w1.start()
    w2.start()
    print("main: waiting before calling Event.set()")
    time.sleep(1)
    print("main: calling Event.set()")     # before: a woken waiter may print first
    e.set()
    w1.join()
    w2.join()


if __name__ == "__main__":
    main()
