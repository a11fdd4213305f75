"""Small words every tool says the same way."""

import signal


def signal_name(signo):
    """'SIGTERM' for 15; 'signal 99' for a number Python does not know."""
    try:
        return signal.Signals(signo).name
    except ValueError:
        return f"signal {signo}"


def short_id(ident):
    """A shared id is (creator pid << 32) | sequence: its sequence number
    is what a student counts (task 3); small ids are kept whole."""
    return ident & 0xffffffff if ident >= 1 << 32 else ident


def size(n):
    """'12 B', '4.0 KiB', '1.0 MiB'."""
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def duration(ms):
    """'300 ms', '4.2 ms', '0.35 ms', '12.5 s'."""
    if ms >= 10000:
        return f"{ms / 1000:.1f} s"
    if ms >= 10:
        return f"{ms:.0f} ms"
    return f"{ms:.1f} ms" if ms >= 1 else f"{ms:.2f} ms"
