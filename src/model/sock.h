/* struct tc_sock: one TCP socket as every source reports it. Flat and fixed
 * size so sources can fill one on the stack and hand it to a callback. */
#ifndef TCPDOC_SOCK_H
#define TCPDOC_SOCK_H

#include <stdint.h>

/* Which optional fields the source provided (/proc has no tcp_info). */
enum tc_have {
	TC_HAVE_COOKIE = 1 << 0,  /* sock_diag cookie */
	TC_HAVE_INFO = 1 << 1,	  /* rtt, idle times, backoff from tcp_info */
	TC_HAVE_UID = 1 << 2,	  /* uid is the owner's (0 for tw/request in netlink) */
	TC_HAVE_IFINDEX = 1 << 3, /* bound device */
};

/* Timer kinds: the numbers /proc's `tr` and sock_diag's idiag_timer use. */
enum tc_timer {
	TC_TIMER_NONE = 0,
	TC_TIMER_RETRANS = 1,	/* RTO, SYN/SYN-ACK retry, loss probe */
	TC_TIMER_KEEPALIVE = 2, /* sk_timer: keepalive or orphaned FIN_WAIT2 */
	TC_TIMER_TIMEWAIT = 3,
	TC_TIMER_PROBE = 4, /* zero-window probe */
	TC_TIMER_MAX = 4,
};

struct tc_sock {
	uint8_t family;	 /* AF_INET or AF_INET6 */
	uint8_t state;	 /* TC_STATE_* (1..11) */
	uint8_t timer;	 /* enum tc_timer */
	uint8_t retrans; /* RTO count for timer 1, probe count for timers 2 and 4 */
	uint16_t sport;	 /* host order */
	uint16_t dport;
	uint8_t src[16]; /* network order; IPv4 uses the first 4 bytes */
	uint8_t dst[16];
	uint32_t have;	 /* enum tc_have */
	uint32_t rqueue; /* LISTEN: accept queue length */
	uint32_t wqueue; /* LISTEN: backlog (netlink only; 0 from /proc) */
	uint32_t uid;
	uint32_t ifindex;
	uint64_t inode;
	uint64_t cookie;
	uint64_t expires_ms; /* time left on the timer */
	/* tcp_info subset, valid with TC_HAVE_INFO */
	uint32_t rtt_us;
	uint32_t rttvar_us;
	uint32_t rto_us;
	uint32_t last_data_recv_ms; /* idle time: ms since data was last received */
	uint32_t last_data_sent_ms;
	uint32_t total_retrans;
	uint8_t backoff;
	uint8_t probes;
};

/* The source calls this for each socket; the record is valid only during the
 * call. Return 1 to go on, 0 to stop, negative -errno to fail (libmnl's rule). */
typedef int (*tc_sock_cb)(const struct tc_sock *sk, void *arg);

#endif
