#include "diag/observe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag/rules.h"
#include "model/state.h"

/* Every key map of the observer, for init, reset and free. */
#define OBS_NMAPS 8
static void obs_maps(struct tc_obs *o, struct tc_keymap *m[OBS_NMAPS])
{
	m[0] = &o->listeners;
	m[1] = &o->synrecv_src;
	m[2] = &o->synsent_dst;
	m[3] = &o->synsent_addr;
	m[4] = &o->tw_route;
	m[5] = &o->retrans_peer;
	m[6] = &o->persist_peer;
	m[7] = &o->closewait_dst;
}

/* ---- port records ---- */

/* A bit per port: which ports have a record. */
static void bit_set(uint64_t *bits, uint16_t port)
{
	bits[port / 64] |= (uint64_t)1 << (port % 64);
}

static int bit_has(const uint64_t *bits, uint16_t port)
{
	return (bits[port / 64] >> (port % 64)) & 1;
}

/* The first port at or after from whose bit is set; 65536 when none is. */
static uint32_t bit_next(const uint64_t *bits, uint32_t from)
{
	uint32_t w = from / 64;
	uint64_t rest;

	if (from >= 65536)
		return 65536;
	rest = bits[w] & (~(uint64_t)0 << (from % 64));
	while (!rest) {
		if (++w == 65536 / 64)
			return 65536;
		rest = bits[w];
	}
	return w * 64 + (uint32_t)__builtin_ctzll(rest);
}

static const struct tc_port_obs no_port;
static const struct tc_port_close no_port_close;

static size_t portmap_home(size_t cap, uint16_t port)
{
	return ((uint32_t)port * 2654435769u >> 15) & (cap - 1);
}

/* The slot of port in a table of cap slots: its own, or the free one where
 * it belongs. */
static struct tc_port_obs *portmap_slot(struct tc_port_obs *slot, size_t cap, uint16_t port)
{
	size_t i;

	for (i = portmap_home(cap, port); slot[i].used; i = (i + 1) & (cap - 1))
		if (slot[i].port == port)
			break;
	return &slot[i];
}

/* A port's bit is set exactly when the table holds its record. */
static const struct tc_port_obs *portmap_get(const struct tc_portmap *pm, uint16_t port)
{
	return bit_has(pm->present, port) ? portmap_slot(pm->slot, pm->cap, port) : &no_port;
}

static struct tc_port_obs *portmap_put(struct tc_portmap *pm, uint16_t port)
{
	struct tc_port_obs *s;

	if ((pm->n + 1) * 2 > pm->cap) {
		size_t cap = pm->cap ? pm->cap * 2 : 64;
		struct tc_port_obs *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return NULL;
		for (size_t i = 0; i < pm->cap; i++)
			if (pm->slot[i].used)
				*portmap_slot(slot, cap, pm->slot[i].port) = pm->slot[i];
		free(pm->slot);
		pm->slot = slot;
		pm->cap = cap;
	}
	s = portmap_slot(pm->slot, pm->cap, port);
	if (!s->used) {
		s->used = 1;
		s->port = port;
		pm->n++;
		bit_set(pm->present, port);
	}
	return s;
}

static const struct tc_port_close *pages_get(const struct tc_portpages *pp, uint16_t port)
{
	const struct tc_port_close *pg = pp->page[port / TC_PORT_PAGE];

	return pg ? &pg[port % TC_PORT_PAGE] : &no_port_close;
}

static struct tc_port_close *pages_put(struct tc_portpages *pp, uint16_t port)
{
	struct tc_port_close **pg = &pp->page[port / TC_PORT_PAGE];

	if (!*pg && !(*pg = calloc(TC_PORT_PAGE, sizeof(**pg))))
		return NULL;
	bit_set(pp->present, port);
	return &(*pg)[port % TC_PORT_PAGE];
}

static void pages_clear(struct tc_portpages *pp)
{
	for (size_t i = 0; i < sizeof(pp->page) / sizeof(pp->page[0]); i++)
		if (pp->page[i])
			memset(pp->page[i], 0, TC_PORT_PAGE * sizeof(*pp->page[i]));
	memset(pp->present, 0, sizeof(pp->present));
}

static void pages_free(struct tc_portpages *pp)
{
	for (size_t i = 0; i < sizeof(pp->page) / sizeof(pp->page[0]); i++) {
		free(pp->page[i]);
		pp->page[i] = NULL;
	}
	memset(pp->present, 0, sizeof(pp->present));
}

const struct tc_port_obs *obs_port(const struct tc_obs *o, uint16_t port)
{
	return portmap_get(&o->port, port);
}

const struct tc_port_close *obs_port_close(const struct tc_obs *o, uint16_t port)
{
	return pages_get(&o->port_close, port);
}

uint32_t obs_port_next(const struct tc_obs *o, uint32_t from)
{
	return bit_next(o->port.present, from);
}

uint32_t obs_port_close_next(const struct tc_obs *o, uint32_t from)
{
	return bit_next(o->port_close.present, from);
}

/* ---- the observer ---- */

int obs_init(struct tc_obs *o, const struct tc_thresholds *th)
{
	struct tc_keymap *m[OBS_NMAPS];

	memset(o, 0, sizeof(*o));
	obs_maps(o, m);
	for (int i = 0; i < OBS_NMAPS; i++)
		keymap_init(m[i], TC_OBS_MAP_LIMIT, KEYMAP_EVICT);
	/* a listener's backlog and queue must not be inherited by another */
	keymap_init(&o->listeners, TC_OBS_LISTENERS_LIMIT, KEYMAP_KEEP);
	o->idle_limit_ms = (uint64_t)th_get(th, R_IDLE_NO_KEEPALIVE, 0) * 1000;
	o->retrans_limit = (uint64_t)th_get(th, R_RETRANSMITTING, 0);
	o->recvq_limit = (uint64_t)th_get(th, R_RECV_QUEUE_BACKLOG, 0);
	o->closewait_min = (uint64_t)th_get(th, R_CLOSE_WAIT_LEAK, 0);
	o->synsent_min = (uint64_t)th_get(th, R_SYN_SENT_STUCK, 0);
	o->tw_server_min = (uint64_t)th_get(th, R_TIME_WAIT_SERVER, 0);
	return 0;
}

void obs_reset(struct tc_obs *o)
{
	struct tc_keymap *m[OBS_NMAPS];

	if (o->port.slot)
		memset(o->port.slot, 0, o->port.cap * sizeof(*o->port.slot));
	o->port.n = 0;
	memset(o->port.present, 0, sizeof(o->port.present));
	pages_clear(&o->port_close);
	obs_maps(o, m);
	for (int i = 0; i < OBS_NMAPS; i++)
		keymap_clear(m[i]);
	o->fin_wait1 = o->fin_wait2_live = o->last_ack = o->closing = o->timewait = 0;
	o->idle_no_keepalive = o->idle_max_ms = o->keepalive = o->sockets = 0;
	o->have_info = o->have_backlog = 0;
}

void obs_free(struct tc_obs *o)
{
	struct tc_keymap *m[OBS_NMAPS];

	obs_maps(o, m);
	for (int i = 0; i < OBS_NMAPS; i++)
		keymap_free(m[i]);
	free(o->port.slot);
	memset(&o->port, 0, sizeof(o->port));
	pages_free(&o->port_close);
}

int obs_addr_any(int family, const uint8_t *addr)
{
	static const uint8_t zero[16];

	return memcmp(addr, zero, family == AF_INET ? 4 : 16) == 0;
}

void obs_key_peer(struct tc_key *k, const struct tc_sock *sk)
{
	memset(k, 0, sizeof(*k));
	k->family = sk->family;
	memcpy(k->addr, sk->dst, 16);
}

void obs_key_dest(struct tc_key *k, const struct tc_sock *sk)
{
	obs_key_peer(k, sk);
	k->port = sk->dport;
}

void obs_key_route(struct tc_key *k, const struct tc_sock *sk)
{
	obs_key_dest(k, sk);
	memcpy(k->addr2, sk->src, 16);
}

static uint32_t sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Whether a key's count, just reached, is among the last TC_EXAMPLES up to
 * the threshold t (or among the first TC_EXAMPLES when t is smaller). */
static int example_window(uint64_t count, uint64_t t)
{
	uint64_t hi = t > TC_EXAMPLES ? t : TC_EXAMPLES;

	return count + TC_EXAMPLES > hi && count <= hi;
}

/* The same for a key map entry, whose count is exact only without err. */
static int kv_window(const struct tc_kv *kv, uint64_t t)
{
	return kv && !kv->err && example_window(kv->count, t);
}

int obs_add(struct tc_obs *o, const struct tc_sock *sk)
{
	struct tc_port_obs *p;
	struct tc_port_close *pc;
	struct tc_key k;
	int info = (sk->have & TC_HAVE_INFO) != 0;
	int example = 0;

	o->sockets++;
	if (info)
		o->have_info = 1;
	if (sk->timer == TC_TIMER_KEEPALIVE &&
	    (sk->state == TC_STATE_ESTABLISHED || sk->state == TC_STATE_CLOSE_WAIT))
		o->keepalive++;
	switch (sk->state) {
	case TC_STATE_LISTEN:
		if (!(p = portmap_put(&o->port, sk->sport)))
			return -ENOMEM;
		p->listeners++;
		if (sk->wqueue > p->listen_backlog)
			p->listen_backlog = sk->wqueue;
		if (sk->wqueue)
			o->have_backlog = 1;
		if (obs_addr_any(sk->family, sk->src))
			p->wildcard = 1;
		memset(&k, 0, sizeof(k));
		k.family = sk->family;
		k.port = sk->sport;
		memcpy(k.addr, sk->src, 16);
		{
			struct tc_kv *kv = keymap_add(&o->listeners, &k, sk->rqueue);

			if (kv)
				kv->aux = sk->wqueue;
		}
		return 0;
	case TC_STATE_SYN_RECV:
		if (!(p = portmap_put(&o->port, sk->sport)))
			return -ENOMEM;
		p->synrecv++;
		memset(&k, 0, sizeof(k));
		k.family = sk->family;
		k.port = sk->sport;
		memcpy(k.addr, sk->dst, 16);
		keymap_add(&o->synrecv_src, &k, 0);
		break;
	case TC_STATE_SYN_SENT:
		obs_key_dest(&k, sk);
		example |= kv_window(keymap_add(&o->synsent_dst, &k, 0), o->synsent_min);
		obs_key_peer(&k, sk);
		keymap_add(&o->synsent_addr, &k, 0);
		break;
	case TC_STATE_CLOSE_WAIT:
		if (!(pc = pages_put(&o->port_close, sk->sport)))
			return -ENOMEM;
		pc->closewait++;
		if (info && sk->last_data_recv_ms / 1000 > pc->closewait_idle_s)
			pc->closewait_idle_s = sat32(sk->last_data_recv_ms / 1000);
		example |= example_window(pc->closewait, o->closewait_min);
		obs_key_dest(&k, sk);
		example |= kv_window(
		    keymap_add(&o->closewait_dst, &k, info ? sk->last_data_recv_ms / 1000 : 0),
		    o->closewait_min);
		break;
	case TC_STATE_FIN_WAIT1:
		o->fin_wait1++;
		break;
	case TC_STATE_FIN_WAIT2:
		/* a timewait mini-socket (orphan) has no inode; a live owner does */
		if (sk->inode)
			o->fin_wait2_live++;
		break;
	case TC_STATE_LAST_ACK:
		o->last_ack++;
		break;
	case TC_STATE_CLOSING:
		o->closing++;
		break;
	case TC_STATE_TIME_WAIT:
		if (!(pc = pages_put(&o->port_close, sk->sport)))
			return -ENOMEM;
		o->timewait++;
		pc->timewait++;
		obs_key_route(&k, sk);
		keymap_add(&o->tw_route, &k, 0);
		return example_window(pc->timewait, o->tw_server_min);
	case TC_STATE_ESTABLISHED:
		if (info && sk->last_data_recv_ms >= o->idle_limit_ms &&
		    sk->timer != TC_TIMER_KEEPALIVE) {
			o->idle_no_keepalive++;
			if (sk->last_data_recv_ms > o->idle_max_ms)
				o->idle_max_ms = sk->last_data_recv_ms;
		}
		if (sk->rqueue > o->recvq_limit) {
			if (!(p = portmap_put(&o->port, sk->sport)))
				return -ENOMEM;
			p->recvq_big++;
			if (sk->rqueue > p->recvq_max)
				p->recvq_max = sk->rqueue;
		}
		break;
	default:
		break;
	}
	/* Retransmitting: the RTO timer runs and has fired often (or backed off).
	 * Zero-window probes back off too, but an answered probe is no loss. */
	/* Handshake retries are syn-sent-stuck's and syn-flood's business. */
	if (sk->timer == TC_TIMER_RETRANS && sk->state != TC_STATE_SYN_RECV &&
	    sk->state != TC_STATE_SYN_SENT &&
	    (sk->retrans >= o->retrans_limit || (info && sk->backoff >= o->retrans_limit))) {
		obs_key_peer(&k, sk);
		keymap_add(&o->retrans_peer, &k,
			   sk->retrans > sk->backoff ? sk->retrans : sk->backoff);
	}
	if (sk->timer == TC_TIMER_PROBE) {
		obs_key_peer(&k, sk);
		keymap_add(&o->persist_peer, &k, sk->wqueue);
	}
	return example;
}
