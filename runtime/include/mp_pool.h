/*
 * mp_pool.h - Pool: a fixed set of worker processes running tasks.  (Part
 * of mp.h, whose conventions hold here: include mp.h.)
 *
 *     Python                                   C
 *     pool = Pool(4)                           mp_pool *pool = mp_pool_new(4);
 *     Pool(4, initializer=f, initargs=(x,))    mp_pool_new_init(4, f, &x);
 *     r = pool.apply_async(f, (i,))            mp_async_result *r = mp_pool_apply_async(pool, f, &i, sizeof(i));
 *     r.ready(); r.successful()                mp_async_ready(r); mp_async_successful(r);
 *     r.get(); r.get(timeout=2)                mp_async_get(r, buf, sizeof(buf));
 *                                              mp_async_get_timeout(r, buf, sizeof(buf), 2);
 *     r.wait(); r.wait(timeout=2)              mp_async_wait(r); mp_async_wait_timeout(r, 2);
 *     pool.apply(f, (i,))                      mp_pool_apply(pool, f, &i, sizeof(i), buf, sizeof(buf));
 *     pool.map(f, range(n), chunksize=8)       mp_pool_map(pool, f, args, sizeof(args[0]), n, out, sizeof(out[0]), 8);
 *     pool.close(); pool.join()                mp_pool_close(pool); mp_pool_join(pool);
 *     pool.terminate()                         mp_pool_terminate(pool);
 *     (the end of `with Pool() as pool:`)      mp_pool_free(pool);
 *
 * A task is a function and an argument (bytes and a length); its result is
 * bytes too.  The function runs in a worker, a child process forked when the
 * pool is made, so it may use anything the parent had set up before.
 *
 * Unlike Python's Pool, a worker that dies (killed, crashed) does not hang
 * the pool: the task it was running fails with EOWNERDEAD and a message
 * naming the worker and its signal, a new worker takes its place, and the
 * other tasks go on.
 *
 * The workers take tasks by themselves, so tasks run while the parent does
 * something else.  Results, and the deaths of workers, are taken in by the
 * parent inside the pool's calls (get, wait, ready, apply, map, join ...):
 * there is no thread in the parent.
 */
#ifndef MP_POOL_H
#define MP_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mp_pool mp_pool;
typedef struct mp_async_result mp_async_result;

/* The largest result a task may return. */
#define MP_TASK_RESULT_MAX ((size_t)1 << 20)

/* A task: runs in a worker with the argument's bytes; writes its result
 * into result[0..size) (size is MP_TASK_RESULT_MAX) and returns its length,
 * 0 for "no result" (Python's None).  To fail, return -1 with errno set, or
 * return mp_task_error(...) to give a message too (Python's raise). */
typedef ssize_t (*mp_task_fn)(const void *arg, size_t len, void *result, size_t size);

/* Runs once in each worker before its first task (Python's initializer). */
typedef void (*mp_init_fn)(void *arg);

/* Python's Pool(processes): starts `processes` workers (>= 1; for Python's
 * default pass mp_cpu_count()), named ForkPoolWorker-N.  NULL and errno:
 * EINVAL (processes < 1), EPERM (called in a daemon, such as a worker),
 * ENOMEM, EMFILE, or fork's errors. */
mp_pool *mp_pool_new(int processes);
mp_pool *mp_pool_new_init(int processes, mp_init_fn initializer, void *initarg);

/* Queues one task and returns at once.  The result belongs to the pool (it
 * is freed by mp_pool_free).  NULL and errno: EINVAL (NULL pool or function,
 * the pool closed or terminated: Python's "Pool not running"), EMSGSIZE
 * (an argument over MP_QUEUE_MSG_MAX less 64 bytes), ECHILD (the pool
 * belongs to another process). */
mp_async_result *mp_pool_apply_async(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len);

/* true once the task has finished, well or not. */
bool mp_async_ready(mp_async_result *r);

/* true if it finished without error; false and errno EINVAL if it has not
 * finished yet (Python's ValueError). */
bool mp_async_successful(mp_async_result *r);

/* Waits until the task has finished: 0, or -1 and errno EINVAL, ECHILD (a
 * result of a pool of another process); the _timeout twin also ETIMEDOUT
 * (Python's wait(timeout) then ready() false). */
int mp_async_wait(mp_async_result *r);
int mp_async_wait_timeout(mp_async_result *r, double seconds);

/* Waits and copies the result into buf, returning its length.  -1 and
 * errno: EMSGSIZE (buf too small; it stays), EINVAL, ECHILD, or the task's
 * failure: the errno it failed with, EOWNERDEAD if its worker died,
 * ECANCELED if the pool was terminated first (mp_async_error() then says
 * what happened); the _timeout twin also ETIMEDOUT (still running: get it
 * later; Python's TimeoutError). */
ssize_t mp_async_get(mp_async_result *r, void *buf, size_t size);
ssize_t mp_async_get_timeout(mp_async_result *r, void *buf, size_t size, double seconds);

/* As mp_async_get, for a string result (NUL-terminated in buf) or an
 * integer one (8 bytes, EBADMSG otherwise). */
ssize_t mp_async_get_str(mp_async_result *r, char *buf, size_t size);
ssize_t mp_async_get_str_timeout(mp_async_result *r, char *buf, size_t size, double seconds);
int mp_async_get_int(mp_async_result *r, int64_t *v);
int mp_async_get_int_timeout(mp_async_result *r, int64_t *v, double seconds);

/* A failed task's message ("task 3 failed: ...", "worker ForkPoolWorker-2
 * (pid 4242) was killed by SIGKILL while running task 3"); NULL while it
 * runs or if it succeeded. */
const char *mp_async_error(mp_async_result *r);

/* The task id the pool gave it (0, 1, 2 ... in submit order): the number on
 * the timeline's task bar.  -1 and errno EINVAL. */
long mp_async_task_id(mp_async_result *r);

/* Python's apply: apply_async, then get.  No timeout, as in Python: it
 * ends when the task does. */
ssize_t mp_pool_apply(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len,
		      void *result, size_t size);

/* Python's map over an array: runs fn on each of the `count` arguments
 * args[i] (arg_size bytes each), `chunksize` at a time per message to a
 * worker (0: Python's choice, count / (4 x workers) rounded up, but at
 * most 64 KiB of arguments or of results a message), and stores
 * each result in results[i] (result_size bytes each, zero-filled past a
 * shorter result; a longer result is the task's failure, EMSGSIZE).
 * Returns when all have finished: 0, or -1 and the errno of the first task
 * (in argument order) that failed - the other results are filled anyway. */
int mp_pool_map(mp_pool *pool, mp_task_fn fn, const void *args, size_t arg_size, size_t count,
		void *results, size_t result_size, size_t chunksize);

/* No more tasks may be submitted; those queued still run. */
int mp_pool_close(mp_pool *pool);

/* Waits until every task has finished and every worker has exited; only
 * after close or terminate (EINVAL otherwise, as in Python). */
int mp_pool_join(mp_pool *pool);

/* Ends the workers now, even in the middle of a task (SIGTERM, then SIGKILL
 * after 200 ms), and collects them; tasks not finished fail with ECANCELED.
 * Returns within a second whatever the tasks do. */
int mp_pool_terminate(mp_pool *pool);

/* Terminates the pool if it still runs, then frees it and its results. */
void mp_pool_free(mp_pool *pool);

/* For a task that fails with a message: stores it (printf-style) for the
 * parent's mp_async_error(), sets errno to errnum and returns -1. */
ssize_t mp_task_error(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif

#endif /* MP_POOL_H */
