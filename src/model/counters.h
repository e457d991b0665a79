/* Kernel TCP counters of one network namespace: /proc/net/netstat (TcpExt),
 * /proc/net/snmp (Tcp) and /proc/net/sockstat (TCP). Parsed by name, since
 * sections and field counts change between kernels. */
#ifndef TCPDOC_COUNTERS_H
#define TCPDOC_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum tc_counter {
	/* TcpExt: (netstat) */
	TC_C_LISTEN_OVERFLOWS,
	TC_C_LISTEN_DROPS,
	TC_C_REQQ_FULL_DO_COOKIES,
	TC_C_REQQ_FULL_DROP,
	TC_C_SYNCOOKIES_SENT,
	TC_C_SYNCOOKIES_RECV,
	TC_C_SYNCOOKIES_FAILED,
	TC_C_SYN_RETRANS,
	TC_C_TIMEOUTS,
	TC_C_ABORT_ON_TIMEOUT,
	TC_C_ABORT_ON_DATA,
	TC_C_ABORT_ON_CLOSE,
	TC_C_ABORT_ON_MEMORY,
	TC_C_KEEPALIVE,
	TC_C_TW,
	TC_C_TW_OVERFLOW,
	/* Tcp: (snmp) */
	TC_C_ACTIVE_OPENS,
	TC_C_PASSIVE_OPENS,
	TC_C_ATTEMPT_FAILS,
	TC_C_ESTAB_RESETS,
	TC_C_CURR_ESTAB,
	TC_C_RETRANS_SEGS,
	TC_C_IN_ERRS,
	TC_C_OUT_RSTS,
	/* TCP: (sockstat) */
	TC_C_SOCK_INUSE,
	TC_C_SOCK_ORPHAN, /* global, not per namespace */
	TC_C_SOCK_TW,
	TC_C_SOCK_ALLOC,
	TC_C_SOCK_MEM, /* pages */
	TC_C_MAX,
};

struct tc_counters {
	int64_t v[TC_C_MAX];
	uint64_t have; /* bit i: v[i] was read */
};

/* "TcpExt.ListenOverflows", "Tcp.ActiveOpens", "sockstat.orphan" */
const char *counter_name(int c);

/* Parse header-line/value-line pairs ("TcpExt: A B\nTcpExt: 1 2\n") as in
 * /proc/net/netstat and /proc/net/snmp; `what` names the input in errors. */
int counters_parse_pairs(const char *text, size_t len, struct tc_counters *c, const char *what,
			 struct tc_err *err);

/* Parse /proc/net/sockstat's "TCP: inuse N orphan N tw N alloc N mem N". */
int counters_parse_sockstat(const char *text, size_t len, struct tc_counters *c, const char *what,
			    struct tc_err *err);

/* Read DIR/net/netstat, DIR/net/snmp and DIR/net/sockstat (DIR is "/proc"
 * live). A missing file leaves its counters unset; a garbled one fails. */
int counters_read(const char *dir, struct tc_counters *c, struct tc_err *err);

/* Read a whole small file (at most `max` bytes) into a new buffer. */
int read_small_file(const char *path, size_t max, char **out, size_t *len);

#endif
