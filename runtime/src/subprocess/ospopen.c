/*
 * ospopen.c - os.popen and its close: a shell command's stdout (or stdin)
 * as a FILE *, and the command's wait status when it is closed.
 */
#define _GNU_SOURCE
#include "base/trace.h"
#include "subprocess/subprocess.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The streams mp_popen() handed out, and their children. */
struct popen_entry {
	FILE *f;
	mp_subprocess *p;
	struct popen_entry *next;
};

static struct popen_entry *popened;
static pthread_mutex_t popen_lock = PTHREAD_MUTEX_INITIALIZER;

FILE *mp_popen(const char *cmd, const char *mode)
{
	MP__SITE();
	struct mp_run_options o = { 0 };
	struct popen_entry *e;
	bool reading = mode != NULL && strcmp(mode, "r") == 0;
	mp_subprocess *p;
	int *fd;

	if (cmd == NULL || (!reading && (mode == NULL || strcmp(mode, "w") != 0))) {
		errno = EINVAL;
		return NULL;
	}
	e = malloc(sizeof(*e));
	if (e == NULL)
		return NULL;
	if (reading)
		o.out = MP_PIPE;
	else
		o.in = MP_PIPE;
	p = mp_subprocess_popen_shell(cmd, &o);
	if (p == NULL) {
		free(e);
		return NULL;
	}
	fd = reading ? &p->stdout_fd : &p->stdin_fd;
	e->f = fdopen(*fd, reading ? "r" : "w");
	if (e->f == NULL) {
		int err = errno;

		free(e);
		mp_subprocess_kill(p);
		mp_subprocess_close(p);
		errno = err;
		return NULL;
	}
	*fd = -1;	/* the FILE owns it now */
	e->p = p;
	pthread_mutex_lock(&popen_lock);
	e->next = popened;
	popened = e;
	pthread_mutex_unlock(&popen_lock);
	return e->f;
}

int mp_pclose(FILE *f)
{
	MP__SITE();
	struct popen_entry **link, *e = NULL;
	int status;

	pthread_mutex_lock(&popen_lock);
	for (link = &popened; *link != NULL; link = &(*link)->next) {
		if ((*link)->f == f && f != NULL) {
			e = *link;
			*link = e->next;
			break;
		}
	}
	pthread_mutex_unlock(&popen_lock);
	if (e == NULL) {
		errno = EINVAL;
		return -1;
	}
	fclose(f);
	mp__wait_until(e->p, -1);
	status = e->p->mp__wstatus;
	mp_subprocess_close(e->p);
	free(e);
	return status;
}
