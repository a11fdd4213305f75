/*
 * 16-lookup - a tiny line-answering program for lesson 16, in place of the
 * seeds' nslookup (which needs a network).
 *
 * usage: 16-lookup [--help]
 *
 * Reads host names from stdin, one a line, and answers each from a small
 * table of its own, the way nslookup answers from a name server:
 *
 *     localhost       ->  stdout "Name: localhost  Address: 127.0.0.1"
 *     nowhere.invalid ->  stderr "** server can't find nowhere.invalid: NXDOMAIN"
 *
 * It flushes after every answer, so a program talking to it line by line
 * gets each answer at once (stdout to a pipe is otherwise fully buffered,
 * and the answer would sit in this program's buffer: a classic hang).
 * It ends at end of file with status 0, or 1 if some name was unknown.
 *
 * It is deliberately not linked with the runtime: it is "another program",
 * like nslookup; its lane on the timeline comes from the lesson's spawn.
 */
#define _GNU_SOURCE
#include "lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: 16-lookup [--help]\n"
		     "Answers host names read from stdin, one a line, from a built-in table.\n");
}

static const struct {
	const char *name, *address;
} table[] = {
	{ "localhost", "127.0.0.1" },
	{ "ip6-localhost", "::1" },
	{ "www.example.com", "93.184.215.14" },
	{ "docs.python.org", "151.101.0.223" },
	{ "lttng.org", "167.114.159.179" },
};

int main(int argc, char **argv)
{
	char line[256];
	int unknown = 0;

	lesson_no_options(argc, argv, usage);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		const char *address = NULL;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
			if (strcmp(line, table[i].name) == 0)
				address = table[i].address;
		if (address != NULL) {
			printf("Name: %s  Address: %s\n", line, address);
			fflush(stdout);
		} else {
			fprintf(stderr, "** server can't find %s: NXDOMAIN\n", line);
			unknown = 1;
		}
	}
	return unknown;
}
