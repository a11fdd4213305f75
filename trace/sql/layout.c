/* The database mp-trace-sql writes: a table per event name, made from the
 * event classes as they come.  Nothing here knows the mp provider: a new
 * event, or a new field, needs no change.
 *
 *   meta(key, value)      format, converter, events, discarded
 *   fields(event, name, field, part, type, wrapped, mixed)
 *                         one row per column of an event's table: its SQL
 *                         name, the CTF field it holds, "payload",
 *                         "context" (the stream's, common to its events:
 *                         LTTng's vpid, vtid...) or "event context", its
 *                         type, how many unsigned values
 *                         above 2^63-1 it holds wrapped (as value - 2^64),
 *                         1 if another event class of that name gave the
 *                         field another type (its values are of both)
 *   "EVENT"(id, ts, payload fields..., context fields...)
 *   events                a view: id, ts, name, pid of every event
 *   messages              the messages paired (pairs.c)
 *
 * id numbers the events from 0 in the order read, which is time order (the
 * muxer's); ts is ns from the clock's origin.  A column takes the field's
 * name, unless that name is taken (id, ts, or a payload field of the same
 * name as a context field): then "payload_" or "context_" goes before it.
 * docs/trace-sql.md shows the tables to students.
 */
#include "tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const RESERVED[] = {"meta", "fields", "events",
				       "messages"};

static enum kind kind_of(const bt_field_class *fc, int *ok)
{
	bt_field_class_type t = bt_field_class_get_type(fc);

	*ok = 1;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
		return SIGNED;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
		return UNSIGNED;
	if (bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_REAL))
		return REAL;
	if (t == BT_FIELD_CLASS_TYPE_STRING)
		return STRING;
	*ok = 0;
	return STRING;
}

static const char *const TYPES[] = {"INTEGER", "UNSIGNED BIG INT", "REAL",
				    "TEXT"};

static struct column *find_column(struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

static const char *const PARTS[] = {"payload", "context", "event context"};

/* The place in t->cols of field (of part: see PARTS), added if new. */
static int column(struct db *db, struct table *t, const char *field,
		  int part, enum kind kind, size_t *out)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (t->cols[i].part == part
		    && strcmp(t->cols[i].field, field) == 0) {
			t->cols[i].mixed |= t->cols[i].kind != (int)kind;
			return *out = i, 0;
		}
	char *name = sqlite3_mprintf("%s", field);
	if (name && (!strcmp(name, "id") || !strcmp(name, "ts")
		     || find_column(t, name))) {
		sqlite3_free(name);
		name = sqlite3_mprintf("%s_%s", part ? "context" : "payload",
				       field);
	}
	struct column *more = realloc(t->cols, (t->ncols + 1) * sizeof *more);
	if (!name || !more) {
		sqlite3_free(name);
		if (more)
			t->cols = more;
		return db_fail(db, EXIT_WRITE, "out of memory");
	}
	t->cols = more;
	if (find_column(t, name)) {
		sqlite3_free(name);
		return db_fail(db, EXIT_UNSUPPORTED, "event %s: two fields "
			    "called %s", t->name, field);
	}
	struct column *c = &t->cols[t->ncols++];
	*c = (struct column){name, sqlite3_mprintf("%s", field), part,
			     (int)kind, 0, 0};
	char *sql = sqlite3_mprintf(
		"ALTER TABLE \"%w\" ADD COLUMN \"%w\" %s; "
		"INSERT INTO fields(event, name, field, part, type) "
		"VALUES('%q', '%q', '%q', '%s', '%s')", t->name, name,
		TYPES[kind], t->name, name, field,
		PARTS[part], TYPES[kind]);
	int status = sql && c->field ? db_exec(db, sql)
		: db_fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	*out = t->ncols - 1;
	return status;
}

static int table(struct db *db, const char *name, struct table **out)
{
	for (size_t i = 0; i < db->ntables; i++)
		if (strcmp(db->tables[i]->name, name) == 0)
			return *out = db->tables[i], 0;
	for (size_t i = 0; i < sizeof RESERVED / sizeof *RESERVED; i++)
		if (strcmp(name, RESERVED[i]) == 0 || !strncmp(name, "sqlite_", 7))
			return db_fail(db, EXIT_UNSUPPORTED, "an event is called "
				    "%s, as a table of the database", name);
	struct table **more = realloc(db->tables,
				      (db->ntables + 1) * sizeof *more);
	struct table *t = calloc(1, sizeof *t);
	if (more)
		db->tables = more;
	if (!more || !t || !(t->name = sqlite3_mprintf("%s", name))) {
		free(t);
		return db_fail(db, EXIT_WRITE, "out of memory");
	}
	db->tables[db->ntables++] = t;
	char *sql = sqlite3_mprintf("CREATE TABLE \"%w\"(id INTEGER PRIMARY "
				    "KEY, ts INTEGER NOT NULL)", name);
	int status = sql ? db_exec(db, sql) : db_fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	*out = t;
	return status;
}

static uint64_t member_count(const bt_field_class *fc)
{
	return fc ? bt_field_class_structure_get_member_count(fc) : 0;
}

/* The members of part (0 payload, 1 common context, 2 specific context)
 * of an event class, a structure field class (NULL: none), as columns. */
static int members(struct db *db, struct layout *l, const bt_field_class *fc,
		   int part)
{
	uint64_t n = member_count(fc);

	for (uint64_t i = 0; i < n; i++) {
		const bt_field_class_structure_member *m =
			bt_field_class_structure_borrow_member_by_index_const(fc, i);
		const char *field = bt_field_class_structure_member_get_name(m);
		int ok;
		size_t at = l->n[0] + l->n[1] + l->n[2];
		enum kind kind = kind_of(
			bt_field_class_structure_member_borrow_field_class_const(m),
			&ok);
		if (!ok)
			return db_fail(db, EXIT_UNSUPPORTED, "event %s: field %s is "
				    "of a type mp-trace-sql does not convert",
				    l->table->name, field);
		l->kinds[at] = kind;
		int status = column(db, l->table, field, part, kind,
				    &l->cols[at]);
		if (status)
			return status;
		l->n[part]++;
	}
	return 0;
}

/* The INSERT of one event class's rows. */
static int statement(struct db *db, struct layout *l)
{
	size_t n = l->n[0] + l->n[1] + l->n[2];
	sqlite3_str *s = sqlite3_str_new(db->sql);

	sqlite3_str_appendf(s, "INSERT INTO \"%w\"(id, ts", l->table->name);
	for (size_t i = 0; i < n; i++)
		sqlite3_str_appendf(s, ", \"%w\"", l->table->cols[l->cols[i]].name);
	sqlite3_str_appendall(s, ") VALUES(?, ?");
	for (size_t i = 0; i < n; i++)
		sqlite3_str_appendall(s, ", ?");
	sqlite3_str_appendall(s, ")");
	char *sql = sqlite3_str_finish(s);
	int status = sql && sqlite3_prepare_v3(db->sql, sql, -1,
					       SQLITE_PREPARE_PERSISTENT,
					       &l->insert, NULL) == SQLITE_OK
		? 0 : db_sql_fail(db, "preparing an insert");
	sqlite3_free(sql);
	return status;
}

int db_layout(struct db *db, const bt_event_class *cls, struct layout **out)
{
	const char *name = bt_event_class_get_name(cls);
	const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(cls);
	const bt_field_class *payload =
		bt_event_class_borrow_payload_field_class_const(cls);
	const bt_field_class *common =
		bt_stream_class_borrow_event_common_context_field_class_const(sc);
	const bt_field_class *specific =
		bt_event_class_borrow_specific_context_field_class_const(cls);
	size_t n = member_count(payload) + member_count(common)
		+ member_count(specific);
	struct layout *more = realloc(db->layouts,
				      (db->nlayouts + 1) * sizeof *more);

	if (!more)
		return db_fail(db, EXIT_WRITE, "out of memory");
	db->layouts = more;
	struct layout *l = &db->layouts[db->nlayouts];
	*l = (struct layout){.cls = cls};
	l->kinds = calloc(n + 1, sizeof *l->kinds);
	l->cols = calloc(n + 1, sizeof *l->cols);
	if (!l->kinds || !l->cols) {
		free(l->kinds);
		free(l->cols);
		return db_fail(db, EXIT_WRITE, "out of memory");
	}
	db->nlayouts++;
	if (!name)
		return db_fail(db, EXIT_READ, "an event class without a name");
	if (!bt_stream_class_borrow_default_clock_class_const(sc))
		return db_fail(db, EXIT_READ, "event %s: no clock", name);
	/* "mp:msg_send" -> msg_send, as the Python reader names events */
	const char *colon = strchr(name, ':');
	int status = table(db, colon ? colon + 1 : name, &l->table);
	if (!status)
		status = members(db, l, payload, 0);
	if (!status)
		status = members(db, l, common, 1);
	if (!status)
		status = members(db, l, specific, 2);
	if (!status)
		status = statement(db, l);
	*out = l;
	return status;
}

/* The events view: id, ts, name, pid of every table. */
int db_events_view(struct db *db)
{
	sqlite3_str *s = sqlite3_str_new(db->sql);

	sqlite3_str_appendall(s, "CREATE VIEW events AS ");
	for (size_t i = 0; i < db->ntables; i++) {
		struct table *t = db->tables[i];
		struct column *pid = find_column(t, "pid");
		sqlite3_str_appendf(s, "%sSELECT id, ts, '%q' AS name, %s AS pid "
				    "FROM \"%w\"", i ? " UNION ALL " : "",
				    t->name, pid && !pid->part ? "pid"
				    : "NULL", t->name);
	}
	if (!db->ntables)
		sqlite3_str_appendall(s, "SELECT 0 AS id, 0 AS ts, '' AS name, "
				      "0 AS pid WHERE 0");
	char *sql = sqlite3_str_finish(s);
	int status = sql ? db_exec(db, sql) : db_fail(db, EXIT_WRITE, "out of memory");
	sqlite3_free(sql);
	return status;
}
