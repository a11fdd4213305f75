/*
 * base/buf.h - growing arrays and byte buffers.
 *
 * An array grows by doubling, so n appends cost O(n) copying in all; a
 * failed growth leaves the array as it was (ENOMEM).
 */
#ifndef MP_BASE_BUF_H
#define MP_BASE_BUF_H

#include <stddef.h>

/* Makes the array at *arrayp (of *cap elements of `size` bytes) hold at
 * least `need` elements.  arrayp is the address of the array's pointer:
 * mp__grow(&items, &cap, n + 1, sizeof(*items)).  0, or -1 and ENOMEM. */
int mp__grow(void *arrayp, size_t *cap, size_t need, size_t size);

/* Bytes: data[0..len) are used, data[len..cap) are room; the buffer never
 * grows past max bytes (0: no limit).  Zero it to start. */
struct mp__buf {
	unsigned char *data;
	size_t len, cap;
	size_t max;
};

/* Room for `more` bytes past len.  0, or -1 and errno: ENOBUFS (past
 * max), ENOMEM. */
int mp__buf_reserve(struct mp__buf *b, size_t more);

/* Appends p[0..n).  0, or -1 and ENOMEM. */
int mp__buf_append(struct mp__buf *b, const void *p, size_t n);

/* Drops the first n bytes (they have been used). */
void mp__buf_consume(struct mp__buf *b, size_t n);

/* Frees the bytes; b is empty again (its max stays). */
void mp__buf_free(struct mp__buf *b);

#endif /* MP_BASE_BUF_H */
