/*
 * messages/messages.h - what the messages folder gives the rest of the
 * runtime.
 *
 *   queue.c  Queue and JoinableQueue: a ring of bytes in shared memory
 *   pipe.c   Pipe: two connected ends over pipe(2)
 *   typed.c  the _str and _int forms of every message call, written once
 */
#ifndef MP_MESSAGES_INTERNAL_H
#define MP_MESSAGES_INTERNAL_H

#include "mp.h"
#include "base/trace.h"

#include <stdint.h>

/* ---- queue.c ---- */

/* A queue for the runtime's own use (a pool's tasks), which records no
 * events. */
mp_queue *mp__queue_new_quiet(void);

/* A get that, before the message leaves the ring and under its lock,
 * stores the message's first 8 bytes in *claim (shared memory): a pool
 * worker killed at any moment has either not taken a task or has it in
 * *claim. */
ssize_t mp__queue_get_claim(mp_queue *q, void *buf, size_t size, double seconds,
			    uint64_t *claim);

/* ---- typed.c ---- */

/*
 * Any call that sends or receives one message, behind a small adapter:
 * a queue's put and get, a connection's send and recv, a manager queue's
 * put and get, a pool result's get.  `seconds` follows the timeout rule
 * (a send that cannot wait ignores it).
 */
typedef int (*mp__send_fn)(void *to, const void *msg, size_t len, double seconds);
typedef ssize_t (*mp__recv_fn)(void *from, void *buf, size_t size, double seconds);

/* Sends strlen(s) bytes (no NUL): EINVAL for a NULL s. */
int mp__send_str(mp__send_fn send, void *to, const char *s, double seconds);

/* Sends the 8 bytes of v. */
int mp__send_int(mp__send_fn send, void *to, int64_t v, double seconds);

/* Receives a string into buf, NUL-terminated: its length, or -1 and errno
 * (EMSGSIZE if it does not fit with its NUL, EINVAL for NULL or size 0). */
ssize_t mp__recv_str(mp__recv_fn recv, void *from, char *buf, size_t size, double seconds);

/* Receives a 64-bit integer: 0, or -1 and errno (EBADMSG when the message
 * is not 8 bytes long, EINVAL for a NULL v). */
int mp__recv_int(mp__recv_fn recv, void *from, int64_t *v, double seconds);

/*
 * The public _str and _int forms of a type's calls, defined by one line in
 * the type's file.  MP__TYPED_RECV(mp_queue, mp_queue_get, get_timeout)
 * defines mp_queue_get_str, mp_queue_get_str_timeout, mp_queue_get_int and
 * mp_queue_get_int_timeout over get_timeout(T *, buf, size, seconds).
 * MP__TYPED_SEND(T, mp_queue_put, put_timeout) defines mp_queue_put_str,
 * _str_timeout, _int, _int_timeout; MP__TYPED_SEND_NOWAIT(T, mp_conn_send,
 * send) defines only mp_conn_send_str and mp_conn_send_int, over
 * send(T *, msg, len), for a send that has no timeout.
 */
#define MP__TYPED_RECV(T, name, get_timeout)					\
	static ssize_t name##_any(void *from, void *buf, size_t size, double seconds) \
	{ return get_timeout(from, buf, size, seconds); }			\
	ssize_t name##_str(T *from, char *buf, size_t size)			\
	{ MP__SITE(); return mp__recv_str(name##_any, from, buf, size, MP_FOREVER); }	\
	ssize_t name##_str_timeout(T *from, char *buf, size_t size, double seconds) \
	{ MP__SITE(); return mp__recv_str(name##_any, from, buf, size, seconds); }		\
	int name##_int(T *from, int64_t *v)					\
	{ MP__SITE(); return mp__recv_int(name##_any, from, v, MP_FOREVER); }		\
	int name##_int_timeout(T *from, int64_t *v, double seconds)		\
	{ MP__SITE(); return mp__recv_int(name##_any, from, v, seconds); }

#define MP__TYPED_SEND(T, name, put_timeout)					\
	static int name##_any(void *to, const void *msg, size_t len, double seconds) \
	{ return put_timeout(to, msg, len, seconds); }				\
	int name##_str(T *to, const char *s)					\
	{ MP__SITE(); return mp__send_str(name##_any, to, s, MP_FOREVER); }		\
	int name##_str_timeout(T *to, const char *s, double seconds)		\
	{ MP__SITE(); return mp__send_str(name##_any, to, s, seconds); }			\
	int name##_int(T *to, int64_t v)					\
	{ MP__SITE(); return mp__send_int(name##_any, to, v, MP_FOREVER); }		\
	int name##_int_timeout(T *to, int64_t v, double seconds)		\
	{ MP__SITE(); return mp__send_int(name##_any, to, v, seconds); }

#define MP__TYPED_SEND_NOWAIT(T, name, send)					\
	static int name##_any(void *to, const void *msg, size_t len, double seconds) \
	{ return send(to, msg, len); }						\
	int name##_str(T *to, const char *s)					\
	{ MP__SITE(); return mp__send_str(name##_any, to, s, MP_FOREVER); }		\
	int name##_int(T *to, int64_t v)					\
	{ MP__SITE(); return mp__send_int(name##_any, to, v, MP_FOREVER); }

#endif /* MP_MESSAGES_INTERNAL_H */
