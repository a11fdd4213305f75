/*
 * manager.c - Manager: start a server process, or connect to one; shut
 * it down.  manager.h says where the rest is.
 *
 * Addresses are "HOST:PORT" for TCP or "@NAME" for a Unix socket in
 * Linux's abstract namespace (no file to clean up).  mp_manager_start()
 * picks a fresh abstract name and a random authkey, which the children
 * started later inherit with the mp_manager.
 */
#define _GNU_SOURCE
#include "manager/manager.h"
#include "base/trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static unsigned managers_made;

static mp_manager *manager_new(const char *address, const void *authkey, size_t keylen)
{
	mp_manager *m;

	if ((authkey == NULL && keylen > 0) || keylen > MP_MANAGER_AUTHKEY_MAX) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->fd = m->listen_fd = -1;
	if (mp__net_parse(address, &m->sa, &m->salen) == -1) {
		free(m);
		return NULL;
	}
	if (keylen > 0)
		memcpy(m->key, authkey, keylen);
	m->keylen = keylen;
	return m;
}

static void manager_free(mp_manager *m)
{
	mp__client_disconnect(m);
	for (struct proxy *p = m->proxies, *next; p != NULL; p = next) {
		next = p->next;
		free(p);
	}
	free(m->buf);
	free(m);
}

static mp_manager *start(const char *address, const void *authkey, size_t keylen)
{
	mp_manager *m = manager_new(address, authkey, keylen);
	char name[MP_NAME_MAX];
	int err;

	if (m == NULL)
		return NULL;
	m->listen_fd = mp__net_listen(&m->sa, &m->salen);
	if (m->listen_fd == -1)
		goto fail;
	mp__net_format(&m->sa, m->salen, m->address, sizeof(m->address));
	m->id = mp__new_id();
	snprintf(name, sizeof(name), "SyncManager-%u", ++managers_made);
	mp_process_init(&m->server, mp__serve, m, name);
	m->server.daemon = true;	/* never outlives the program */
	if (mp_process_start(&m->server) == -1)
		goto fail;
	/* Only the server accepts: a copy here would keep the address
	 * alive after the server died, and connects would hang, not fail. */
	close(m->listen_fd);
	m->listen_fd = -1;
	m->owner = true;
	return m;
fail:
	err = errno;
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	free(m);
	errno = err;
	return NULL;
}

mp_manager *mp_manager_start(void)
{
	MP__SITE();
	unsigned char key[32];
	char address[64];

	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return NULL;
	snprintf(address, sizeof(address), "@mp-%d-%u", getpid(), managers_made + 1);
	return start(address, key, sizeof(key));
}

mp_manager *mp_manager_serve(const char *address, const void *authkey, size_t keylen)
{
	MP__SITE();
	if (keylen == 0) {
		errno = EINVAL;
		return NULL;
	}
	return start(address ? address : "127.0.0.1:0", authkey, keylen);
}

mp_manager *mp_manager_connect(const char *address, const void *authkey, size_t keylen)
{
	MP__SITE();
	mp_manager *m;

	if (keylen == 0) {
		errno = EINVAL;
		return NULL;
	}
	m = manager_new(address, authkey, keylen);
	if (m == NULL)
		return NULL;
	mp__net_format(&m->sa, m->salen, m->address, sizeof(m->address));
	if (mp__client_connect(m) == -1) {
		int err = errno;

		free(m);
		errno = err;
		return NULL;
	}
	return m;
}

const char *mp_manager_address(const mp_manager *m)
{
	MP__SITE();
	if (m == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return m->address;
}

pid_t mp_manager_pid(const mp_manager *m)
{
	MP__SITE();
	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	return m->owner ? m->server.pid : 0;
}

int mp_manager_shutdown(mp_manager *m)
{
	MP__SITE();
	struct call c = { .rq.op = OP_SHUTDOWN };

	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (!m->owner || m->server.mp__parent != getpid()) {
		errno = EPERM;
		return -1;
	}
	/* If the server is dead already, the call fails: join it anyway. */
	mp__call(m, &c);
	mp__client_disconnect(m);
	if (mp_process_join_timeout(&m->server, MP_MANAGER_TIMEOUT) == -1) {
		mp_process_kill(&m->server);
		mp_process_join(&m->server);
	}
	manager_free(m);
	return 0;
}

int mp_manager_close(mp_manager *m)
{
	MP__SITE();
	if (m == NULL) {
		errno = EINVAL;
		return -1;
	}
	manager_free(m);
	return 0;
}
