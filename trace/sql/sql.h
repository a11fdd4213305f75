/* mp-trace-sql: a CTF trace into an SQLite database (see main.c).  The
 * database side, as the reading side (main.c) uses it. */
#ifndef MP_TRACE_SQL_H
#define MP_TRACE_SQL_H

#include <babeltrace2/babeltrace.h>
#include <stdint.h>

/* What the output's layout is: the Python reader (scripts/mptrace/read/
 * store.py, FORMAT) refuses a database of another. */
#define SQL_FORMAT 1
/* The converter's own version: a cache made by another is made again. */
#define SQL_VERSION "mp-trace-sql 3"

/* Exit statuses (and what db_*() failures mean). */
enum {
	EXIT_READ = 1,          /* babeltrace2 could not read the trace */
	EXIT_USAGE = 2,
	EXIT_UNSUPPORTED = 3,   /* a field of a type it does not convert */
	EXIT_WRITE = 4,         /* SQLite could not write the database */
};

struct db;

/* Creates the database at path (which must not exist) and begins the one
 * transaction everything goes into.  NULL: the reason is on stderr. */
struct db *db_open(const char *path);

/* Adds one event read at ts (ns from the clock's origin).  0, or an exit
 * status with the reason in db_error(). */
int db_event(struct db *db, const bt_event *event, int64_t ts);

/* Counts n events the tracer reported lost. */
void db_discarded(struct db *db, uint64_t n);

/* Writes what is known only at the end (the events view, meta, the
 * counts) and commits.  0, or an exit status. */
int db_finish(struct db *db);

/* Frees everything; the file stays as it is. */
void db_close(struct db *db);

/* Why the last call failed. */
const char *db_error(const struct db *db);

/* mp-trace-sql --tsv DB: events.tsv's rows from the database at path, as
 * the plan on stdin says (tsv.c).  An exit status. */
int tsv_main(const char *path);

/* mp-trace-sql --json-messages DB: trace-json's message slices and arrows
 * from the database at path, as the plan on stdin says (json.c).  An exit
 * status. */
int json_main(const char *path);

/* mp-trace-sql --crowds DB: the timeline's density bands and the arrows
 * left, from the database at path, as the plan on stdin says
 * (crowds.c).  An exit status. */
int crowds_main(const char *path);

/* mp-trace-sql --gaps DB: the gaps between the times a query of the
 * database at path lists, those the timeline's heap of the widest would
 * take (gaps.c).  An exit status. */
int gaps_main(const char *path);

#endif
