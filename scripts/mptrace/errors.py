"""The two ways a tool's input can be wrong; each ends a tool with exit
status 2 and one line on stderr, never a traceback."""


class TraceError(Exception):
    """The trace could not be read (missing, not a trace, cut short, of the
    wrong shape)."""


class UsageError(Exception):
    """A question, an argument or an option that does not make sense."""
