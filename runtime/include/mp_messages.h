/*
 * mp_messages.h - messages between processes: Queue, JoinableQueue, Pipe.
 * (Part of mp.h, whose conventions hold here: include mp.h.)
 *
 *     Python                               C
 *     q = Queue(10)                        mp_queue *q = mp_queue_new(10);
 *     q.put("hi")                          mp_queue_put_str(q, "hi");
 *     q.get(); q.get(timeout=0.5)          mp_queue_get_str(q, buf, sizeof(buf));
 *                                          mp_queue_get_str_timeout(q, buf, sizeof(buf), 0.5);
 *     q.get_nowait()                       mp_queue_get_str_timeout(q, buf, sizeof(buf), 0);
 *     q.qsize(); q.empty(); q.full()       mp_queue_qsize(q); mp_queue_empty(q); mp_queue_full(q);
 *     jq = JoinableQueue()                 mp_queue *jq = mp_joinable_queue_new(0);
 *     jq.task_done(); jq.join()            mp_queue_task_done(jq); mp_queue_join(jq);
 *     q.close()                            mp_queue_close(q);
 *     a, b = Pipe()                        mp_conn *a, *b; mp_pipe(true, &a, &b);
 *     a.send(42); b.recv()                 mp_conn_send_int(a, 42); mp_conn_recv_int(b, &v);
 *     b.poll(1.0)                          mp_conn_poll(b, 1.0);
 *     a.close()                            mp_conn_close(a);
 *
 * A message is bytes with a length (C has no pickle); the _str and _int
 * forms carry a string (its bytes, without the NUL) or a 64-bit integer
 * (8 bytes).  An empty message may be given as (NULL, 0).  Queues and
 * pipes are shared with the processes started *after* they were made:
 * make them in the parent, then start the children, as in Python.
 */
#ifndef MP_MESSAGES_H
#define MP_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest message a queue takes (its ring of shared memory holds at
 * least one); a pipe takes up to MP_PIPE_MSG_MAX. */
#define MP_QUEUE_MSG_MAX ((size_t)4 << 20)
#define MP_PIPE_MSG_MAX ((size_t)64 << 20)

/* ---- Queue and JoinableQueue --------------------------------------------- */

typedef struct mp_queue mp_queue;

/* Python's Queue(maxsize): at most maxsize messages (0: no limit but the
 * ring's size, 16 MiB, which a put also waits for).  NULL and errno. */
mp_queue *mp_queue_new(int maxsize);

/* Python's JoinableQueue: a Queue that also counts unfinished tasks. */
mp_queue *mp_joinable_queue_new(int maxsize);

/* Puts a copy of msg[0..len).  Waits while the queue is full.  -1 and
 * errno: EMSGSIZE over MP_QUEUE_MSG_MAX, EBADF after close, EINVAL; the
 * _timeout twin EAGAIN if it is still full then (Python's Full). */
int mp_queue_put(mp_queue *q, const void *msg, size_t len);
int mp_queue_put_timeout(mp_queue *q, const void *msg, size_t len, double seconds);

/* Takes the oldest message into buf (at most size bytes) and returns its
 * length.  Waits while the queue is empty.  -1 and errno: EMSGSIZE when the
 * message is longer than size (it stays in the queue), EBADF after close,
 * EINVAL; the _timeout twin EAGAIN if it is still empty then (Python's
 * Empty). */
ssize_t mp_queue_get(mp_queue *q, void *buf, size_t size);
ssize_t mp_queue_get_timeout(mp_queue *q, void *buf, size_t size, double seconds);

/* A string (EINVAL for NULL) or an integer, as mp_queue_put. */
int mp_queue_put_str(mp_queue *q, const char *s);
int mp_queue_put_str_timeout(mp_queue *q, const char *s, double seconds);
int mp_queue_put_int(mp_queue *q, int64_t v);
int mp_queue_put_int_timeout(mp_queue *q, int64_t v, double seconds);

/* As mp_queue_get; the string is NUL-terminated in buf (EMSGSIZE if it does
 * not fit with its NUL), the integer must be an 8-byte message (EBADMSG
 * otherwise). */
ssize_t mp_queue_get_str(mp_queue *q, char *buf, size_t size);
ssize_t mp_queue_get_str_timeout(mp_queue *q, char *buf, size_t size, double seconds);
int mp_queue_get_int(mp_queue *q, int64_t *v);
int mp_queue_get_int_timeout(mp_queue *q, int64_t *v, double seconds);

/* Messages in the queue now - a moment later it may differ (Python says
 * the same of qsize(), empty() and full()).  -1 and errno on error. */
int mp_queue_qsize(mp_queue *q);
bool mp_queue_empty(mp_queue *q);
bool mp_queue_full(mp_queue *q);

/* JoinableQueue: a consumer calls task_done() once per message it got;
 * join() waits until every message ever put has been marked done (the
 * _timeout twin: ETIMEDOUT).  task_done: -1 EINVAL when called more times
 * than messages were put (Python's ValueError), or on a plain Queue. */
int mp_queue_task_done(mp_queue *q);
int mp_queue_join(mp_queue *q);
int mp_queue_join_timeout(mp_queue *q, double seconds);

/* This process is done with the queue: its shared memory is unmapped here
 * (the other processes keep theirs), later calls on q fail with EBADF. */
int mp_queue_close(mp_queue *q);

/* ---- Pipe ------------------------------------------------------------------ */

typedef struct mp_conn mp_conn;

/* Python's Pipe(duplex): two connected ends.  Duplex: both ends send and
 * receive.  One-way (duplex false): *a only receives, *b only sends - the
 * wrong direction is EBADF.  -1 and errno (EMFILE, ENOMEM). */
int mp_pipe(bool duplex, mp_conn **a, mp_conn **b);

/* Sends one whole message.  -1 and errno: EPIPE when no process has the
 * other end open any more (never a SIGPIPE: the runtime ignores it, as
 * Python does), EMSGSIZE over MP_PIPE_MSG_MAX, EBADF.  No timeout: it
 * waits only while the pipe is full, and a message half written could
 * not be taken back. */
int mp_conn_send(mp_conn *c, const void *msg, size_t len);
int mp_conn_send_str(mp_conn *c, const char *s);
int mp_conn_send_int(mp_conn *c, int64_t v);

/* Receives one whole message into buf, returns its length.  -1 and errno:
 * EPIPE at end of file - every sending end is closed in every process
 * (Python's EOFError); EMSGSIZE when it is longer than size (it stays, to be
 * received with a bigger buffer); EBADF.  The _timeout twin waits at most
 * `seconds` for a message to begin (EAGAIN if none did), then reads it to
 * its end, as Python's poll(timeout) then recv(). */
ssize_t mp_conn_recv(mp_conn *c, void *buf, size_t size);
ssize_t mp_conn_recv_timeout(mp_conn *c, void *buf, size_t size, double seconds);

/* As mp_conn_recv, for a string (NUL-terminated) or an integer (an 8-byte
 * message, EBADMSG otherwise). */
ssize_t mp_conn_recv_str(mp_conn *c, char *buf, size_t size);
ssize_t mp_conn_recv_str_timeout(mp_conn *c, char *buf, size_t size, double seconds);
int mp_conn_recv_int(mp_conn *c, int64_t *v);
int mp_conn_recv_int_timeout(mp_conn *c, int64_t *v, double seconds);

/* Python's poll(timeout): 1 if a message (or end of file) can be received
 * without waiting, 0 if none came within `seconds` (0: just look), -1 and
 * errno.  Its timeout is its point, so it has no plain form. */
int mp_conn_poll(mp_conn *c, double seconds);

/* Closes this process's end; later calls on c fail with EBADF. */
int mp_conn_close(mp_conn *c);

#ifdef __cplusplus
}
#endif

#endif /* MP_MESSAGES_H */
