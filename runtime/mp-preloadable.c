/*
 * mp-preloadable - can LD_PRELOAD=libmp-preload.so enter this program?
 *
 * usage: mp-preloadable [--quiet] PROGRAM
 *
 * PROGRAM is looked up in PATH unless it has a '/'.  A "#!" script is
 * judged by its interpreter.  Prints one line, for instance
 *
 *   /usr/bin/python3.11: dynamic
 *   ./hello-static: static: a preload cannot enter it; only the watcher sees it
 *
 * Exit status: 0 dynamic (the preload enters); 1 static or set-uid (it
 * cannot: LD_PRELOAD is ignored); 2 bad usage, or PROGRAM not found or not a
 * program.  --quiet prints nothing.  scripts/ asks it before a traced run.
 */
#define _GNU_SOURCE
#include "src/interpose/elfcheck.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX], program[PATH_MAX];
	bool quiet = argc > 1 && strcmp(argv[1], "--quiet") == 0;
	const char *file = argv[quiet ? 2 : 1];

	if (argc != (quiet ? 3 : 2) || file[0] == '-') {
		fprintf(stderr, "usage: mp-preloadable [--quiet] PROGRAM\n");
		return 2;
	}
	if (mp_exec_search(file, path, sizeof(path)) == -1) {
		if (!quiet)
			fprintf(stderr, "mp-preloadable: %s: no such program in PATH\n", file);
		return 2;
	}
	enum mp_exec_kind kind = mp_exec_kind(path, program, sizeof(program));

	if (quiet)
		return kind == MP_EXEC_DYNAMIC ? 0 : kind == MP_EXEC_UNKNOWN ? 2 : 1;
	switch (kind) {
	case MP_EXEC_DYNAMIC:
		printf("%s: dynamic\n", program);
		return 0;
	case MP_EXEC_STATIC:
		printf("%s: static: a preload cannot enter it; only the watcher sees it\n", program);
		return 1;
	case MP_EXEC_SETUID:
		printf("%s: set-uid or set-gid: the dynamic linker ignores the preload; only the watcher sees it\n",
		       program);
		return 1;
	default:
		fprintf(stderr, "mp-preloadable: %s: not a program this machine can run\n", program);
		return 2;
	}
}
