/* mp-trace-sql's database as a connection: opened (one transaction, the
 * meta and fields tables), a failure's reason kept, SQL run, closed with
 * everything the layouts and tables hold.  db.c and layout.c stand on it. */
#include "tables.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int db_fail(struct db *db, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->error, sizeof db->error, fmt, ap);
	va_end(ap);
	return status;
}

int db_sql_fail(struct db *db, const char *what)
{
	return db_fail(db, EXIT_WRITE, "%s: %s", what, sqlite3_errmsg(db->sql));
}

int db_exec(struct db *db, const char *text)
{
	return sqlite3_exec(db->sql, text, NULL, NULL, NULL) == SQLITE_OK
		? 0 : db_sql_fail(db, text);
}

const char *db_error(const struct db *db)
{
	return db->error;
}

struct db *db_open(const char *path)
{
	struct db *db = calloc(1, sizeof *db);

	if (db && !(db->pairs = pairs_new())) {
		free(db);
		db = NULL;
	}
	if (!db) {
		fprintf(stderr, "mp-trace-sql: out of memory\n");
		return NULL;
	}
	if (sqlite3_open_v2(path, &db->sql, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE |
			    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK
	    || db_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
		    "PRAGMA locking_mode=EXCLUSIVE; BEGIN; "
		    "CREATE TABLE meta(key TEXT PRIMARY KEY, value);"
		    "CREATE TABLE fields(event TEXT, name TEXT, field TEXT, "
		    "part TEXT, type TEXT, wrapped INTEGER DEFAULT 0, "
		    "mixed INTEGER DEFAULT 0, PRIMARY KEY(event, name))")) {
		fprintf(stderr, "mp-trace-sql: %s: %s\n", path,
			db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		db_close(db);
		return NULL;
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nlayouts; i++) {
		sqlite3_finalize(db->layouts[i].insert);
		free(db->layouts[i].kinds);
		free(db->layouts[i].cols);
	}
	for (size_t i = 0; i < db->ntables; i++) {
		struct table *t = db->tables[i];
		for (size_t j = 0; j < t->ncols; j++) {
			sqlite3_free(t->cols[j].name);
			sqlite3_free(t->cols[j].field);
		}
		free(t->cols);
		sqlite3_free(t->name);
		free(t);
	}
	free(db->layouts);
	free(db->tables);
	free(db->buf);
	pairs_free(db->pairs);
	sqlite3_close(db->sql);
	free(db);
}
