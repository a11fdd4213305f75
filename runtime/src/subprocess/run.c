/*
 * run.c - subprocess.run and its conveniences: call, check_output, and
 * os.system.  Each is a Popen, a communicate, and a wait.
 */
#define _GNU_SOURCE
#include "base/trace.h"
#include "subprocess/subprocess.h"

#include <errno.h>
#include <string.h>

/* Python's run(): spawn, communicate, on timeout kill and collect. */
static int run(char *const argv[], const char *shell_cmd, const struct mp_run_options *opt,
	       struct mp_completed *result, int *wstatus)
{
	static const struct mp_run_options none;
	struct mp_run_options o = opt ? *opt : none;
	mp_subprocess *p;
	int r, err;

	if (result == NULL || !mp__options_ok(&o) || o.in_from != NULL
	    || (o.input_len > 0 && o.input == NULL)) {
		errno = EINVAL;
		return -1;
	}
	memset(result, 0, sizeof(*result));
	result->returncode = MP_EXITCODE_NONE;
	if (o.input != NULL)
		o.in = MP_PIPE;
	p = shell_cmd ? mp_subprocess_popen_shell(shell_cmd, &o) : mp_subprocess_popen(argv, &o);
	if (p == NULL)
		return -1;
	r = mp_subprocess_communicate_timeout(p, o.input, o.input_len,
					      o.timeout > 0 ? o.timeout : MP_FOREVER, result);
	err = errno;
	if (r == -1 && err == ETIMEDOUT) {
		/* Collect it without reading on: a grandchild may hold the
		 * pipes open for as long as it likes. */
		mp_subprocess_kill(p);
		mp__close_pipes(p);
		mp__wait_until(p, -1);
		result->returncode = p->returncode;
	} else if (r == -1) {
		mp_completed_free(result);
		mp_subprocess_kill(p);
	}
	if (wstatus != NULL)
		*wstatus = p->mp__wstatus;
	mp_subprocess_close(p);
	if (r == 0 && o.check && result->returncode != 0) {
		err = MP_CALLED_PROCESS_ERROR;
		r = -1;
	}
	errno = err;
	return r;
}

int mp_run(char *const argv[], const struct mp_run_options *opt, struct mp_completed *result)
{
	MP__SITE();
	return run(argv, NULL, opt, result, NULL);
}

int mp_run_shell(const char *cmd, const struct mp_run_options *opt, struct mp_completed *result)
{
	MP__SITE();
	if (cmd == NULL) {
		errno = EINVAL;
		return -1;
	}
	return run(NULL, cmd, opt, result, NULL);
}

int mp_call(char *const argv[], int *returncode)
{
	MP__SITE();
	struct mp_completed r;

	if (returncode == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (mp_run(argv, NULL, &r) == -1)
		return -1;
	*returncode = r.returncode;
	mp_completed_free(&r);
	return 0;
}

int mp_check_output(char *const argv[], const struct mp_run_options *opt,
		    struct mp_completed *result)
{
	MP__SITE();
	static const struct mp_run_options none;
	struct mp_run_options o = opt ? *opt : none;

	o.out = MP_PIPE;
	o.check = true;
	return mp_run(argv, &o, result);
}

int mp_system(const char *cmd)
{
	MP__SITE();
	struct mp_completed r;
	int wstatus = 0;

	if (cmd == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (run(NULL, cmd, NULL, &r, &wstatus) == -1)
		return -1;
	mp_completed_free(&r);
	return wstatus;
}
