/*
 * async.c - AsyncResult: a task submitted with apply_async, and its result.
 *
 * A result is filled in by the parent's loop (loop.c) when the worker's
 * answer comes; every call here that may wait turns that loop until the
 * result is done or the deadline passes.
 */
#define _GNU_SOURCE
#include "base/trace.h"
#include "pool/pool.h"
#include "messages/messages.h"
#include "base/time.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

mp_async_result *mp_pool_apply_async(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len)
{
	MP__SITE();
	mp_async_result *r;
	uint64_t job;

	if (mp__pool_check(pool, true) == -1)
		return NULL;
	if (fn == NULL || (arg == NULL && len > 0)) {
		errno = EINVAL;
		return NULL;
	}
	if (len > MAX_ARG) {
		errno = EMSGSIZE;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((job = mp__pool_new_job(pool, 1)) == 0) {
		free(r);
		return NULL;
	}
	r->pool = pool;
	r->task = pool->jobs[job - 1].first_task;
	pool->jobs[job - 1].r = r;
	r->next = pool->results;
	pool->results = r;
	if (mp__pool_send_job(pool, job, fn, arg, 1, len, 0) == -1) {
		int err = errno;
		mp__pool_fail_job(pool, &pool->jobs[job - 1], err, "the task could not be queued");
		errno = err;
		return NULL;
	}
	return r;
}

static bool result_done(mp_pool *pool, void *r)
{
	return ((mp_async_result *)r)->done;
}

int mp_async_wait_timeout(mp_async_result *r, double seconds)
{
	MP__SITE();
	int64_t deadline = mp__deadline(seconds);

	if (deadline == -2)
		return -1;
	if (r == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (mp__pool_check(r->pool, false) == -1)
		return -1;
	if (r->done)
		return 0;
	return mp__pool_pump(r->pool, deadline, result_done, r);
}

int mp_async_wait(mp_async_result *r)
{
	MP__SITE();
	return mp_async_wait_timeout(r, MP_FOREVER);
}

bool mp_async_ready(mp_async_result *r)
{
	MP__SITE();
	return mp_async_wait_timeout(r, 0) == 0;
}

bool mp_async_successful(mp_async_result *r)
{
	MP__SITE();
	if (!mp_async_ready(r)) {
		errno = EINVAL;		/* Python: "not ready" */
		return false;
	}
	return r->error == 0;
}

ssize_t mp_async_get_timeout(mp_async_result *r, void *buf, size_t size, double seconds)
{
	MP__SITE();
	if (buf == NULL && size > 0) {
		errno = EINVAL;
		return -1;
	}
	if (mp_async_wait_timeout(r, seconds) == -1)
		return -1;
	if (r->error) {
		errno = r->error;
		return -1;
	}
	if (r->len > size) {
		errno = EMSGSIZE;
		return -1;
	}
	if (r->len > 0)
		memcpy(buf, r->data, r->len);
	return (ssize_t)r->len;
}

ssize_t mp_async_get(mp_async_result *r, void *buf, size_t size)
{
	MP__SITE();
	return mp_async_get_timeout(r, buf, size, MP_FOREVER);
}

/* mp_async_get_str, _str_timeout, _int, _int_timeout (messages.h). */
MP__TYPED_RECV(mp_async_result, mp_async_get, mp_async_get_timeout)

const char *mp_async_error(mp_async_result *r)
{
	MP__SITE();
	return r != NULL && r->done && r->error ? r->message : NULL;
}

long mp_async_task_id(mp_async_result *r)
{
	MP__SITE();
	if (r == NULL) {
		errno = EINVAL;
		return -1;
	}
	return (long)r->task;
}

ssize_t mp_pool_apply(mp_pool *pool, mp_task_fn fn, const void *arg, size_t len,
		      void *result, size_t size)
{
	MP__SITE();
	mp_async_result *r = mp_pool_apply_async(pool, fn, arg, len);

	return r == NULL ? -1 : mp_async_get(r, result, size);
}
