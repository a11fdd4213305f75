/* What the modes that answer from a database share (tsv.c, json.c,
 * crowds.c, gaps.c): the database opened read-only, the plan on stdin
 * split into fields, the answer written to stdout through put.h. */
#ifndef MP_TRACE_SQL_ANSWER_H
#define MP_TRACE_SQL_ANSWER_H

#include "put.h"

#include <sqlite3.h>

/* Opens the database at path read-only and calls fn(db, out, arg), out
 * writing to stdout, then writes out what is left.  fn's exit status, or
 * EXIT_WRITE (sql.h) if the database cannot be opened or stdout
 * written; the reason on stderr. */
int answer(const char *path, int (*fn)(sqlite3 *db, struct out *o, void *arg),
	   void *arg);

/* The plan's line text (its newline dropped) split at its tabs into at
 * most n fields, the last the rest of the line; how many. */
int plan_fields(char *text, char **field, int n);

#endif
