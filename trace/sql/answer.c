/* The modes that answer from a database: see answer.h. */
#include "answer.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

int answer(const char *path, int (*fn)(sqlite3 *db, struct out *o, void *arg),
	   void *arg)
{
	static struct out out;
	sqlite3 *db = NULL;
	int status;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL)) {
		fprintf(stderr, "mp-trace-sql: %s: %s\n", path,
			db ? sqlite3_errmsg(db) : "cannot open it");
		sqlite3_close(db);
		return EXIT_WRITE;
	}
	out.f = stdout;
	out.n = 0;
	status = fn(db, &out, arg);
	put_flush(&out);
	if (fflush(stdout) && !status) {
		perror("mp-trace-sql: writing the answer");
		status = EXIT_WRITE;
	}
	sqlite3_close(db);
	return status;
}

int plan_fields(char *text, char **field, int n)
{
	int i = 0;

	text[strcspn(text, "\n")] = '\0';
	for (; i < n - 1 && text; i++)
		field[i] = strsep(&text, "\t");
	if (text)                       /* the last: the rest of the line */
		field[i++] = text;
	return i;
}
