#!/usr/bin/python3
"""10-daemon in Python: daemon children, ended when the main program ends.

usage: daemon.py [--start-method fork|spawn|forkserver] [--help]

At its end the main process joins its children (an atexit handler of
multiprocessing), except daemon ones: those it terminates first.  The flag
is set before start(), and a daemon may not start children of its own:
start() raises AssertionError.  join(timeout) waits at most that long; it
returns while the daemon still runs, and is_alive() says so.
"""
import argparse
import multiprocessing
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def nothing():
    pass


def daemon():
    name = multiprocessing.current_process().name
    print(f"Starting: {name}")
    try:
        multiprocessing.Process(target=nothing).start()
    except AssertionError as e:
        print(f"{name}: start() of a child failed: AssertionError: {e}")
    time.sleep(2)
    print(f"Exiting : {name}")  # never printed: main ends first


def non_daemon():
    name = multiprocessing.current_process().name
    print(f"Starting: {name}")
    time.sleep(0.3)
    print(f"Exiting : {name}")


def main():
    ap = argparse.ArgumentParser(description="A daemon child and a normal one; the daemon "
                                 "ends with the main program.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    d = multiprocessing.Process(name="daemon", target=daemon, daemon=True)
    n = multiprocessing.Process(name="non-daemon", target=non_daemon)
    d.start()
    n.start()
    t0 = time.monotonic()
    d.join(1.0)
    print(f"d.join(1.0) returned after {time.monotonic() - t0:.1f} s; "
          f"d.is_alive() = {d.is_alive()}")
    n.join()
    print(f"non-daemon joined, exitcode {n.exitcode}; main ends now, and its daemon with it.")


if __name__ == "__main__":
    main()
