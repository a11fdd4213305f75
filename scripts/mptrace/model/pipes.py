"""Pipes and sockets, and the bytes that went through them, as the preload
records them (fd_pipe, io_write, io_read)."""

from typing import NamedTuple, Optional


class Pipe(NamedTuple):
    """A pipe or one socket of a socketpair, from its fd_pipe.  A pipe's
    two ends share one inode, in every process that holds them."""
    ino: int
    """Its inode: the id of the stream its bytes travel in."""
    kind: str
    """"pipe" or "socketpair"."""
    creator: int
    """The pid that made it."""
    ts: int
    """When."""
    fds: tuple
    """The creator's fds: (read end, write end) of a pipe; a socket's own
    fd."""
    peer: Optional[int] = None
    """A socketpair socket: the other socket's inode."""


class Transfer(NamedTuple):
    """Bytes one write put into a stream and one read took out: an
    io_write and an io_read whose byte ranges overlap.  A write read in two
    reads (Python's 4-byte length, then the rest) is two Transfers; so is
    a read that took two writes' bytes."""
    stream: int
    """The pipe's inode (a socketpair's: the writing socket's)."""
    writer: int
    """The pid that wrote them."""
    write_ts: int
    """Its io_write (recorded just before the write)."""
    reader: int
    """The pid that read them."""
    read_ts: int
    """Its io_read (recorded just after the read)."""
    offset: int
    """Where the shared bytes begin in the stream."""
    bytes: int
    """How many of the write's bytes this read took."""
    writer_tid: Optional[int] = None
    """The writing thread (Thread.tid); None: the main thread."""
    reader_tid: Optional[int] = None
    """The reading thread; None: the main thread."""
    call: str = "write"
    """The writer's call: "write", "send", ..., "stdio" (C's printf and
    friends, when stdio flushed)."""
