/* Choosing and running a socket source: netlink, /proc, a saved /proc
 * snapshot, or a diag file. */
#ifndef TCPDOC_SOURCE_H
#define TCPDOC_SOURCE_H

#include "model/filter.h"
#include "model/sock.h"
#include "util/err.h"

enum tc_source_kind {
	TC_SOURCE_AUTO,
	TC_SOURCE_NETLINK,
	TC_SOURCE_PROC,
	TC_SOURCE_PROCFS,   /* --procfs DIR */
	TC_SOURCE_DIAGFILE, /* --diag-file FILE */
};

struct tc_source {
	int kind;
	const char *path; /* DIR or FILE for procfs and diagfile */
	unsigned want;	  /* enum nl_want */
	/* set by source_walk */
	int used;	  /* the kind that ran */
	int fell_back;	  /* auto: netlink failed before any socket, /proc used */
	int fallback_err; /* why netlink failed (positive errno) */
};

/* Parse "auto", "netlink" or "proc" into s->kind. */
int source_parse(const char *name, struct tc_source *s, struct tc_err *err);

/* Name of a kind for messages and JSON ("netlink", "proc", ...). */
const char *source_name(int kind);

/* Run the source, filtered by f, calling cb per socket. Returns 1 when done,
 * 0 when cb stopped, -errno on failure. auto reads /proc instead (fell_back)
 * only when netlink failed before passing on any socket. NL_DUMP_INTERRUPTED
 * (netlink.h): the kernel's dump changed under it, so what cb got may miss
 * or repeat sockets; a caller that can start its counts again may walk
 * again. */
int source_walk(struct tc_source *s, const struct tc_filter *f, tc_sock_cb cb, void *arg,
		struct tc_err *err);

#endif
