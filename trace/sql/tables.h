/* tables.h - mp-trace-sql's database inside (sql.h is its face): a table
 * per event name, a layout per event class (layout.c makes them), the rows
 * (db.c), the connection under both (conn.c). */
#ifndef MP_TRACE_SQL_TABLES_H
#define MP_TRACE_SQL_TABLES_H

#include "sql.h"

#include <sqlite3.h>
#include <stddef.h>

enum kind { SIGNED, UNSIGNED, REAL, STRING };

struct column {
	char *name;             /* the SQL column */
	char *field;            /* the CTF field */
	int part;               /* 0 payload, 1 context, 2 event context */
	int kind, mixed;        /* its type; another came too */
	uint64_t wrapped;
};

struct table {
	char *name;
	struct column *cols;
	size_t ncols;
};

/* One event class: where each of its fields goes. */
struct layout {
	const bt_event_class *cls;
	struct table *table;
	sqlite3_stmt *insert;
	size_t n[3];            /* payload, common and specific context
				   fields, in the statement's order */
	enum kind *kinds;
	size_t *cols;           /* their columns' places in table->cols */
};

struct db {
	sqlite3 *sql;
	struct table **tables;  /* each on its own: layouts point to them */
	size_t ntables;
	struct layout *layouts;
	size_t nlayouts, last;
	int64_t events;
	uint64_t discarded;
	struct pairs *pairs;    /* the messages paired (pairs.c) */
	char *buf;              /* a string made valid UTF-8 */
	size_t bufsize;
	char error[512];
};

/* The layout of an event's class, made (with its table's new columns) the
 * first time one comes.  0, or an exit status with the reason in db. */
int db_layout(struct db *db, const bt_event_class *cls, struct layout **out);

/* The events view (id, ts, name, pid of every event), once every table
 * is made.  0, or an exit status. */
int db_events_view(struct db *db);

/* The messages table (pairs.c): pairs_event() sees every event after
 * its row is written, pairs_finish() writes the table.  0, or an exit
 * status. */
struct pairs *pairs_new(void);
int pairs_event(struct db *db, const char *name, const bt_event *event,
		int64_t id, int64_t ts);
int pairs_finish(struct db *db);
void pairs_free(struct pairs *p);

/* Stops with status: the reason (printf's) kept in db->error. */
int db_fail(struct db *db, int status, const char *fmt, ...);

/* Stops with EXIT_WRITE: what failed, and SQLite's reason. */
int db_sql_fail(struct db *db, const char *what);

/* Runs SQL text; 0, or db_sql_fail's status. */
int db_exec(struct db *db, const char *text);

#endif
