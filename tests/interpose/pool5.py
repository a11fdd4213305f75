"""pool5.py - Python's own Pool(4) running 5 tasks, for the interpose tests.

usage: /usr/bin/python3 pool5.py

Each task sleeps a little and returns its square; the main process prints
the results.  The fork start method (Debian's 3.11 default on Linux).
"""
import multiprocessing as mp
import time


def square(n):
    time.sleep(0.05)
    return n * n


if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(4) as pool:
        print("results:", pool.map(square, range(5)), flush=True)
    print("done")
