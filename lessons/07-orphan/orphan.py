#!/usr/bin/python3
"""07-orphan in Python: a parent that ends before its child.

usage: orphan.py [--help]

When a parent ends first, the kernel gives its children a new parent at
once: the nearest ancestor that declared itself a subreaper, or pid 1.
Under mprun that is mprun.  So the child never assumes pid 1: it watches
its parent through a pidfd (os.pidfd_open), which becomes readable when
that process has ended - by then the kernel has already handed the child
over - and then asks getppid() who its parent is now.  (The C version
asks for a signal instead, prctl(PR_SET_PDEATHSIG), which Python's os
module does not offer.)
"""
import argparse
import os
import select
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)


def child(parent, ready_w):
    """The child's side.  Does not return."""
    me = os.getpid()
    watch = os.pidfd_open(parent)
    print(f"Child {me}: my parent is {os.getppid()}.")
    os.close(ready_w)           # tells the parent it may go
    if not select.select([watch], [], [], 5.0)[0]:
        print(f"Child {me}: my parent did not end within 5 s.")
        os._exit(1)
    now = os.getppid()
    with open(f"/proc/{now}/comm") as f:
        comm = f.read().strip()
    print(f"Child {me}: my parent {parent} is gone; my parent is now {now} ({comm})"
          f"{', pid 1' if now == 1 else ', a subreaper'}.")
    time.sleep(0.2)             # live on a little as an orphan
    print(f"Child {me}: done; my adopter will collect me.")
    os._exit(0)


def main():
    argparse.ArgumentParser(description="The parent exits while its child runs on; "
                            "the child reports its new parent.").parse_args()
    print(f"Parent {os.getpid()} starts; its own parent is {os.getppid()}.")
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        child(os.getppid(), ready_w)
    # Wait until the child has said who its parent is (it closes its end of
    # the pipe), work a little, then leave without waiting for it.
    os.close(ready_w)
    os.read(ready_r, 1)
    time.sleep(0.1)
    print(f"Parent {os.getpid()}: exiting now, without waiting for child {pid}.")


if __name__ == "__main__":
    main()
