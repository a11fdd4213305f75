"""A damaged CTF sub-trace found before babeltrace2 reads it.

babeltrace 2.0's reader loops forever at 100% CPU on a metadata file cut
inside a packet (the `babeltrace2` command too), and reads stream files cut
to nothing as a trace without events.  Both are cheap to see from the
files' own bookkeeping, which LTTng writes in whole packets:

- packetized metadata: every packet begins with a 37-byte header (magic
  0x75d11d57, uuid, checksum, content_size and packet_size in bits, ...);
  each packet must be whole, and the next begin where it ends;
- a stream file's index (index/NAME.idx: magic 0xc1f1dcc1, then one entry
  per packet: offset, packet_size in bits, ...) says how long the stream
  file is at least.

Text (non-packetized) metadata, and streams without an index, are left
to babeltrace2, read under a time limit (bounded.py).
"""

import os
import struct

from ..errors import TraceError

METADATA_MAGIC = 0x75D11D57
HEADER = struct.Struct("=I16sIIIBBBBB")     # 37 bytes, in the tracer's order
INDEX_MAGIC = 0xC1F1DCC1
INDEX_HEADER = struct.Struct(">IIII")       # magic, major, minor, entry size
INDEX_ENTRY = struct.Struct(">QQ")          # offset, packet_size (bits)


def check(subtrace):
    """Raises TraceError if the sub-trace directory's metadata or streams
    are cut short (or their headers damaged)."""
    _metadata(os.path.join(subtrace, "metadata"))
    index_dir = os.path.join(subtrace, "index")
    streams = {name for name in os.listdir(subtrace) if name != "metadata"
               and os.path.isfile(os.path.join(subtrace, name))}
    indexed = {name[:-4] for name in _names(index_dir)
               if name.endswith(".idx")}
    for name in sorted(streams | indexed):
        _stream(os.path.join(subtrace, name),
                os.path.join(index_dir, name + ".idx"))


def _metadata(path):
    data = _read(path)
    if len(data) < 4:
        raise TraceError(f"{path}: the metadata is cut short "
                         f"({len(data)} bytes)")
    order = _order(data, METADATA_MAGIC)
    if order is None:
        return                      # text metadata: babeltrace2's to judge
    header = struct.Struct(order + HEADER.format[1:])
    at = 0
    while at < len(data):
        if at + header.size > len(data):
            raise TraceError(f"{path}: the metadata is cut short: its "
                             f"packet at byte {at} has no whole header")
        magic, _, _, content, size = header.unpack_from(data, at)[:5]
        if magic != METADATA_MAGIC or size % 8 or content % 8 \
                or content < header.size * 8 or content > size:
            raise TraceError(f"{path}: the metadata is damaged: its packet "
                             f"at byte {at} has a bad header")
        if at + size // 8 > len(data):
            raise TraceError(f"{path}: the metadata is cut short: its packet "
                             f"at byte {at} needs {size // 8} bytes, the file "
                             f"has {len(data) - at} more")
        at += size // 8


def _stream(path, index_path):
    try:
        index = _read(index_path)
    except TraceError:
        return                      # no index: nothing to compare with
    if len(index) < INDEX_HEADER.size:
        return
    magic, _, _, entry = INDEX_HEADER.unpack_from(index)
    if magic != INDEX_MAGIC or entry < INDEX_ENTRY.size:
        return                      # an index we cannot read: ignored
    wanted = 0
    for at in range(INDEX_HEADER.size, len(index) - entry + 1, entry):
        offset, bits = INDEX_ENTRY.unpack_from(index, at)
        wanted = max(wanted, offset + bits // 8)
    size = os.path.getsize(path) if os.path.isfile(path) else 0
    if size < wanted:
        raise TraceError(f"{path}: the stream is cut short: its index "
                         f"lists packets to byte {wanted}, the file has "
                         f"{size}")


def _names(folder):
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _order(data, magic):
    """'<' or '>' if data begins with magic in that byte order, else None."""
    for order in "<>":
        if struct.unpack_from(order + "I", data)[0] == magic:
            return order
    return None


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as error:
        raise TraceError(f"{path}: {error.strerror}") from None
