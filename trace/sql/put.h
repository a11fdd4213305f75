/* Text out through a buffer (put.c): what mp-trace-sql --tsv writes
 * with, at a few ns a field. */
#ifndef MP_TRACE_SQL_PUT_H
#define MP_TRACE_SQL_PUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct out {
	FILE *f;                /* where put_flush() and a full buffer go */
	size_t n;
	char buf[1 << 16];
};

void put(struct out *o, const char *s, size_t n);
void put_s(struct out *o, const char *s);
void put_u64(struct out *o, uint64_t v);
void put_i64(struct out *o, int64_t v);
/* ns as ms with three decimals: "%.3f" of the double ns / 1e6, as both C
 * and Python write it. */
void put_ms(struct out *o, int64_t ns);
/* ns as us: repr() of the double ns / 1000 in Python (its digits, at
 * least one after the point: 1500 is 1.5, 0 is 0.0), which is exactly
 * that below 2^52 ns, where the doubles lie closer than 0.001 apart.  -1
 * (nothing written) past it. */
int put_us(struct out *o, int64_t ns);
/* A double as %.17g: Python's float() reads back the same double. */
void put_double(struct out *o, double v);
/* n bytes of text, \\, \t and \n escaped (events.tsv's texts). */
void put_escaped(struct out *o, const unsigned char *s, int n);
/* What is in the buffer, written (fwrite's errors stay on o->f). */
void put_flush(struct out *o);

#endif
