/*
 * mp_manager.h - the Manager: a server process owning dicts and queues, and
 * the proxies other processes (or programs) reach them through.  (Part of
 * mp.h, whose conventions hold here: include mp.h.)
 *
 *     Python                                     C
 *     manager = Manager()                        mp_manager *m = mp_manager_start();
 *     d = manager.dict()                         mp_dict_proxy *d = mp_manager_dict(m, NULL);
 *     d["count"] = 100                           mp_dict_proxy_set_int(d, "count", 100);
 *     d["count"] -= 1                            mp_dict_proxy_get_int(d, "count", &v);
 *                                                mp_dict_proxy_set_int(d, "count", v - 1);
 *     q = manager.Queue(); q.put(7)              mp_queue_proxy *q = mp_manager_queue(m, NULL);
 *                                                mp_queue_proxy_put_int(q, 7);
 *     q.get(timeout=2)                           mp_queue_proxy_get_int_timeout(q, &v, 2);
 *     manager.shutdown()                         mp_manager_shutdown(m);
 *     BaseManager(address=("", 5000),            mp_manager_serve("127.0.0.1:5000", "abc", 3)
 *                 authkey=b"abc").start()
 *     BaseManager(...).connect()                 mp_manager_connect("127.0.0.1:5000", "abc", 3)
 */
#ifndef MP_MANAGER_H
#define MP_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A manager is a server process that owns objects - dicts and queues -
 * which other processes reach through proxies.  Every proxy call is one
 * request to the server and one reply, over a socket: so
 * `d["count"] -= 1` is a get, then a set, and another process can slip in
 * between the two (lesson 5).  Each process opens its own connection to
 * the server on its first call (a forked child does not share its
 * parent's), authenticated by the manager's authkey: the server sends a
 * random challenge, the client answers with HMAC-SHA256(authkey,
 * challenge); the key itself never crosses the wire.
 *
 * Every request and reply is traced in the calling process (mgr_request,
 * mgr_reply: op, key, value as text), and a queue proxy's put and get as a
 * message (msg_send, msg_recv), so a timeline draws the arrow.
 *
 * Addresses: "HOST:PORT" for TCP (port 0 when serving: the system picks a
 * free one; mp_manager_address() tells which), or "@NAME" for a Unix
 * socket in Linux's abstract namespace (no file to clean up).
 *
 * Errors every proxy call may return, besides its own:
 *   ECONNREFUSED  no server listens at the address (any more);
 *   ECONNRESET    the server died or closed the connection mid-call;
 *   ETIMEDOUT     the server did not answer within MP_MANAGER_TIMEOUT
 *                 seconds (plus the call's own timeout for a queue get);
 *   EACCES        the server refused the authkey;
 *   EPROTO        the server's answer made no sense;
 *   EMSGSIZE      a key over MP_MANAGER_KEY_MAX or a value over
 *                 MP_MANAGER_VALUE_MAX bytes;
 *   EINVAL        a NULL argument;
 *   ENOMEM.
 * A call that failed on the connection drops it; the next call connects
 * again.  Calls on one proxy from several threads at once are not
 * supported.
 */
typedef struct mp_manager mp_manager;
typedef struct mp_dict_proxy mp_dict_proxy;
typedef struct mp_queue_proxy mp_queue_proxy;

#define MP_MANAGER_TIMEOUT 10.0			/* seconds a reply may take */
#define MP_MANAGER_KEY_MAX 255			/* bytes of a dict key or object name */
#define MP_MANAGER_VALUE_MAX ((size_t)1 << 20)	/* bytes of a value or message */
#define MP_MANAGER_AUTHKEY_MAX 256		/* bytes of an authkey */

/* Python's Manager(): starts the server process ("SyncManager-N", a
 * daemon: it never outlives the program) on a fresh abstract Unix socket
 * with a random authkey, which the children started later inherit.
 * NULL and errno: EPERM (called in a daemon process), ENOMEM, EMFILE,
 * fork's errors. */
mp_manager *mp_manager_start(void);

/* Python's BaseManager(address, authkey).start(): a server listening on
 * `address` (NULL: "127.0.0.1:0", loopback and any free port); a client
 * must present `authkey` (keylen 1..MP_MANAGER_AUTHKEY_MAX bytes).
 * NULL and errno: EINVAL (a malformed address, a bad key length),
 * EADDRINUSE, EADDRNOTAVAIL, and mp_manager_start's. */
mp_manager *mp_manager_serve(const char *address, const void *authkey, size_t keylen);

/* Python's BaseManager(address, authkey).connect(): a handle on a server
 * that another program (or process) started.  Connects and authenticates
 * at once, so a wrong key fails here.  NULL and errno: EINVAL (malformed
 * address or key length), EACCES (the server refused the key),
 * ECONNREFUSED, ETIMEDOUT, EPROTO (not a manager at that address). */
mp_manager *mp_manager_connect(const char *address, const void *authkey, size_t keylen);

/* "127.0.0.1:40123" or "@mp-1234-1": where the server listens.  NULL and
 * errno EINVAL for NULL. */
const char *mp_manager_address(const mp_manager *m);

/* The server process's pid (Python's manager._process.pid) for a manager
 * this process started; 0 for one it connected to; -1 EINVAL for NULL. */
pid_t mp_manager_pid(const mp_manager *m);

/* Stops the server (it drops every client: their next calls fail with
 * ECONNRESET or ECONNREFUSED), waits for its process, frees m and its
 * proxies.  Only the process that started the server may: others get -1
 * EPERM (they use mp_manager_close).  Ends the server with SIGKILL if it
 * does not stop within MP_MANAGER_TIMEOUT.  -1 and errno EINVAL (NULL). */
int mp_manager_shutdown(mp_manager *m);

/* Drops this process's connection and frees m and its proxies; the server
 * goes on (a started one is still ended when the program ends).  0, or -1
 * EINVAL. */
int mp_manager_close(mp_manager *m);

/* A proxy for the dict called `name` on the server, made empty if there
 * is none (NULL name: a new anonymous dict, Python's manager.dict()).
 * The proxy lives as long as m.  NULL and errno: EEXIST (`name` is a
 * queue), the connection's errors. */
mp_dict_proxy *mp_manager_dict(mp_manager *m, const char *name);

/* d[key] = value.  A key is a string of 1..MP_MANAGER_KEY_MAX bytes. */
int mp_dict_proxy_set_int(mp_dict_proxy *d, const char *key, int64_t value);
int mp_dict_proxy_set_float(mp_dict_proxy *d, const char *key, double value);
int mp_dict_proxy_set_str(mp_dict_proxy *d, const char *key, const char *value);

/* value = d[key].  -1 and errno ENOENT when there is no such key (Python's
 * KeyError), EBADMSG when its value is of another type (an int read as a
 * float is converted, as Python would; nothing else is). */
int mp_dict_proxy_get_int(mp_dict_proxy *d, const char *key, int64_t *value);
int mp_dict_proxy_get_float(mp_dict_proxy *d, const char *key, double *value);
/* Copies the string, NUL-terminated, into buf; returns its length.
 * EMSGSIZE if it does not fit in size bytes. */
ssize_t mp_dict_proxy_get_str(mp_dict_proxy *d, const char *key, char *buf, size_t size);

/* del d[key]: -1 ENOENT if there is none.  len(d): the number of keys. */
int mp_dict_proxy_del(mp_dict_proxy *d, const char *key);
int mp_dict_proxy_len(mp_dict_proxy *d);

/* A proxy for the queue called `name` on the server, made if there is
 * none (NULL: a new anonymous queue).  It has no size limit.  NULL and
 * errno: EEXIST (`name` is a dict), the connection's errors. */
mp_queue_proxy *mp_manager_queue(mp_manager *m, const char *name);

/* Puts a copy of msg[0..len) (len <= MP_MANAGER_VALUE_MAX, else
 * EMSGSIZE). */
int mp_queue_proxy_put(mp_queue_proxy *q, const void *msg, size_t len);

/* Takes the oldest message into buf, returns its length.  Waits while the
 * queue is empty; the _timeout twin -1 EAGAIN if it is still empty then
 * (Python's Empty).  EMSGSIZE: longer than size (the message is lost - it
 * has left the server already). */
ssize_t mp_queue_proxy_get(mp_queue_proxy *q, void *buf, size_t size);
ssize_t mp_queue_proxy_get_timeout(mp_queue_proxy *q, void *buf, size_t size, double seconds);

/* A string (EINVAL for NULL) or an integer, as mp_queue_proxy_put; no
 * timeout: a put waits only for the server's reply. */
int mp_queue_proxy_put_str(mp_queue_proxy *q, const char *s);
int mp_queue_proxy_put_int(mp_queue_proxy *q, int64_t v);

/* NUL-terminated (EMSGSIZE if it does not fit); an 8-byte integer
 * (EBADMSG if the message is not one). */
ssize_t mp_queue_proxy_get_str(mp_queue_proxy *q, char *buf, size_t size);
ssize_t mp_queue_proxy_get_str_timeout(mp_queue_proxy *q, char *buf, size_t size, double seconds);
int mp_queue_proxy_get_int(mp_queue_proxy *q, int64_t *v);
int mp_queue_proxy_get_int_timeout(mp_queue_proxy *q, int64_t *v, double seconds);

/* Messages in the queue now; -1 and errno. */
int mp_queue_proxy_qsize(mp_queue_proxy *q);

#ifdef __cplusplus
}
#endif

#endif /* MP_MANAGER_H */
