#!/usr/bin/python3
"""17-distributed in Python: a master and its workers over the network, a
BaseManager serving two queues on a TCP port, guarded by an authkey.

usage: distributed.py [--workers N] [--tasks N] [--garbage N] [--seed S]
                      [--start-method fork|spawn|forkserver]
       distributed.py --connect HOST:PORT [--authkey KEY]
       distributed.py --help

The master starts a manager (a server process) on 127.0.0.1, any free
port, with the authkey b'abc', serving a task queue and a result queue;
it puts tasks (random numbers n) and waits for the results.  Workers
connect by address and key, as they would from another machine, take n
and answer "n * n = ...".  Before them, an intruder tries the wrong key
and is refused, and a vandal throws random frames at the port; the server
goes on serving.  With --connect the program is just a worker.

The key never crosses the wire: the server sends a random challenge and
the client answers HMAC(key, challenge) - HMAC-MD5 in Python 3.11.
Python's wire protocol (pickles in length-prefixed frames) is not the C
runtime's: this master serves these workers, not the C lesson's.
"""
import argparse
import multiprocessing
from multiprocessing import AuthenticationError, Process, current_process
from multiprocessing.managers import BaseManager
import os
import queue
import random
import socket
import sys
import time

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): lines of
# processes sharing stdout never mix, and fork() copies no unwritten line.
sys.stdout.reconfigure(line_buffering=True, write_through=False)

task_queue, result_queue = queue.Queue(), queue.Queue()    # used in the server process


def get_task_queue():
    return task_queue


def get_result_queue():
    return result_queue


class QueueManager(BaseManager):
    pass


QueueManager.register("get_task_queue", callable=get_task_queue)
QueueManager.register("get_result_queue", callable=get_result_queue)


def host_port(address):
    host, port = address.rsplit(":", 1)
    if not 0 < int(port) < 65536:
        raise ValueError(port)
    return host, int(port)


def worker(address, authkey):
    """task_worker.py: connect, take tasks until none comes for 1 s."""
    me = current_process().name
    print(f"{me}: connect to server {address}...")
    m = QueueManager(address=host_port(address), authkey=authkey)
    try:
        m.connect()
    except (AuthenticationError, OSError) as e:
        print(f"{me}: refused: {type(e).__name__}: {e}")
        sys.exit(1)
    task, result = m.get_task_queue(), m.get_result_queue()
    try:
        while True:
            try:
                n = task.get(timeout=1)
            except queue.Empty:
                print(f"{me}: task queue is empty.")
                break
            print(f"{me}: run task {n} * {n}...")
            time.sleep(0.02)    # the work
            result.put(f"{n} * {n} = {n * n}")
    except (EOFError, OSError) as e:    # the master shut its server down
        print(f"{me}: the server is gone: {type(e).__name__}")
    print(f"{me}: worker exit.")


def intruder(address):
    """Someone with the wrong key."""
    m = QueueManager(address=host_port(address), authkey=b"wrong")
    try:
        m.connect()
    except AuthenticationError as e:
        print(f"intruder: connect with authkey b'wrong': refused (AuthenticationError: {e})")
        return
    print("intruder: let in!")
    sys.exit(1)


def vandal(address, frames, seed):
    """Someone who sends random frames: a length prefix (honest, or too big),
    then a random body.  Never authenticates."""
    rng = random.Random(seed + 17)
    sent = conns = 0
    s = None
    for _ in range(frames):
        if s is None:
            s = socket.create_connection(host_port(address))
            conns += 1
        n = rng.randrange(256)
        prefix = rng.getrandbits(32) | 0x80000000 if rng.randrange(8) == 0 else n
        try:
            s.sendall(prefix.to_bytes(4, "big") + rng.randbytes(n))
            sent += 1
        except OSError:         # the server hung up on us
            pass
        if rng.randrange(4) == 0:   # hang up, mid-frame or not
            s.close()
            s = None
    if s is not None:
        s.close()
    print(f"vandal: sent {sent} random frames over {conns} connections.")


def master(args):
    authkey = args.authkey.encode()
    m = QueueManager(address=("127.0.0.1", 0), authkey=authkey)
    m.start()
    address = "%s:%d" % m.address
    print(f"master: serving task_queue and result_queue on {address}, authkey {authkey!r}.")
    task, result = m.get_task_queue(), m.get_result_queue()
    rng = random.Random(args.seed)
    for _ in range(args.tasks):
        n = rng.randint(0, 10000)
        print(f"master: put task {n}...")
        task.put(n)

    # The intruder and the vandal go first: the workers then show the
    # server still serving.
    failed = False
    for p in (Process(target=intruder, args=(address,), name="intruder"),
              Process(target=vandal, args=(address, args.garbage, args.seed), name="vandal")):
        p.start()
        p.join()
        failed |= p.exitcode != 0
    workers = [Process(target=worker, args=(address, authkey), name=f"worker-{i + 1}")
               for i in range(args.workers)]
    for w in workers:
        w.start()

    print("master: try get results...")
    for _ in range(args.tasks):
        try:
            print(f"master: result: {result.get(timeout=10)}")
        except queue.Empty:
            print("master: no result within 10 s")
            failed = True
            break
    for w in workers:
        w.join()
        failed |= w.exitcode != 0
    m.shutdown()
    print("master exit.")
    return failed


def main():
    ap = argparse.ArgumentParser(description="A master serves a task queue and a result queue "
                                 "over TCP; workers square numbers.")
    ap.add_argument("--workers", type=int, default=2, help="0-16, default 2")
    ap.add_argument("--tasks", type=int, default=10, help="0-1000, default 10")
    ap.add_argument("--garbage", type=int, default=200, help="0-100000 frames, default 200")
    ap.add_argument("--seed", type=int, default=os.getpid())
    ap.add_argument("--connect", metavar="HOST:PORT", help="be a worker of that master")
    ap.add_argument("--authkey", default="abc")
    ap.add_argument("--start-method", choices=["fork", "spawn", "forkserver"], default="fork")
    args = ap.parse_args()
    for name, lo, hi in (("workers", 0, 16), ("tasks", 0, 1000), ("garbage", 0, 100000),
                         ("seed", 0, 1000000000)):
        if not lo <= getattr(args, name) <= hi:
            ap.error(f"--{name} wants {lo}-{hi}")
    if not 1 <= len(args.authkey) <= 64:
        ap.error("--authkey wants 1-64 characters")
    multiprocessing.set_start_method(args.start_method)
    if args.connect:
        try:
            host_port(args.connect)
        except ValueError:
            ap.error("--connect wants HOST:PORT")
        worker(args.connect, args.authkey.encode())
        return 0
    return 1 if master(args) else 0


if __name__ == "__main__":
    sys.exit(main())
