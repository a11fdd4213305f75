/* mp-trace-sql --gaps DB: the stretches with no event between the
 * timeline's lanes' own events, from the database, where Python took a
 * second to walk a million times for the widest few.
 *
 * scripts/mptrace/draw/drawing.py (Drawing._gaps) is the definition and
 * walks the times itself when this is missing; it keeps the widest
 * MOST gaps in a heap, whose order the picture depends on.  This writes
 * every gap that heap would take in (the first MOST, then each wider
 * than the narrowest kept), in order, and Python pushes those into its
 * heap as it would have: the same heap.  The plan on stdin, one line
 * each, fields apart by tabs:
 *
 *   t0 NS                 a time is t = (ts - NS) / 1e6 (ms)
 *   most N                how many gaps are kept
 *   sql SELECT            the query whose rows are (id, ts), in time order
 *
 * Written, one line each, doubles as %.17g (Python reads them back
 * exactly):
 *
 *   first T               the first time (none if no row)
 *   gap WIDTH BEFORE AFTER
 *                         a gap between two distinct times, in order
 *   last T                the last time
 *   count N               how many gaps there were in all
 *
 * Exit status: 0 written; 2 bad usage or plan; 3 a ts that is not an
 * integer; 4 the database could not be read. */
#include "answer.h"
#include "put.h"
#include "sql.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define MOST_MAX 64

struct gap { double width, before, after; };

struct plan {
	int64_t t0;
	int most;
	char *sql;
};

static int read_plan(struct plan *p)
{
	char *text = NULL, *f[2];
	size_t size = 0;
	int status = 0;

	while (!status && getline(&text, &size, stdin) > 0) {
		int n = plan_fields(text, f, 2);
		if (n == 2 && !strcmp(f[0], "t0"))
			p->t0 = strtoll(f[1], NULL, 10);
		else if (n == 2 && !strcmp(f[0], "most"))
			p->most = atoi(f[1]);
		else if (n == 2 && !strcmp(f[0], "sql") && !p->sql)
			p->sql = strdup(f[1]);
		else
			status = EXIT_USAGE;
	}
	free(text);
	if (!p->sql || p->most < 1 || p->most > MOST_MAX)
		status = EXIT_USAGE;
	return status;
}

/* Python's tuple order on (width, before, after). */
static int less(const struct gap *a, const struct gap *b)
{
	if (a->width != b->width)
		return a->width < b->width;
	if (a->before != b->before)
		return a->before < b->before;
	return a->after < b->after;
}

/* The narrowest of the kept first (a binary min-heap). */
static void sift_down(struct gap *h, int n, int i)
{
	for (;;) {
		int least = i, l = 2 * i + 1, r = 2 * i + 2;
		if (l < n && less(&h[l], &h[least]))
			least = l;
		if (r < n && less(&h[r], &h[least]))
			least = r;
		if (least == i)
			return;
		struct gap t = h[i];
		h[i] = h[least];
		h[least] = t;
		i = least;
	}
}

static void sift_up(struct gap *h, int i)
{
	while (i > 0 && less(&h[i], &h[(i - 1) / 2])) {
		struct gap t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int walk(sqlite3 *db, const struct plan *p, struct out *o)
{
	struct gap kept[MOST_MAX];
	sqlite3_stmt *st;
	double prev = 0;
	int64_t count = 0;
	int rc, n = 0, any = 0;

	if (sqlite3_prepare_v2(db, p->sql, -1, &st, NULL))
		return EXIT_WRITE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			sqlite3_finalize(st);
			return EXIT_UNSUPPORTED;
		}
		double t = (double)(sqlite3_column_int64(st, 1) - p->t0) / 1e6;
		if (any && t == prev)
			continue;
		if (!any) {
			put_s(o, "first\t");
			put_double(o, t);
			put_s(o, "\n");
			any = 1;
		} else {
			struct gap g = { t - prev, prev, t };
			count++;
			if (n < p->most || less(&kept[0], &g)) {
				put_s(o, "gap\t");
				put_double(o, g.width);
				put_s(o, "\t");
				put_double(o, g.before);
				put_s(o, "\t");
				put_double(o, g.after);
				put_s(o, "\n");
				if (n < p->most) {
					kept[n] = g;
					sift_up(kept, n++);
				} else {
					kept[0] = g;
					sift_down(kept, n, 0);
				}
			}
		}
		prev = t;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return EXIT_WRITE;
	if (any) {
		put_s(o, "last\t");
		put_double(o, prev);
		put_s(o, "\n");
	}
	put_s(o, "count\t");
	put_i64(o, count);
	put_s(o, "\n");
	return 0;
}

static int gaps_answer(sqlite3 *db, struct out *o, void *arg)
{
	struct plan plan = {0};
	int status = read_plan(&plan);

	if (!status)
		status = walk(db, &plan, o);
	free(plan.sql);
	return status;
}

int gaps_main(const char *path)
{
	return answer(path, gaps_answer, NULL);
}
