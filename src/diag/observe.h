/* The per-socket observer: one pass over the sockets fills the bounded
 * aggregates every rule reads (per local port arrays, bounded key maps,
 * plain counts). Memory is bounded whatever the number of sockets: 24 bytes
 * per port with listeners, 3 KiB per 256 local ports with closing sockets,
 * two 8 KiB bitmaps of the ports with either, about 190 KiB per full key map
 * (5 MiB for the listener map, at 65536 listeners). */
#ifndef TCPDOC_OBSERVE_H
#define TCPDOC_OBSERVE_H

#include <stdint.h>

#include "diag/keymap.h"
#include "model/sock.h"

struct tc_thresholds;

/* Per local port: what the listener rules read. Few ports have any of it
 * (listeners, their SYN_RECV and busy Recv-Q), spread anywhere. */
struct tc_port_obs {
	uint32_t listen_backlog; /* largest backlog among its listeners (netlink) */
	uint32_t listeners;
	uint32_t synrecv;
	uint32_t recvq_big; /* ESTABLISHED with Recv-Q above the rule's limit */
	uint32_t recvq_max;
	uint8_t wildcard; /* a listener on 0.0.0.0 or :: */
	uint8_t used;	  /* (the table's) */
	uint16_t port;	  /* (the table's) */
};

/* The ports that have a struct tc_port_obs, in an open-addressing table
 * at most half full. */
struct tc_portmap {
	struct tc_port_obs *slot;
	size_t cap, n;
	uint64_t present[65536 / 64]; /* a bit per port with a record, to walk them in order */
};

/* Per local port: what the closing rules read. A busy client touches one
 * record per ephemeral port, so it is kept small. */
struct tc_port_close {
	uint32_t closewait;
	uint32_t closewait_idle_s; /* the oldest CLOSE_WAIT's idle time */
	uint32_t timewait;
};

/* Records per local port in pages of TC_PORT_PAGE ports, each allocated
 * the first time one of its ports is counted: a host's closing sockets sit
 * on a few ports (servers) or in one range (a client's ephemeral ports). */
#define TC_PORT_PAGE 256
struct tc_portpages {
	struct tc_port_close *page[65536 / TC_PORT_PAGE];
	uint64_t present[65536 / 64]; /* a bit per port with a record, to walk them in order */
};

/* Keys per key map. Evicting maps keep the heaviest keys (see keymap.h);
 * the listener map keeps the first ones, which is every listener there is
 * on any real host. */
#define TC_OBS_MAP_LIMIT 2048
#define TC_OBS_LISTENERS_LIMIT 65536

struct tc_obs {
	struct tc_portmap port;
	struct tc_portpages port_close;
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
	uint64_t closewait_min, synsent_min, tw_server_min; /* where findings start */
};

/* Start empty; -ENOMEM on failure. Limits come from th. */
int obs_init(struct tc_obs *o, const struct tc_thresholds *th);
/* Forget every socket, keeping the memory. */
void obs_reset(struct tc_obs *o);
void obs_free(struct tc_obs *o);
/* Account one socket. Returns 1 when the socket is worth keeping as an
 * example: it is one of the last TC_EXAMPLES sockets before a port's or a
 * destination's count reaches a rule's threshold (or the threshold's own),
 * so a key that ends up a finding has had all its examples offered in this
 * walk. 0 otherwise, -ENOMEM when a port record could not be allocated. */
int obs_add(struct tc_obs *o, const struct tc_sock *sk);
/* What was counted for a local port (all zeros when nothing was). */
const struct tc_port_obs *obs_port(const struct tc_obs *o, uint16_t port);
const struct tc_port_close *obs_port_close(const struct tc_obs *o, uint16_t port);
/* The first port at or after from that has a record of obs_port
 * (obs_port_close), 65536 when there is none. The rules walk the ports with
 *   for (p = obs_port_next(o, 0); p < 65536; p = obs_port_next(o, p + 1))
 * in ascending order, at a cost that follows the ports counted, not the
 * 65536 there could be. */
uint32_t obs_port_next(const struct tc_obs *o, uint32_t from);
uint32_t obs_port_close_next(const struct tc_obs *o, uint32_t from);

/* Key helpers shared with the rules (for example sockets and flags). */
void obs_key_peer(struct tc_key *k, const struct tc_sock *sk);
void obs_key_dest(struct tc_key *k, const struct tc_sock *sk);
void obs_key_route(struct tc_key *k, const struct tc_sock *sk);
/* The address is all zeros (0.0.0.0 or ::). */
int obs_addr_any(int family, const uint8_t *addr);

#endif
