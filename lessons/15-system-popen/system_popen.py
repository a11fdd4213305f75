#!/usr/bin/python3
"""15-system-popen in Python: running other programs - os.system, os.popen,
subprocess.call, run, check_output, and the shell against an argument list.

usage: system_popen.py [--help]

  1. os.system(line)    the wait status: exit code in the high byte,
                        signal number in the low one
  2. os.popen(line)     a file to read the program's stdout from; close()
                        gives None for success, else the wait status
  3. call(argv)         just the returncode
  4. run(argv, check=True)  a non-zero exit raises CalledProcessError,
                        carrying the returncode and the captured output
  5. check_output(argv, stderr=STDOUT)  the output, stderr merged into it
  6. shell=True understands "*" and "|"; an argument list does not; and
     a program that does not exist raises FileNotFoundError in the parent
"""
import argparse
import os
import subprocess
import sys
import tempfile

# Each line in one write(), at once (even with PYTHONUNBUFFERED=1): our lines
# are out before a child prints on the same stdout.
sys.stdout.reconfigure(line_buffering=True, write_through=False)

argparse.ArgumentParser(description="Runs other programs with system, popen, call, run "
                        "and check_output.").parse_args()


def print_indented(label, text):
    for line in text.splitlines():
        print(f"    {label} {line}")


print("== 1. os.system(): the wait status")
for line in ("true", "exit 3", "kill -TERM $$"):     # the last: the shell kills itself
    st = os.system(line)
    if os.WIFEXITED(st):
        print(f'system("{line}") = {st}: exited, code {os.WEXITSTATUS(st)} ({st} >> 8)')
    else:
        print(f'system("{line}") = {st}: killed by signal {os.WTERMSIG(st)} ({st} & 0x7f)')

print("\n== 2. os.popen(): reading a program's output")
with os.popen("printf 'apple\\nbanana\\ncherry\\n' | sort -r") as f:
    for line in f:
        print(f"read: {line.rstrip()}")
    print(f"close() = {f.close()}")

print("\n== 3. call(): the returncode")
print(f"call(['true']) = {subprocess.call(['true'])}")
# ls says why on stderr, which the child shares with us.
print(f"call(['ls', '/nonexistent']) = {subprocess.call(['ls', '/nonexistent'])}")

print("\n== 4. run() with check=True")
try:
    subprocess.run(["sh", "-c", "echo about to fail; exit 5"], capture_output=True,
                   text=True, check=True)
    print("no error?")
except subprocess.CalledProcessError as e:
    print(f"CalledProcessError: {e}")
    print_indented("captured stdout:", e.stdout)

print("\n== 5. check_output() with stderr=STDOUT")
out = subprocess.check_output(["sh", "-c", "echo to stdout; echo to stderr >&2"],
                              stderr=subprocess.STDOUT, text=True)
print_indented("output:", out)

print("\n== 6. a shell line or an argument list")
with tempfile.TemporaryDirectory(prefix="lesson15-") as d:
    for name in ("a.c", "b.c", "notes.txt"):
        open(os.path.join(d, name), "w").close()
    print("in a directory holding a.c b.c notes.txt:")
    r = subprocess.run("ls *.c | wc -l", shell=True, cwd=d, capture_output=True, text=True)
    print(f'shell line "ls *.c | wc -l"      -> returncode {r.returncode}, output: {r.stdout}',
          end="")
    r = subprocess.run(["ls", "*.c", "|", "wc", "-l"], cwd=d, capture_output=True, text=True)
    print(f"argv ['ls','*.c','|','wc','-l'] -> returncode {r.returncode}, "
          "ls looked for files named so:")
    print_indented("stderr:", r.stderr)
try:
    subprocess.run(["no-such-program"])
except FileNotFoundError as e:
    print(f"run(['no-such-program']) -> FileNotFoundError: [Errno {e.errno}] {e.strerror}")
