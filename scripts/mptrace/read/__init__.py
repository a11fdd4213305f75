"""Reading a recording: a CTF trace directory (LTTng's) or a JSON list of
events (the tests' synthetic traces), as a Recording; mptrace.load makes
the Trace of it."""
