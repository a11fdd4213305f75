#!/usr/bin/python3
"""09-exitcodes in Python: how a child's end is reported to its parent.

usage: exitcodes.py [--start-method fork|spawn|forkserver] [--help]

Process.exitcode folds the two ways a process ends into one number: the
exit status it gave, or minus the signal that ended it.

  exit_ok     returns from its target             exitcode  0
  exit_error  calls sys.exit(1)                   exitcode  1
  raises      lets an exception escape            exitcode  1 (traceback on stderr)
  terminated  ended by terminate() (SIGTERM 15)   exitcode -15
  killed      ended by kill()      (SIGKILL  9)   exitcode -9

Part 2: terminate() only sends a signal; is_alive() may still say True
right after it, and only join() makes sure.
"""
import argparse
import multiprocessing
import signal
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def exit_ok():
    pass


def exit_error():
    sys.exit(1)


def raises():
    path = "/nonexistent/settings.conf"
    try:
        open(path)
    except OSError as e:
        print(f"raises: cannot open {path}: {e.strerror}", file=sys.stderr)
        raise                   # uncaught: Python prints the traceback, exitcode 1


def sleeps():
    time.sleep(3)               # ended long before this


def main():
    ap = argparse.ArgumentParser(description="Five children end five ways; the parent "
                                 "prints each exitcode.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    print("== 1. Five ways to end")
    jobs = []
    for name, body in (("exit_ok", exit_ok), ("exit_error", exit_error), ("raises", raises),
                       ("terminated", sleeps), ("killed", sleeps)):
        print(f"Starting process for {name}")
        jobs.append(multiprocessing.Process(target=body, name=name))
        jobs[-1].start()
    time.sleep(0.1)             # let the first three finish on their own
    jobs[3].terminate()
    jobs[4].kill()
    for j in jobs:
        j.join()
        note = f"  ({signal.Signals(-j.exitcode).name})" if j.exitcode < 0 else ""
        print(f"{j.name:>15}.exitcode = {j.exitcode:<3}{note}")

    print("\n== 2. terminate(), then join()")
    slow = multiprocessing.Process(target=sleeps, name="slow_worker")
    print(f"BEFORE:     {slow.name} is_alive={slow.is_alive()}")
    slow.start()
    time.sleep(0.05)
    print(f"DURING:     {slow.name} is_alive={slow.is_alive()}")
    slow.terminate()
    # Sent, not yet delivered: this usually still says True.
    print(f"TERMINATED: {slow.name} is_alive={slow.is_alive()}")
    slow.join()
    print(f"JOINED:     {slow.name} is_alive={slow.is_alive()} exitcode={slow.exitcode}")


if __name__ == "__main__":
    main()
