#!/usr/bin/python3
"""04-pipe in Python: a Pipe, two connected ends, and what "end of file" means.

usage: pipe.py [--start-method fork|spawn|forkserver] [--help]

Part 1, Pipe(): a duplex pair (a socketpair underneath), each end sends
and receives.  Part 2, Pipe(duplex=False): an os.pipe(); r only receives,
w only sends, and Python refuses the wrong direction before any system
call.  Part 3, end of file: recv() raises EOFError only when *every* copy
of the sending end is closed.  The child closes its own and exits, but the
parent still holds w, so poll(0.2) finds nothing; once the parent closes
w, recv() raises EOFError.
"""
import argparse
import multiprocessing
import sys

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def duplex_child(conn):
    conn.send("Hello, parent!")
    print(f"child  received: {conn.recv()}")


def oneway_child(w):
    for v in (10, 20, 30):
        w.send(v)


def eof_child(w):
    for i in range(3):
        w.send(f"message {i}")
    w.close()                   # the child's copy: gone


def run(target, end):
    p = multiprocessing.Process(target=target, args=(end,))
    p.start()
    end.close()                 # the child's end: not ours
    return p


def main():
    ap = argparse.ArgumentParser(description="A duplex pipe, a one-way pipe, and end of file.")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    multiprocessing.set_start_method(ap.parse_args().start_method)

    print("== 1. Duplex Pipe(): both ends send and receive")
    parent_end, child_end = multiprocessing.Pipe()
    p = run(duplex_child, child_end)
    parent_end.send("Hello, child!")
    print(f"parent received: {parent_end.recv()}")
    p.join()
    parent_end.close()

    print("\n== 2. One-way Pipe(duplex=False): r only receives, w only sends")
    r, w = multiprocessing.Pipe(duplex=False)
    p = run(oneway_child, w)
    for _ in range(3):
        print(f"parent received: {r.recv()}")
    try:
        r.send(99)
    except OSError as e:
        print(f"parent: send on the receiving end r: {e} (refused)")
    p.join()
    r.close()

    print("\n== 3. End of file: every sending end closed, in every process")
    r, w = multiprocessing.Pipe(duplex=False)
    p = multiprocessing.Process(target=eof_child, args=(w,))
    p.start()                   # w stays open here: the parent's own copy
    p.join()                    # sent 3, closed its end, exited
    print("child sent 3 messages, closed its end and exited")
    while r.poll(0):
        print(f"parent received: {r.recv()}")
    if not r.poll(0.2):
        print("parent: nothing within 0.2 s, and no end of file: the parent still "
              "holds a sending end, so recv() would wait forever")
    w.close()
    print("parent closes its own sending end")
    try:
        r.recv()
    except EOFError:
        print("parent: recv: end of file (EOFError)")
    r.close()


if __name__ == "__main__":
    main()
