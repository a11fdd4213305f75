/*
 * popen.c - Popen: a started program, polled, waited for, signalled, closed.
 */
#define _GNU_SOURCE
#include "subprocess/subprocess.h"
#include "process/process.h"
#include "base/exitcode.h"
#include "base/fd.h"
#include "base/time.h"
#include "base/trace.h"
#include "interpose/interpose.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The lane's label: the program's file name and its arguments, joined by
 * spaces, those a shell would split or expand in quotes, cut to fit. */
static void label_argv(char *buf, size_t size, char *const argv[])
{
	const char *program = strrchr(argv[0], '/');
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] != NULL && used + 1 < size; i++) {
		const char *word = i == 0 && program && program[1] ? program + 1 : argv[i];
		bool quote = word[0] == '\0' || strpbrk(word, " \t\n|&;<>()$*?[]'\"\\") != NULL;

		used += snprintf(buf + used, size - used, quote ? "%s'%s'" : "%s%s",
				 i ? " " : "", word);
	}
}

static mp_subprocess *popen_checked(char *const argv[], const struct mp_run_options *opt,
				    const char *label)
{
	static const struct mp_run_options none;

	if (opt == NULL)
		opt = &none;
	if (argv == NULL || argv[0] == NULL || !mp__options_ok(opt)) {
		errno = EINVAL;
		return NULL;
	}
	return mp__spawn(argv, opt, label);
}

mp_subprocess *mp_subprocess_popen(char *const argv[], const struct mp_run_options *opt)
{
	MP__SITE();
	char label[sizeof(((mp_subprocess *)0)->mp__cmd)];

	if (argv == NULL || argv[0] == NULL) {
		errno = EINVAL;
		return NULL;
	}
	label_argv(label, sizeof(label), argv);
	return popen_checked(argv, opt, label);
}

mp_subprocess *mp_subprocess_popen_shell(const char *cmd, const struct mp_run_options *opt)
{
	MP__SITE();
	char label[sizeof(((mp_subprocess *)0)->mp__cmd)];
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };

	if (cmd == NULL) {
		errno = EINVAL;
		return NULL;
	}
	snprintf(label, sizeof(label), "sh -c '%s'", cmd);
	return popen_checked(argv, opt, label);
}

static void collected(mp_subprocess *p, int status)
{
	p->returncode = mp__exitcode_from_status(status);
	p->mp__wstatus = status;
}

int mp__reap(mp_subprocess *p, int flags)
{
	int status;
	pid_t r;

	if (p->returncode != MP_EXITCODE_NONE)
		return 1;
	r = mp__waitpid(p->pid, &status, flags);	/* records proc_reap */
	if (r <= 0)
		return r;
	collected(p, status);
	return 1;
}

static void subprocess_free(mp_subprocess *p)
{
	mp__close_pipes(p);
	mp__close(&p->mp__pidfd);
	free(p->mp__out);
	free(p->mp__err);
	free(p);
}

int mp__wait_until(mp_subprocess *p, int64_t deadline)
{
	int status;

	if (p->returncode != MP_EXITCODE_NONE)
		return 0;
	if (mp__wait_child(p->pid, p->mp__pidfd, deadline, &status) == -1)
		return -1;
	collected(p, status);
	return 0;
}

void mp__close_pipes(mp_subprocess *p)
{
	mp__close(&p->stdin_fd);
	mp__close(&p->stdout_fd);
	mp__close(&p->stderr_fd);
}

int mp_subprocess_poll(mp_subprocess *p)
{
	MP__SITE();
	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	return mp__reap(p, WNOHANG);
}

static int wait_traced(mp_subprocess *p, double seconds)
{
	int64_t deadline = mp__deadline(seconds);
	int r, err;

	if (p == NULL || deadline == -2) {
		errno = EINVAL;
		return -1;
	}
	if (p->returncode != MP_EXITCODE_NONE)
		return 0;
	mp__tp(proc_join, mp__pid(), p->pid, mp__timeout_us(seconds));
	r = mp__wait_until(p, deadline);
	err = errno;
	mp__tp(proc_joined, mp__pid(), p->pid, r == 0);
	errno = err;
	return r;
}

int mp_subprocess_wait(mp_subprocess *p)
{
	MP__SITE();
	return wait_traced(p, MP_FOREVER);
}

int mp_subprocess_wait_timeout(mp_subprocess *p, double seconds)
{
	MP__SITE();
	return wait_traced(p, seconds);
}

int mp_subprocess_send_signal(mp_subprocess *p, int signo)
{
	MP__SITE();
	if (p == NULL || signo < 0 || signo >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (mp__reap(p, WNOHANG) != 0)
		return 0;	/* collected: nothing to signal */
	return mp__signal_child(p->pid, signo);
}

int mp_subprocess_terminate(mp_subprocess *p)
{
	MP__SITE();
	return mp_subprocess_send_signal(p, SIGTERM);
}

int mp_subprocess_kill(mp_subprocess *p)
{
	MP__SITE();
	return mp_subprocess_send_signal(p, SIGKILL);
}

int mp_subprocess_close(mp_subprocess *p)
{
	MP__SITE();
	int r;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	/* Closed first: a child blocked writing to us gets EPIPE and ends. */
	mp__close_pipes(p);
	r = mp__wait_until(p, -1);
	subprocess_free(p);
	return r;
}
