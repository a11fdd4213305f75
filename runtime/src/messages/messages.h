/*
 * messages/messages.h - what the messages folder gives the rest of the
 * runtime.
 *
 *   queue.c  Queue and JoinableQueue: a ring of bytes in shared memory
 *   pipe.c   Pipe: two connected ends over pipe(2)
 *   typed.c  the _str and _int forms of every message call, written once
 */
#ifndef MP_MESSAGES_H
#define MP_MESSAGES_H

#include "mp.h"

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

/* Receives a string into buf, NUL-terminated: its length, or -1 and errno
 * (EMSGSIZE if it does not fit with its NUL, EINVAL for NULL or size 0). */
ssize_t mp__recv_str(mp__recv_fn recv, void *from, char *buf, size_t size, double seconds);

/* Receives a 64-bit integer: 0, or -1 and errno (EBADMSG when the message
 * is not 8 bytes long, EINVAL for a NULL v). */
int mp__recv_int(mp__recv_fn recv, void *from, int64_t *v, double seconds);

#endif /* MP_MESSAGES_H */
