#!/usr/bin/python3
"""01-fork in Python: os.fork(), one process becomes two.

usage: fork.py [--help]

os.fork() is the system call itself: it returns twice, the child's pid in
the parent and 0 in the child.  The child ends with os._exit(), which skips
the interpreter's exit work (flushing buffers it shares with the parent,
atexit handlers); the parent collects it with os.waitpid().

Line buffering below, for the lines printed before the fork: stdout into a
pipe is block-buffered, the child would get a copy of the unwritten line,
and it would come out twice.  Remove the reconfigure line, run
`./fork.py | cat`, and see.
"""
import argparse
import os
import sys

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)

argparse.ArgumentParser(description="Forks one child; each process says who it is; "
                        "the parent waits.").parse_args()

print(f"Process ({os.getpid()}) start...")
pid = os.fork()
if pid == 0:                    # the child: fork() returned 0
    print(f"I am child process ({os.getpid()}) and my parent is {os.getppid()}.")
    os._exit(0)
# the parent: fork() returned the child's pid
print(f"I ({os.getpid()}) just created a child process ({pid}).")
_, status = os.waitpid(pid, 0)
print(f"Child {pid} ended with exit status {os.waitstatus_to_exitcode(status)}; "
      "the parent collected it.")
