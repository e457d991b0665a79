#include "source/source.h"

#include <errno.h>
#include <string.h>

#include "source/diagfile.h"
#include "source/netlink.h"
#include "source/proc.h"

static const char *const source_names[] = {
    [TC_SOURCE_AUTO] = "auto",	   [TC_SOURCE_NETLINK] = "netlink",    [TC_SOURCE_PROC] = "proc",
    [TC_SOURCE_PROCFS] = "procfs", [TC_SOURCE_DIAGFILE] = "diag-file",
};

int source_parse(const char *name, struct tc_source *s, struct tc_err *err)
{
	for (int k = TC_SOURCE_AUTO; k <= TC_SOURCE_PROC; k++)
		if (strcmp(name, source_names[k]) == 0) {
			s->kind = k;
			return 0;
		}
	return tc_err_usage(err, "unknown source '%.64s' (want auto, netlink or proc)", name);
}

const char *source_name(int kind)
{
	if (kind >= TC_SOURCE_AUTO && kind <= TC_SOURCE_DIAGFILE)
		return source_names[kind];
	return "unknown";
}

int source_walk(struct tc_source *s, const struct tc_filter *f, tc_sock_cb cb, void *arg,
		struct tc_err *err)
{
	unsigned long passed;
	int r;

	switch (s->kind) {
	case TC_SOURCE_PROCFS:
		s->used = TC_SOURCE_PROCFS;
		return proc_walk(s->path, f, cb, arg, err);
	case TC_SOURCE_DIAGFILE:
		s->used = TC_SOURCE_DIAGFILE;
		return diagfile_walk(s->path, f, cb, arg, err);
	case TC_SOURCE_PROC:
		s->used = TC_SOURCE_PROC;
		return proc_walk("/proc", f, cb, arg, err);
	case TC_SOURCE_NETLINK:
		s->used = TC_SOURCE_NETLINK;
		return nl_walk(f, s->want, cb, arg, NULL, err);
	case TC_SOURCE_AUTO:
	default:
		s->used = TC_SOURCE_NETLINK;
		r = nl_walk(f, s->want, cb, arg, &passed, err);
		/* /proc takes over only when netlink gave nothing yet (it could not
		 * be opened, or refused the request): sockets already passed on
		 * cannot be taken back. An interrupted dump is for the caller to
		 * walk again. */
		if (r >= 0 || passed || r == NL_DUMP_INTERRUPTED)
			return r;
		s->fell_back = 1;
		s->fallback_err = err && err->code ? err->code : -r;
		if (err)
			memset(err, 0, sizeof(*err));
		s->used = TC_SOURCE_PROC;
		return proc_walk("/proc", f, cb, arg, err);
	}
}
