/* The per-socket observer: one pass over the sockets fills the bounded
 * aggregates every rule reads (per local port arrays, bounded key maps,
 * plain counts). Memory is fixed at about 2 MiB plus the bounded maps. */
#ifndef TCPDOC_OBSERVE_H
#define TCPDOC_OBSERVE_H

#include <stdint.h>

#include "diag/keymap.h"
#include "model/sock.h"

struct tc_thresholds;

/* Per local port (host order index). */
struct tc_port_obs {
	uint32_t listen_backlog; /* largest backlog among its listeners (netlink) */
	uint32_t listeners;
	uint32_t synrecv;
	uint32_t closewait;
	uint32_t closewait_idle_s; /* the oldest CLOSE_WAIT's idle time */
	uint32_t timewait;
	uint32_t recvq_big; /* ESTABLISHED with Recv-Q above the rule's limit */
	uint32_t recvq_max;
	uint8_t wildcard; /* a listener on 0.0.0.0 or :: */
};

#define TC_OBS_MAP_LIMIT 65536

struct tc_obs {
	struct tc_port_obs *port;	/* [65536] */
	struct tc_keymap listeners;	/* (family, laddr, lport): aux = backlog, max = Recv-Q */
	struct tc_keymap synrecv_src;	/* (lport, raddr): distinct SYN_RECV sources */
	struct tc_keymap synsent_dst;	/* (raddr, rport) */
	struct tc_keymap synsent_addr;	/* (raddr): distinct destinations */
	struct tc_keymap tw_route;	/* (laddr, raddr, rport) */
	struct tc_keymap retrans_peer;	/* (raddr): max = most retransmits */
	struct tc_keymap persist_peer;	/* (raddr): zero-window probing */
	struct tc_keymap closewait_dst; /* (raddr, rport): client-side CLOSE_WAIT */
	uint64_t fin_wait1, fin_wait2_live, last_ack, closing, timewait;
	uint64_t idle_no_keepalive; /* ESTABLISHED idle past the limit, no keepalive timer */
	uint64_t idle_max_ms;
	uint64_t keepalive; /* sockets with a keepalive timer */
	uint64_t sockets;
	int have_info;	  /* the source gave tcp_info (idle times, backoff) */
	int have_backlog; /* the source gave listener backlogs (netlink) */
	/* limits copied from the thresholds at init */
	uint64_t idle_limit_ms, retrans_limit, recvq_limit;
};

/* Allocate; -ENOMEM on failure. Limits come from th. */
int obs_init(struct tc_obs *o, const struct tc_thresholds *th);
void obs_reset(struct tc_obs *o);
void obs_free(struct tc_obs *o);
/* Account one socket. */
void obs_add(struct tc_obs *o, const struct tc_sock *sk);

/* Key helpers shared with the rules (for example sockets and flags). */
void obs_key_peer(struct tc_key *k, const struct tc_sock *sk);
void obs_key_dest(struct tc_key *k, const struct tc_sock *sk);
void obs_key_route(struct tc_key *k, const struct tc_sock *sk);
/* The address is all zeros (0.0.0.0 or ::). */
int obs_addr_any(int family, const uint8_t *addr);

#endif
