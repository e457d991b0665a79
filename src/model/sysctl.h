/* The TCP sysctls tcpdoc's rules and explanations use, read from
 * /proc/sys (or DIR/sys of a saved snapshot). Each is per namespace except
 * where noted; a missing one is simply not known. */
#ifndef TCPDOC_SYSCTL_H
#define TCPDOC_SYSCTL_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum tc_sysctl {
	TC_S_PORT_LO, /* net.ipv4.ip_local_port_range, first */
	TC_S_PORT_HI, /* and last */
	TC_S_MAX_TW_BUCKETS,
	TC_S_KEEPALIVE_TIME,
	TC_S_KEEPALIVE_INTVL,
	TC_S_KEEPALIVE_PROBES,
	TC_S_FIN_TIMEOUT,
	TC_S_SOMAXCONN,
	TC_S_MAX_SYN_BACKLOG,
	TC_S_SYNCOOKIES,
	TC_S_MAX_ORPHANS, /* global */
	TC_S_TW_REUSE,
	TC_S_SYN_RETRIES,
	TC_S_SYNACK_RETRIES,
	TC_S_ORPHAN_RETRIES,
	TC_S_MAX,
};

struct tc_sysctls {
	int64_t v[TC_S_MAX];
	uint32_t have; /* bit i: v[i] was read */
};

/* Dotted name: "net.ipv4.tcp_max_tw_buckets". */
const char *sysctl_name(int s);

/* Parse the text of one sysctl file: `count` integers separated by blanks. */
int sysctl_parse(const char *text, size_t len, int64_t *vals, int count);

/* Read every known sysctl under ROOT ("/proc/sys" or DIR/sys). Missing or
 * unreadable files are skipped; garbage in one fails with its path. */
int sysctl_read(const char *root, struct tc_sysctls *s, struct tc_err *err);

static inline int sysctl_has(const struct tc_sysctls *s, int i)
{
	return (s->have >> i) & 1;
}

#endif
