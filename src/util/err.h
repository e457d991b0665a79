/* Error reporting: functions below the commands fill a tc_err and return
 * -errno; only main.c prints it, once, in git's style. */
#ifndef TCPDOC_ERR_H
#define TCPDOC_ERR_H

enum tc_err_kind {
	TC_ERR_RUNTIME = 1,
	TC_ERR_USAGE = 2
};

struct tc_err {
	int code; /* positive errno, 0 when none */
	int kind; /* TC_ERR_RUNTIME or TC_ERR_USAGE: the exit status */
	char msg[512];
};

/* Record a runtime failure; returns -code so callers can `return tc_err_set(...)`.
 * The first error wins: later calls do not overwrite it. */
int tc_err_set(struct tc_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a usage error (bad command line); returns -EINVAL. */
int tc_err_usage(struct tc_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
