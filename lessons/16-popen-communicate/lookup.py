#!/usr/bin/python3
"""lookup.py - the line-answering program lesson 16's Python talks to, as
16-lookup (lookup.c) is for the C: it answers host names like nslookup,
from a table of its own, without a network.

usage: lookup.py [--help]

Reads host names from stdin, one a line.  A known name: "Name: N  Address:
A" on stdout; an unknown one: "** server can't find N: NXDOMAIN" on stderr.
It flushes after every answer, so a program talking to it line by line
gets each answer at once (stdout into a pipe is block-buffered, and the
answer would sit in this program's buffer: a classic hang).  It ends at
end of file with status 0, or 1 if some name was unknown.
"""
import argparse
import sys

TABLE = {
    "localhost": "127.0.0.1",
    "ip6-localhost": "::1",
    "www.example.com": "93.184.215.14",
    "docs.python.org": "151.101.0.223",
    "lttng.org": "167.114.159.179",
}

argparse.ArgumentParser(description="Answers host names read from stdin, one a line, "
                        "from a built-in table.").parse_args()
unknown = 0
for line in sys.stdin:
    name = line.strip()
    if not name:
        continue
    if name in TABLE:
        print(f"Name: {name}  Address: {TABLE[name]}", flush=True)
    else:
        print(f"** server can't find {name}: NXDOMAIN", file=sys.stderr)
        unknown = 1
sys.exit(unknown)
