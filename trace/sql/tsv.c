/* mp-trace-sql --tsv DB: the rows of the timeline's events.tsv, written
 * from a trace's database (one the converter made) at C's speed, where
 * Python took seconds a million rows.
 *
 * What to write is Python's to say (scripts/mptrace/table.py writes the
 * same rows itself when this is missing, and is their definition); it
 * hands over a plan on stdin, one line each, fields apart by tabs:
 *
 *   origin T0               times are written as (ts - T0) / 1e6, "%.3f"
 *   table NAME VPID SQL     an event table's rows: SQL selects id, ts,
 *                           pid, vtid, site, vpid, then the fields shown;
 *                           VPID 1: its vpid is who recorded the event,
 *                           0: its pid is
 *   column LABEL WRAPPED    the table's next field shown, as LABEL=value;
 *                           WRAPPED 1: its negative values are unsigned
 *                           ones stored as value - 2^64
 *   thread PID TID FROM TO  a thread of PID's own, from FROM to TO ns
 *                           (TO empty: to the end)
 *   line PID SITE FROM TEXT the line (TEXT, escaped as events.tsv's
 *                           texts are; empty and no field: none) of an
 *                           event PID recorded at SITE from FROM ns on
 *                           (until the next line of PID and SITE)
 *
 * and every row is written in time order (by id, the tables merged): t_ms,
 * the event's name, its pid, its fields, thread=TID if one of the
 * process's own threads (not the main one) recorded it, line=TEXT if it
 * has one.  A value is an integer, a text (\\, \t, \n escaped) or None.
 *
 * Exit status: 0 written; 2 bad usage or plan; 3 a value of a type Python
 * would write otherwise (a real, a blob): Python writes the file itself;
 * 4 the database could not be read. */
#include "answer.h"
#include "put.h"
#include "sql.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct line { int64_t pid, site, from; char *text; };
struct thread { int64_t pid, tid, from, to; int open; };
struct column { char *label; int wrapped; };
struct table {
	char *name;
	int by_vpid;
	sqlite3_stmt *st;
	int64_t id;             /* its current row's; -1: no more rows */
	struct column *columns;
	size_t ncolumns, cap;
};

struct plan {
	int64_t origin;
	struct line *lines;
	size_t nlines, lines_cap;
	struct thread *threads;
	size_t nthreads, threads_cap;
	struct table *tables;
	size_t ntables, tables_cap;
};

/* *array made room for one more of size bytes; exits on no memory. */
static void *more(void *array, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return array;
	*cap = *cap ? 2 * *cap : 64;
	array = realloc(array, *cap * size);
	if (!array) {
		fprintf(stderr, "mp-trace-sql: out of memory\n");
		exit(EXIT_WRITE);
	}
	return array;
}

static int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }

static int line_order(const void *pa, const void *pb)
{
	const struct line *a = pa, *b = pb;
	int c = cmp_i64(a->pid, b->pid);
	if (!c)
		c = cmp_i64(a->site, b->site);
	return c ? c : cmp_i64(a->from, b->from);
}

static int thread_order(const void *pa, const void *pb)
{
	const struct thread *a = pa, *b = pb;
	int c = cmp_i64(a->pid, b->pid);
	return c ? c : cmp_i64(a->tid, b->tid);
}

/* Reads the plan from f, preparing its tables' SQL on db.  0 or an exit
 * status. */
static int read_plan(FILE *f, sqlite3 *db, struct plan *p)
{
	char *text = NULL, *f_[6];
	size_t size = 0;
	int status = 0;

	while (!status && getline(&text, &size, f) > 0) {
		int n = plan_fields(text, f_, 6);
		if (n == 2 && !strcmp(f_[0], "origin")) {
			p->origin = strtoll(f_[1], NULL, 10);
		} else if (n == 4 && !strcmp(f_[0], "table")) {
			p->tables = more(p->tables, &p->tables_cap, p->ntables,
					 sizeof *p->tables);
			struct table *t = &p->tables[p->ntables++];
			*t = (struct table){ .name = strdup(f_[1]), .by_vpid = f_[2][0] == '1' };
			if (sqlite3_prepare_v2(db, f_[3], -1, &t->st, NULL)) {
				fprintf(stderr, "mp-trace-sql: %s\n",
					sqlite3_errmsg(db));
				status = EXIT_WRITE;
			}
		} else if (n == 3 && !strcmp(f_[0], "column") && p->ntables) {
			struct table *t = &p->tables[p->ntables - 1];
			t->columns = more(t->columns, &t->cap, t->ncolumns,
					  sizeof *t->columns);
			t->columns[t->ncolumns++] = (struct column){
				strdup(f_[1]), f_[2][0] == '1' };
		} else if (n == 5 && !strcmp(f_[0], "thread")) {
			p->threads = more(p->threads, &p->threads_cap,
					  p->nthreads, sizeof *p->threads);
			p->threads[p->nthreads++] = (struct thread){
				strtoll(f_[1], NULL, 10), strtoll(f_[2], NULL, 10),
				strtoll(f_[3], NULL, 10), strtoll(f_[4], NULL, 10),
				f_[4][0] == '\0' };
		} else if ((n == 4 || n == 5) && !strcmp(f_[0], "line")) {
			p->lines = more(p->lines, &p->lines_cap, p->nlines,
					sizeof *p->lines);
			p->lines[p->nlines++] = (struct line){
				strtoll(f_[1], NULL, 10), strtoll(f_[2], NULL, 10),
				strtoll(f_[3], NULL, 10),
				n == 5 ? strdup(f_[4]) : NULL };
		} else {
			fprintf(stderr, "mp-trace-sql: a plan line it does not "
				"know: %s\n", f_[0]);
			status = EXIT_USAGE;
		}
	}
	free(text);
	if (p->nlines)          /* qsort takes no NULL, even of nothing */
		qsort(p->lines, p->nlines, sizeof *p->lines, line_order);
	if (p->nthreads)
		qsort(p->threads, p->nthreads, sizeof *p->threads,
		      thread_order);
	return status;
}

/* The line of an event pid recorded at site at ts, or NULL. */
static const char *line_of(const struct plan *p, int64_t pid, int64_t site,
			   int64_t ts)
{
	size_t lo = 0, hi = p->nlines;      /* the last line <= (pid, site, ts) */
	struct line key = { pid, site, ts, NULL };

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (line_order(&p->lines[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || p->lines[lo - 1].pid != pid || p->lines[lo - 1].site != site)
		return NULL;
	return p->lines[lo - 1].text;
}

/* Whether pid had a thread tid of its own at ts. */
static int thread_at(const struct plan *p, int64_t pid, int64_t tid,
		     int64_t ts)
{
	size_t lo = 0, hi = p->nthreads;
	struct thread key = { .pid = pid, .tid = tid };

	while (lo < hi) {                   /* the first >= (pid, tid) */
		size_t mid = lo + (hi - lo) / 2;
		if (thread_order(&p->threads[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->nthreads && !thread_order(&p->threads[lo], &key); lo++)
		if (p->threads[lo].from <= ts &&
		    (p->threads[lo].open || ts <= p->threads[lo].to))
			return 1;
	return 0;
}

/* Column i of st as Python's str() writes it.  0, or EXIT_UNSUPPORTED. */
static int value(sqlite3_stmt *st, int i, int wrapped, struct out *o)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: {
		int64_t v = sqlite3_column_int64(st, i);
		if (wrapped && v < 0)
			put_u64(o, (uint64_t)v);
		else
			put_i64(o, v);
		return 0;
	}
	case SQLITE_TEXT:
		put_escaped(o, sqlite3_column_text(st, i),
			    sqlite3_column_bytes(st, i));
		return 0;
	case SQLITE_NULL:
		put_s(o, "None");
		return 0;
	default:
		fprintf(stderr, "mp-trace-sql: a real or a blob in %s\n",
			sqlite3_column_name(st, i));
		return EXIT_UNSUPPORTED;
	}
}

/* The row t's statement is on.  0 or an exit status. */
static int row(const struct plan *p, const struct table *t, struct out *o)
{
	sqlite3_stmt *st = t->st;
	int64_t ts = sqlite3_column_int64(st, 1);
	int has_pid = sqlite3_column_type(st, 2) != SQLITE_NULL;
	int64_t pid = sqlite3_column_int64(st, 2);
	int who = t->by_vpid ? 5 : 2;

	put_ms(o, ts - p->origin);
	put(o, "\t", 1);
	put_s(o, t->name);
	put(o, "\t", 1);
	if (has_pid)
		put_i64(o, pid);
	else
		put_s(o, "None");
	for (size_t i = 0; i < t->ncolumns; i++) {
		put(o, "\t", 1);
		put_s(o, t->columns[i].label);
		put(o, "=", 1);
		int status = value(st, 6 + (int)i, t->columns[i].wrapped, o);
		if (status)
			return status;
	}
	if (has_pid && sqlite3_column_type(st, 3) != SQLITE_NULL &&
	    strcmp(t->name, "proc_state")) {
		int64_t vtid = sqlite3_column_int64(st, 3);
		if (vtid != pid && thread_at(p, pid, vtid, ts)) {
			put_s(o, "\tthread=");
			put_i64(o, vtid);
		}
	}
	int64_t site = sqlite3_column_int64(st, 4);
	if (site && sqlite3_column_type(st, who) != SQLITE_NULL) {
		const char *text = line_of(p, sqlite3_column_int64(st, who), site,
					   ts);
		if (text) {
			put_s(o, "\tline=");
			put_s(o, text);
		}
	}
	put(o, "\n", 1);
	return 0;
}

static int step(sqlite3 *db, struct table *t)
{
	int rc = sqlite3_step(t->st);
	if (rc == SQLITE_ROW) {
		t->id = sqlite3_column_int64(t->st, 0);
		return 0;
	}
	t->id = -1;
	if (rc == SQLITE_DONE)
		return 0;
	fprintf(stderr, "mp-trace-sql: %s\n", sqlite3_errmsg(db));
	return EXIT_WRITE;
}

/* Every table's rows, merged by id.  0 or an exit status. */
static int rows(sqlite3 *db, struct plan *p, struct out *out)
{
	int status = 0;

	for (size_t i = 0; !status && i < p->ntables; i++)
		status = step(db, &p->tables[i]);
	while (!status) {
		struct table *next = NULL;
		for (size_t i = 0; i < p->ntables; i++)
			if (p->tables[i].id >= 0 &&
			    (!next || p->tables[i].id < next->id))
				next = &p->tables[i];
		if (!next)
			break;
		status = row(p, next, out);
		if (!status)
			status = step(db, next);
	}
	return status;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->ntables; i++) {
		sqlite3_finalize(p->tables[i].st);
		free(p->tables[i].name);
		for (size_t c = 0; c < p->tables[i].ncolumns; c++)
			free(p->tables[i].columns[c].label);
		free(p->tables[i].columns);
	}
	for (size_t i = 0; i < p->nlines; i++)
		free(p->lines[i].text);
	free(p->tables);
	free(p->lines);
	free(p->threads);
}

static int tsv_answer(sqlite3 *db, struct out *o, void *arg)
{
	struct plan plan = {0};
	int status = read_plan(stdin, db, &plan);

	if (!status)
		status = rows(db, &plan, o);
	plan_free(&plan);
	return status;
}

int tsv_main(const char *path)
{
	return answer(path, tsv_answer, NULL);
}
