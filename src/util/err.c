#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "render/fmt.h"

/* Messages quote names, paths and lines from files and the command line:
 * control characters, C1 controls and invalid UTF-8 become \xHH, so a
 * message is one line and cannot act on a terminal. Backslashes stay as
 * they are: some callers escape their part already. Cut at a character. */
static void err_escape(char *out, size_t size, const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	while (*s) {
		size_t n = fmt_utf8_len(s);
		int hex = n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7f)) ||
			  (n == 2 && s[0] == 0xc2 && s[1] < 0xa0);
		size_t need = hex ? 4 * (n ? n : 1) : n;

		if (o + need + 1 > size)
			break;
		if (hex) {
			for (size_t i = 0; i < (n ? n : 1); i++)
				o += (size_t)snprintf(out + o, size - o, "\\x%02x", s[i]);
		} else {
			memcpy(out + o, s, n);
			o += n;
		}
		s += n ? n : 1;
	}
	out[o] = '\0';
}

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
		err_escape(e->msg, sizeof(e->msg), raw);
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
