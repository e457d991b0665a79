#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "render/fmt.h"

static int err_vset(struct tc_err *e, int code, int kind, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static int err_vset(struct tc_err *e, int code, int kind, const char *fmt, va_list ap)
{
	char raw[sizeof(e->msg)];

	if (!e)
		return -code;
	if (e->msg[0] == '\0') {
		e->code = code;
		e->kind = kind;
		vsnprintf(raw, sizeof(raw), fmt, ap);
		/* messages quote names, paths and lines from files and the
		 * command line: control characters, C1 controls and invalid
		 * UTF-8 become \xHH, so a message is one line and cannot act on
		 * a terminal */
		fmt_escape_controls(e->msg, sizeof(e->msg), raw);
	}
	return -code;
}

int tc_err_set(struct tc_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(e, code > 0 ? code : EIO, TC_ERR_RUNTIME, fmt, ap);
	va_end(ap);
	return r;
}

int tc_err_usage(struct tc_err *e, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(e, EINVAL, TC_ERR_USAGE, fmt, ap);
	va_end(ap);
	return r;
}
