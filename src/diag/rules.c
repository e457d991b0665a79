/* The rule table and its evaluators. Each evaluator reads the aggregates
 * and adds findings with the numbers that triggered them, a message, and a
 * hint: why it happens, a tcpdoc command to confirm it, what to change. */
#include "diag/rules.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"
#include "render/fmt.h"

#define BIT(s) (1u << (s))

static const char *const severity_names[] = {"ok", "info", "warning", "critical"};

const char *severity_name(int sev)
{
	return sev >= 0 && sev <= TC_SEV_CRITICAL ? severity_names[sev] : "unknown";
}

void findings_init(struct tc_findings *f)
{
	memset(f, 0, sizeof(*f));
}

void findings_free(struct tc_findings *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

/* A new zeroed finding for rule r, or NULL when memory ran out. */
static struct tc_finding *finding_add(struct tc_diag *d, const struct tc_rule *r, int sev)
{
	struct tc_findings *f = d->out;
	struct tc_finding *x;

	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		struct tc_finding *nv = realloc(f->v, ncap * sizeof(*nv));

		if (!nv)
			return NULL;
		f->v = nv;
		f->cap = ncap;
	}
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->rule = (int)(r - tc_rules);
	x->severity = sev;
	x->match.lport = x->match.rport = -1;
	if (sev > f->worst)
		f->worst = sev;
	return x;
}

/* The numbers behind a finding: sockets involved, the value compared with
 * the threshold, and their unit. */
static void finding_numbers(struct tc_finding *f, uint64_t count, int64_t value, int64_t threshold,
			    const char *unit)
{
	f->count = count;
	f->value = value;
	f->threshold = threshold;
	f->unit = unit;
}

static void setf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

#define SETF(field, ...) setf((field), sizeof(field), __VA_ARGS__)

static void addr_str(char *buf, size_t size, int family, const uint8_t *a)
{
	fmt_addr(buf, size, family, a);
}

/* "net.ipv4.tcp_fin_timeout = 60", or "" when it could not be read. */
static void sysctl_line(char *buf, size_t size, const struct tc_sysctls *s, int which)
{
	if (!sysctl_has(s, which))
		buf[0] = '\0'; /* not readable here: say nothing rather than guess */
	else if (which == TC_S_PORT_LO)
		snprintf(buf, size, "%s = %" PRId64 " %" PRId64, sysctl_name(which),
			 s->v[TC_S_PORT_LO], s->v[TC_S_PORT_HI]);
	else
		snprintf(buf, size, "%s = %" PRId64, sysctl_name(which), s->v[which]);
}

/* The tcpdoc command that shows a finding's sockets. */
static void match_command(const struct tc_diag *d, const struct tc_match *m, const char *how,
			  char *buf, size_t size)
{
	char part[96];
	size_t o;

	o = (size_t)snprintf(buf, size, "tcpdoc states %s", how);
	if (d->netns && o < size)
		o += (size_t)snprintf(buf + o, size - o, " -N %s", d->netns);
	if (m->states && m->states != TC_STATES_ALL && o < size) {
		int first = 1;

		o += (size_t)snprintf(buf + o, size - o, " -s ");
		for (int i = 0; i < TC_NSTATES && o < size; i++) {
			unsigned st = tc_state_order[i];

			if (!(m->states & BIT(st)))
				continue;
			o += (size_t)snprintf(buf + o, size - o, "%s%s", first ? "" : ",",
					      state_label(st));
			first = 0;
		}
	}
	if (m->lport >= 0 && o < size)
		o += (size_t)snprintf(buf + o, size - o, " --sport %d", m->lport);
	if (m->has_laddr && o < size) {
		addr_str(part, sizeof(part), m->family, m->laddr);
		o += (size_t)snprintf(buf + o, size - o, " --src %s", part);
	}
	if (m->has_raddr && o < size) {
		addr_str(part, sizeof(part), m->family, m->raddr);
		o += (size_t)snprintf(buf + o, size - o, " --dst %s", part);
	}
	if (m->rport >= 0 && o < size)
		snprintf(buf + o, size - o, " --dport %d", m->rport);
}

static void match_states(struct tc_finding *f, uint32_t states, int pred)
{
	f->has_match = 1;
	f->match.states = states;
	f->match.pred = pred;
}

static void match_peer(struct tc_finding *f, const struct tc_key *k, int with_port)
{
	f->match.family = k->family;
	f->match.has_raddr = 1;
	memcpy(f->match.raddr, k->addr, 16);
	if (with_port)
		f->match.rport = k->port;
}

static uint64_t delta(const struct tc_diag *d, int c)
{
	if (!d->before || !((d->before->have >> c) & 1) || !((d->now->have >> c) & 1))
		return 0;
	return d->now->v[c] > d->before->v[c] ? (uint64_t)(d->now->v[c] - d->before->v[c]) : 0;
}

static int sampled(const struct tc_diag *d)
{
	return d->before && d->interval > 0;
}

/* Key-map entries whose certain count reaches `min`, largest first, at most
 * `max`. */
static size_t top_keys(const struct tc_keymap *m, uint64_t min, const struct tc_kv **out,
		       size_t max)
{
	size_t n = 0;

	keymap_for_each(m, kv)
	{
		size_t i;

		if (keymap_sure(kv) < min)
			continue;
		/* insertion into a short sorted list */
		for (i = n; i > 0 && keymap_sure(out[i - 1]) < keymap_sure(kv); i--)
			if (i < max)
				out[i] = out[i - 1];
		if (i < max) {
			out[i] = kv;
			if (n < max)
				n++;
		}
	}
	return n;
}

#define TOP_SCOPES 5

/* Before a key map's count that is a lower bound (see keymap.h). */
static const char *at_least(const struct tc_kv *kv)
{
	return kv->err ? "at least " : "";
}

/* ---- the rules ---- */

static void eval_syn_flood(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	int64_t pct_min = th_get(d->th, R_SYN_FLOOD, 0);

	for (uint32_t p = obs_port_next(o, 0); p < 65536; p = obs_port_next(o, p + 1)) {
		const struct tc_port_obs *po = obs_port(o, (uint16_t)p);
		uint64_t backlog = po->listen_backlog, srcs = 0;
		const char *est = "";
		struct tc_finding *f;

		if (!po->synrecv)
			continue;
		if (!backlog && sysctl_has(d->sys, TC_S_SOMAXCONN)) {
			/* /proc has no backlog: somaxconn is its upper bound */
			backlog = (uint64_t)d->sys->v[TC_S_SOMAXCONN];
			est = " (at most net.core.somaxconn: this source does not show backlogs)";
		}
		if (!backlog || (int64_t)(po->synrecv * 100 / backlog) < pct_min)
			continue;
		keymap_for_each(&o->synrecv_src, kv) if (kv->key.port == p) srcs++;
		f = finding_add(d, r, po->synrecv >= backlog ? TC_SEV_CRITICAL : TC_SEV_WARNING);
		if (!f)
			return;
		f->scope_kind = "listener";
		SETF(f->scope, ":%u", p);
		finding_numbers(f, po->synrecv, (int64_t)(po->synrecv * 100 / backlog), pct_min,
				"%");
		SETF(f->message,
		     "%u half-open connections (SYN_RECV) on listener port %u from %s%" PRIu64
		     " sources: %" PRId64 "%% of its backlog of %" PRIu64 "%s%s",
		     po->synrecv, p, o->synrecv_src.overflow ? "at least " : "", srcs, f->value,
		     backlog, est, po->synrecv >= backlog ? "; the queue is full" : "");
		SETF(f->why,
		     "Clients send SYN and never complete the handshake: a SYN flood, usually from "
		     "spoofed addresses, or clients whose final ACK is lost on the way. Once the "
		     "queue is full, new connections get SYN cookies (or are dropped).");
		match_states(f, BIT(TC_STATE_SYN_RECV), P_NONE);
		f->match.lport = (int32_t)p;
		match_command(d, &f->match, "-b peer", f->check, sizeof(f->check));
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_SYNCOOKIES);
		SETF(f->fix,
		     "Keep net.ipv4.tcp_syncookies on (1); raise the listen() backlog and "
		     "net.core.somaxconn if the load is real; block the sources upstream if they "
		     "are few; see `tcpdoc states -b peer -s syn-recv`.");
	}
	if (sampled(d)) {
		/* every cookie counts in SyncookiesSent; TCPReqQFullDoCookies counts the
		 * same cookies again when the queue was full, so it is not added */
		uint64_t cookies = delta(d, TC_C_SYNCOOKIES_SENT);
		uint64_t drops = delta(d, TC_C_REQQ_FULL_DROP);
		double rate = (double)(cookies + drops) / d->interval;
		struct tc_finding *f;

		if (rate < (double)th_get(d->th, R_SYN_FLOOD, 1) || cookies + drops == 0)
			return;
		f = finding_add(d, r, drops ? TC_SEV_CRITICAL : TC_SEV_WARNING);
		if (!f)
			return;
		f->scope_kind = "host";
		SETF(f->scope, "%s", "host");
		finding_numbers(f, cookies + drops, (int64_t)(rate + 0.5),
				th_get(d->th, R_SYN_FLOOD, 1), "/s");
		SETF(f->message,
		     "listen queues overflowing with SYNs: %" PRIu64 " SYN cookies and %" PRIu64
		     " dropped SYNs in %.1f s (%.1f/s)",
		     cookies, drops, d->interval, rate);
		SETF(f->why,
		     "A listener's SYN queue is full, so the kernel answers with SYN cookies "
		     "(which leave no SYN_RECV sockets behind) or drops SYNs: a SYN flood, or "
		     "a burst larger than the backlog.");
		match_states(f, BIT(TC_STATE_SYN_RECV) | BIT(TC_STATE_LISTEN), P_NONE);
		f->has_match = 0;
		SETF(f->check, "tcpdoc states -s listen,syn-recv -b lport%s%s",
		     d->netns ? " -N " : "", d->netns ? d->netns : "");
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_SYNCOOKIES);
		SETF(f->fix,
		     "Keep net.ipv4.tcp_syncookies on; raise the backlog of the busy listener "
		     "and net.core.somaxconn if the traffic is legitimate; filter the flood "
		     "upstream otherwise.");
	}
}

static void eval_accept_queue(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	int64_t pct_min = th_get(d->th, R_ACCEPT_QUEUE_FULL, 0);
	char ep[80];

	keymap_for_each(&o->listeners, kv)
	{
		uint64_t rq = kv->max, backlog = kv->aux;
		struct tc_finding *f;
		int full;

		if (!backlog || !rq || (int64_t)(rq * 100 / backlog) < pct_min)
			continue;
		full = rq > backlog; /* the queue holds backlog + 1 */
		f = finding_add(d, r, full ? TC_SEV_CRITICAL : TC_SEV_WARNING);
		if (!f)
			return;
		fmt_endpoint(ep, sizeof(ep), kv->key.family, kv->key.addr, kv->key.port, 0);
		f->scope_kind = "listener";
		SETF(f->scope, "%s", ep);
		finding_numbers(f, rq, (int64_t)(rq * 100 / backlog), pct_min, "%");
		SETF(f->message,
		     "accept queue of %s holds %" PRIu64 " connections for a backlog of %" PRIu64
		     "%s",
		     ep, rq, backlog, full ? ": full, new connections are being dropped" : "");
		SETF(f->why,
		     "Connections completed the handshake but the program does not call "
		     "accept() fast enough: it is busy, blocked, or stuck. When the queue is "
		     "full the kernel drops the client's ACK and clients retry.");
		match_states(f, BIT(TC_STATE_LISTEN), P_NONE);
		f->match.lport = kv->key.port;
		f->match.family = kv->key.family;
		f->match.has_laddr = 1;
		memcpy(f->match.laddr, kv->key.addr, 16);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_SOMAXCONN);
		SETF(f->fix,
		     "Find out why the program behind port %u is slow to accept (threads "
		     "blocked, event loop stalled); a larger listen() backlog and "
		     "net.core.somaxconn only absorb short bursts.",
		     kv->key.port);
	}
	if (sampled(d)) {
		uint64_t ov = delta(d, TC_C_LISTEN_OVERFLOWS);
		double rate = (double)ov / d->interval;
		struct tc_finding *f;

		if (!ov || rate < (double)th_get(d->th, R_ACCEPT_QUEUE_FULL, 1))
			return;
		f = finding_add(d, r, TC_SEV_WARNING);
		if (!f)
			return;
		f->scope_kind = "host";
		SETF(f->scope, "%s", "host");
		finding_numbers(f, ov, (int64_t)(rate + 0.5), th_get(d->th, R_ACCEPT_QUEUE_FULL, 1),
				"/s");
		SETF(f->message,
		     "%" PRIu64 " connections dropped on full accept queues in %.1f s "
		     "(ListenOverflows, %.1f/s)",
		     ov, d->interval, rate);
		SETF(f->why, "Some program is not accepting connections as fast as they arrive.");
		SETF(f->check, "tcpdoc states -l -s listen%s%s", d->netns ? " -N " : "",
		     d->netns ? d->netns : "");
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_SOMAXCONN);
		SETF(f->fix, "Look for listeners with a non-zero Recv-Q; make that program accept "
			     "faster or give it a larger backlog.");
	}
}

static void eval_syn_sent_stuck(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_kv *top[TOP_SCOPES];
	size_t n = top_keys(&d->obs->synsent_dst, (uint64_t)th_get(d->th, R_SYN_SENT_STUCK, 0), top,
			    TOP_SCOPES);
	char ep[80];

	for (size_t i = 0; i < n; i++) {
		struct tc_finding *f = finding_add(d, r, TC_SEV_WARNING);

		if (!f)
			return;
		fmt_endpoint(ep, sizeof(ep), top[i]->key.family, top[i]->key.addr, top[i]->key.port,
			     0);
		f->scope_kind = "destination";
		SETF(f->scope, "%s", ep);
		finding_numbers(f, keymap_sure(top[i]), (int64_t)keymap_sure(top[i]),
				th_get(d->th, R_SYN_SENT_STUCK, 0), "sockets");
		SETF(f->message, "%s%" PRIu64 " connections to %s waiting for an answer (SYN_SENT)",
		     at_least(top[i]), keymap_sure(top[i]), ep);
		SETF(f->why, "connect() sent a SYN and nothing came back: the peer is down, a "
			     "firewall drops SYNs silently, the route is wrong, or the address is. "
			     "The kernel retries for about two minutes before connect() fails.");
		match_states(f, BIT(TC_STATE_SYN_SENT), P_NONE);
		match_peer(f, &top[i]->key, 1);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_SYN_RETRIES);
		SETF(f->fix,
		     "Check that %s is the right address and that the service is up and "
		     "reachable from here; give the client a connect timeout shorter than "
		     "the kernel's retries.",
		     ep);
	}
}

static void eval_scan_like(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_keymap *m = &d->obs->synsent_addr;
	uint64_t total = 0;
	struct tc_finding *f;

	if ((int64_t)m->n < th_get(d->th, R_SCAN_LIKE, 0))
		return;
	keymap_for_each(m, kv) total += kv->count;
	f = finding_add(d, r, TC_SEV_WARNING);
	if (!f)
		return;
	f->scope_kind = "host";
	SETF(f->scope, "%s", "host");
	finding_numbers(f, total, (int64_t)m->n, th_get(d->th, R_SCAN_LIKE, 0), "destinations");
	SETF(f->message, "%" PRIu64 " connection attempts in progress to %zu%s different addresses",
	     total, m->n, m->overflow ? " or more" : "");
	SETF(f->why, "One host trying to reach very many addresses at once looks like a port "
		     "or address scan: scanning software, a worm, or a misconfigured client "
		     "walking a list of dead peers.");
	match_states(f, BIT(TC_STATE_SYN_SENT), P_NONE);
	SETF(f->check, "tcpdoc states -b peer -s syn_sent --top 50%s%s", d->netns ? " -N " : "",
	     d->netns ? d->netns : "");
	SETF(f->fix, "Find the program that opens them (`ss -tnp state syn-sent`) and check it "
		     "is expected; a compromised host should be isolated.");
}

static void fmt_secs(char *buf, size_t size, uint64_t s)
{
	fmt_duration_ms(buf, size, s * 1000);
}

static void eval_close_wait(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	int64_t min = th_get(d->th, R_CLOSE_WAIT_LEAK, 0),
		crit = th_get(d->th, R_CLOSE_WAIT_LEAK, 1);
	const struct tc_kv *top[TOP_SCOPES];
	char idle[32], ep[80];
	size_t n;

	for (uint32_t p = obs_port_close_next(o, 0); p < 65536; p = obs_port_close_next(o, p + 1)) {
		const struct tc_port_close *po = obs_port_close(o, (uint16_t)p);
		struct tc_finding *f;

		if (!po->closewait || (int64_t)po->closewait < min)
			continue;
		f = finding_add(d, r,
				(int64_t)po->closewait >= crit ? TC_SEV_CRITICAL : TC_SEV_WARNING);
		if (!f)
			return;
		f->scope_kind = "port";
		SETF(f->scope, ":%u", p);
		finding_numbers(f, po->closewait, po->closewait, min, "sockets");
		if (o->have_info)
			fmt_secs(idle, sizeof(idle), po->closewait_idle_s);
		SETF(f->message, "%u sockets in CLOSE_WAIT on local port %u%s%s", po->closewait, p,
		     o->have_info ? "; the oldest idle for " : "", o->have_info ? idle : "");
		SETF(f->why,
		     "The peers closed their side and the kernel acknowledged, but the program "
		     "holding these sockets never called close(): a descriptor leak, usually an "
		     "error path that forgets to close or a pool that keeps dead connections. "
		     "The kernel never times CLOSE_WAIT out.");
		match_states(f, BIT(TC_STATE_CLOSE_WAIT), P_NONE);
		f->match.lport = (int32_t)p;
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		SETF(f->fix,
		     "Fix the program listening on or bound to port %u: close the socket when "
		     "read() returns 0 (end of stream). Restarting it frees these sockets now.",
		     p);
	}
	/* Client side: the leaking program's sockets have many local ports but one peer. */
	n = top_keys(&o->closewait_dst, (uint64_t)min, top, TOP_SCOPES);
	for (size_t i = 0; i < n; i++) {
		struct tc_finding *f = finding_add(
		    d, r, (int64_t)keymap_sure(top[i]) >= crit ? TC_SEV_CRITICAL : TC_SEV_WARNING);

		if (!f)
			return;
		fmt_endpoint(ep, sizeof(ep), top[i]->key.family, top[i]->key.addr, top[i]->key.port,
			     0);
		f->scope_kind = "destination";
		SETF(f->scope, "%s", ep);
		finding_numbers(f, keymap_sure(top[i]), (int64_t)keymap_sure(top[i]), min,
				"sockets");
		if (o->have_info)
			fmt_secs(idle, sizeof(idle), top[i]->max);
		SETF(f->message, "%s%" PRIu64 " sockets in CLOSE_WAIT towards %s%s%s",
		     at_least(top[i]), keymap_sure(top[i]), ep,
		     o->have_info ? "; the oldest idle for " : "", o->have_info ? idle : "");
		SETF(f->why,
		     "%s closed these connections and this host's program never closed its "
		     "end: typically a connection pool or client library that does not notice "
		     "the server went away.",
		     ep);
		match_states(f, BIT(TC_STATE_CLOSE_WAIT), P_NONE);
		match_peer(f, &top[i]->key, 1);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		SETF(f->fix,
		     "Make the client close connections the server has closed (check for "
		     "end of stream, validate pooled connections); restarting it frees them.");
	}
}

/* A plain "too many sockets in one state" rule. */
static void eval_pile(const struct tc_rule *r, struct tc_diag *d, int rule, uint64_t count,
		      unsigned state, int pred, const char *why, const char *fix, int sysctl)
{
	struct tc_finding *f;

	if (!count || (int64_t)count < th_get(d->th, rule, 0))
		return;
	f = finding_add(d, r, rule == R_CLOSING_SEEN ? TC_SEV_INFO : TC_SEV_WARNING);
	if (!f)
		return;
	f->scope_kind = "state";
	SETF(f->scope, "%s", state_name(state));
	finding_numbers(f, count, (int64_t)count, th_get(d->th, rule, 0), "sockets");
	SETF(f->message, "%" PRIu64 " socket%s in %s%s", count, count == 1 ? "" : "s",
	     state_name(state), pred == P_LIVE_OWNER ? " still owned by a program" : "");
	SETF(f->why, "%s", why);
	SETF(f->fix, "%s", fix);
	match_states(f, BIT(state), pred);
	SETF(f->check, "tcpdoc states -b peer -s %s%s%s", state_label(state),
	     d->netns ? " -N " : "", d->netns ? d->netns : "");
	if (sysctl >= 0)
		sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, sysctl);
}

static void eval_fin_wait1(const struct tc_rule *r, struct tc_diag *d)
{
	eval_pile(r, d, R_FIN_WAIT1_PILE, d->obs->fin_wait1, TC_STATE_FIN_WAIT1, P_NONE,
		  "This side closed but the peers do not acknowledge the FIN: they are gone "
		  "(crashed, unplugged, behind a dead NAT entry) or not reading, so a zero "
		  "window keeps the FIN queued behind unsent data.",
		  "Look at which peers they belong to. Orphaned sockets are retried "
		  "tcp_orphan_retries times (0 means 8) and then dropped.",
		  TC_S_ORPHAN_RETRIES);
}

static void eval_fin_wait2(const struct tc_rule *r, struct tc_diag *d)
{
	eval_pile(r, d, R_FIN_WAIT2_PILE, d->obs->fin_wait2_live, TC_STATE_FIN_WAIT2, P_LIVE_OWNER,
		  "This side shut down its half and the peer acknowledged, but the peer "
		  "application never closes its end. Sockets this program still holds wait "
		  "forever; orphaned ones expire after tcp_fin_timeout.",
		  "The fix is on the peer side: find why that program does not close. Here, "
		  "close() instead of shutdown() lets tcp_fin_timeout reap them.",
		  TC_S_FIN_TIMEOUT);
}

static void eval_last_ack(const struct tc_rule *r, struct tc_diag *d)
{
	eval_pile(r, d, R_LAST_ACK_PILE, d->obs->last_ack, TC_STATE_LAST_ACK, P_NONE,
		  "The peers closed first, this side closed too and sent its FIN, and the "
		  "final ACK never came: the peers vanished after sending FIN (a killed load "
		  "test or client, a NAT that forgot the flow).",
		  "They are retransmitted and dropped by the kernel on their own; if they keep "
		  "coming, look at what kills the peers.",
		  -1);
}

static void eval_closing(const struct tc_rule *r, struct tc_diag *d)
{
	eval_pile(r, d, R_CLOSING_SEEN, d->obs->closing, TC_STATE_CLOSING, P_NONE,
		  "Both sides closed at the same moment and each is waiting for the other's "
		  "ACK of its FIN (a simultaneous close). It is rare; many at once suggest "
		  "lost ACKs or a peer that stopped reading.",
		  "Usually nothing: they resolve on their own. Persistent ones point at "
		  "packet loss towards those peers.",
		  -1);
}

static void eval_tw_ports(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_sysctls *s = d->sys;
	int64_t warn = th_get(d->th, R_TIME_WAIT_PORTS, 0),
		crit = th_get(d->th, R_TIME_WAIT_PORTS, 1);
	const struct tc_kv *top[TOP_SCOPES];
	uint64_t range;
	char from[64], to[80];
	size_t n;

	if (!sysctl_has(s, TC_S_PORT_LO) || s->v[TC_S_PORT_HI] < s->v[TC_S_PORT_LO])
		return;
	range = (uint64_t)(s->v[TC_S_PORT_HI] - s->v[TC_S_PORT_LO] + 1);
	n = top_keys(&d->obs->tw_route, (range * (uint64_t)warn + 99) / 100, top, TOP_SCOPES);
	for (size_t i = 0; i < n; i++) {
		int64_t pct = (int64_t)(keymap_sure(top[i]) * 100 / range);
		struct tc_finding *f =
		    finding_add(d, r, pct >= crit ? TC_SEV_CRITICAL : TC_SEV_WARNING);

		if (!f)
			return;
		addr_str(from, sizeof(from), top[i]->key.family, top[i]->key.addr2);
		fmt_endpoint(to, sizeof(to), top[i]->key.family, top[i]->key.addr, top[i]->key.port,
			     0);
		f->scope_kind = "route";
		SETF(f->scope, "%s->%s", from, to);
		finding_numbers(f, keymap_sure(top[i]), pct, warn, "%");
		SETF(f->message,
		     "%s%" PRIu64 " TIME_WAIT sockets from %s to %s: %" PRId64 "%% of the %" PRIu64
		     " ephemeral ports",
		     at_least(top[i]), keymap_sure(top[i]), from, to, pct, range);
		SETF(f->why, "Every connection from one address to the same address and port needs "
			     "its own local port, and the side that closes first keeps it in "
			     "TIME_WAIT for 60 s. When the range runs out, connect() fails with "
			     "EADDRNOTAVAIL.");
		match_states(f, BIT(TC_STATE_TIME_WAIT), P_NONE);
		match_peer(f, &top[i]->key, 1);
		f->match.has_laddr = 1;
		memcpy(f->match.laddr, top[i]->key.addr2, 16);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		sysctl_line(f->sysctl, sizeof(f->sysctl), s, TC_S_PORT_LO);
		SETF(f->fix, "Reuse connections (HTTP keep-alive, connection pools) instead of one "
			     "per request; widen net.ipv4.ip_local_port_range; set "
			     "net.ipv4.tcp_tw_reuse=1 so outgoing connections can reuse TIME_WAIT "
			     "ports; or let the server close first.");
	}
}

static void eval_tw_server(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	int64_t min = th_get(d->th, R_TIME_WAIT_SERVER, 0);
	size_t shown = 0;

	for (uint32_t p = obs_port_close_next(o, 0); p < 65536 && shown < TOP_SCOPES;
	     p = obs_port_close_next(o, p + 1)) {
		const struct tc_port_close *po = obs_port_close(o, (uint16_t)p);
		struct tc_finding *f;

		if (!po->timewait || (int64_t)po->timewait < min ||
		    !obs_port(o, (uint16_t)p)->listeners)
			continue;
		f = finding_add(d, r, TC_SEV_INFO);
		if (!f)
			return;
		shown++;
		f->scope_kind = "port";
		SETF(f->scope, ":%u", p);
		finding_numbers(f, po->timewait, po->timewait, min, "sockets");
		SETF(f->message,
		     "%u TIME_WAIT sockets on listening port %u: this server closes "
		     "connections first",
		     po->timewait, p);
		SETF(f->why,
		     "Whoever closes first keeps TIME_WAIT. On a server that is harmless for "
		     "ports (the clients' ports differ) but costs memory and a hash entry "
		     "each.");
		match_states(f, BIT(TC_STATE_TIME_WAIT), P_NONE);
		f->match.lport = (int32_t)p;
		match_command(d, &f->match, "-b peer", f->check, sizeof(f->check));
		SETF(f->fix, "Usually nothing. To move TIME_WAIT to the clients, let them close "
			     "first (HTTP keep-alive with client-side close).");
	}
}

static void eval_tw_buckets(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_sysctls *s = d->sys;
	uint64_t tw = d->obs->timewait, max;
	int64_t pct;
	struct tc_finding *f;

	if (!sysctl_has(s, TC_S_MAX_TW_BUCKETS) || s->v[TC_S_MAX_TW_BUCKETS] <= 0 || !tw)
		return;
	max = (uint64_t)s->v[TC_S_MAX_TW_BUCKETS];
	pct = (int64_t)(tw * 100 / max);
	if (pct < th_get(d->th, R_TIME_WAIT_BUCKETS, 0))
		return;
	f = finding_add(d, r, tw >= max ? TC_SEV_CRITICAL : TC_SEV_WARNING);
	if (!f)
		return;
	f->scope_kind = "host";
	SETF(f->scope, "%s", "host");
	finding_numbers(f, tw, pct, th_get(d->th, R_TIME_WAIT_BUCKETS, 0), "%");
	SETF(f->message,
	     "%" PRIu64 " TIME_WAIT sockets: %" PRId64 "%% of tcp_max_tw_buckets (%" PRIu64 ")", tw,
	     pct, max);
	SETF(f->why, "Past tcp_max_tw_buckets the kernel stops creating TIME_WAIT sockets "
		     "(TCPTimeWaitOverflow counts them), losing the protection against late "
		     "segments of old connections.");
	match_states(f, BIT(TC_STATE_TIME_WAIT), P_NONE);
	SETF(f->check, "tcpdoc states -b peer -s time_wait%s%s", d->netns ? " -N " : "",
	     d->netns ? d->netns : "");
	sysctl_line(f->sysctl, sizeof(f->sysctl), s, TC_S_MAX_TW_BUCKETS);
	SETF(f->fix, "Find who closes so many connections first (`-b lport`, `-b peer`) and "
		     "reuse connections; raise net.ipv4.tcp_max_tw_buckets if memory allows.");
}

static void eval_idle(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	uint64_t n = o->idle_no_keepalive;
	char lim[32], max[32];
	struct tc_finding *f;

	if (!n)
		return;
	f = finding_add(d, r,
			(int64_t)n >= th_get(d->th, R_IDLE_NO_KEEPALIVE, 1) ? TC_SEV_WARNING
									    : TC_SEV_INFO);
	if (!f)
		return;
	fmt_secs(lim, sizeof(lim), (uint64_t)th_get(d->th, R_IDLE_NO_KEEPALIVE, 0));
	fmt_duration_ms(max, sizeof(max), o->idle_max_ms);
	f->scope_kind = "state";
	SETF(f->scope, "%s", "ESTABLISHED");
	/* the value is the longest idle time, in seconds */
	finding_numbers(f, n, (int64_t)(o->idle_max_ms / 1000),
			th_get(d->th, R_IDLE_NO_KEEPALIVE, 0), "s");
	SETF(f->message,
	     "%" PRIu64 " ESTABLISHED sockets idle for over %s without keepalive "
	     "(the longest %s)",
	     n, lim, max);
	SETF(f->why, "Nothing is exchanged on these connections and nothing checks the peer is "
		     "still there. A peer that vanished without FIN (power loss, NAT timeout, "
		     "cable) leaves a half-open connection that lives forever here.");
	match_states(f, BIT(TC_STATE_ESTABLISHED), P_IDLE_NO_KA);
	match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
	sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_KEEPALIVE_TIME);
	SETF(f->fix, "Enable SO_KEEPALIVE (with TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) or an "
		     "application heartbeat on long-lived connections, or close idle ones.");
}

static void eval_keepalive_slow(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_sysctls *s = d->sys;
	int64_t detect;
	char t[32];
	struct tc_finding *f;

	if (!d->obs->keepalive || !sysctl_has(s, TC_S_KEEPALIVE_TIME) ||
	    !sysctl_has(s, TC_S_KEEPALIVE_INTVL) || !sysctl_has(s, TC_S_KEEPALIVE_PROBES))
		return;
	detect =
	    s->v[TC_S_KEEPALIVE_TIME] + s->v[TC_S_KEEPALIVE_PROBES] * s->v[TC_S_KEEPALIVE_INTVL];
	if (detect < th_get(d->th, R_KEEPALIVE_SLOW, 0))
		return;
	f = finding_add(d, r, TC_SEV_INFO);
	if (!f)
		return;
	fmt_secs(t, sizeof(t), (uint64_t)detect);
	f->scope_kind = "host";
	SETF(f->scope, "%s", "host");
	finding_numbers(f, d->obs->keepalive, detect, th_get(d->th, R_KEEPALIVE_SLOW, 0), "s");
	SETF(f->message,
	     "%" PRIu64 " socket%s keepalive, and with this host's defaults a dead "
	     "peer is noticed only after %s (%" PRId64 " s + %" PRId64 " x %" PRId64 " s)",
	     d->obs->keepalive, d->obs->keepalive == 1 ? " uses" : "s use", t,
	     s->v[TC_S_KEEPALIVE_TIME], s->v[TC_S_KEEPALIVE_PROBES], s->v[TC_S_KEEPALIVE_INTVL]);
	SETF(f->why, "The first probe goes out after tcp_keepalive_time of silence, then "
		     "tcp_keepalive_probes more every tcp_keepalive_intvl. Programs that do not "
		     "set their own TCP_KEEPIDLE get these defaults.");
	match_states(f, BIT(TC_STATE_ESTABLISHED) | BIT(TC_STATE_CLOSE_WAIT), P_KEEPALIVE);
	match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
	sysctl_line(f->sysctl, sizeof(f->sysctl), s, TC_S_KEEPALIVE_TIME);
	SETF(f->fix, "Set TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT per socket in the program, or "
		     "lower net.ipv4.tcp_keepalive_time (e.g. 600) host-wide.");
}

static void eval_retrans(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_kv *top[TOP_SCOPES];
	size_t n = top_keys(&d->obs->retrans_peer, 1, top, TOP_SCOPES);
	char a[64];

	for (size_t i = 0; i < n; i++) {
		struct tc_finding *f = finding_add(d, r, TC_SEV_WARNING);

		if (!f)
			return;
		addr_str(a, sizeof(a), top[i]->key.family, top[i]->key.addr);
		f->scope_kind = "peer";
		SETF(f->scope, "%s", a);
		uint64_t c = keymap_sure(top[i]);

		finding_numbers(f, c, (int64_t)top[i]->max, th_get(d->th, R_RETRANSMITTING, 0),
				"retransmits");
		SETF(f->message,
		     "%s%" PRIu64 " socket%s to %s keep%s retransmitting (up to %" PRIu64
		     " time%s in a row)",
		     at_least(top[i]), c, c == 1 ? "" : "s", a, c == 1 && !top[i]->err ? "s" : "",
		     top[i]->max, top[i]->max == 1 ? "" : "s");
		SETF(f->why, "Segments to this peer are not acknowledged: the path loses packets, "
			     "the peer is overloaded, or it is gone and the connections will time "
			     "out (TCPAbortOnTimeout).");
		match_states(f,
			     TC_STATES_ALL & ~(BIT(TC_STATE_LISTEN) | BIT(TC_STATE_SYN_SENT) |
					       BIT(TC_STATE_SYN_RECV)),
			     P_RETRANS);
		match_peer(f, &top[i]->key, 0);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		SETF(f->fix,
		     "Check the path to %s (ping, mtr, interface errors) and the peer's "
		     "health.",
		     a);
	}
}

static void eval_zero_window(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_kv *top[TOP_SCOPES];
	size_t n = top_keys(&d->obs->persist_peer, (uint64_t)th_get(d->th, R_ZERO_WINDOW, 0), top,
			    TOP_SCOPES);
	char a[64];

	for (size_t i = 0; i < n; i++) {
		struct tc_finding *f = finding_add(d, r, TC_SEV_WARNING);

		if (!f)
			return;
		addr_str(a, sizeof(a), top[i]->key.family, top[i]->key.addr);
		f->scope_kind = "peer";
		SETF(f->scope, "%s", a);
		finding_numbers(f, keymap_sure(top[i]), (int64_t)keymap_sure(top[i]),
				th_get(d->th, R_ZERO_WINDOW, 0), "sockets");
		SETF(f->message,
		     "%s%" PRIu64 " sockets to %s are probing a zero window (up to %" PRIu64
		     " bytes waiting to be sent)",
		     at_least(top[i]), keymap_sure(top[i]), a, top[i]->max);
		SETF(f->why, "The peer advertises a receive window of zero: its program is not "
			     "reading, so data piles up in this host's Send-Q.");
		match_states(f, TC_STATES_ALL, P_PERSIST);
		match_peer(f, &top[i]->key, 0);
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		SETF(f->fix,
		     "Look at the program on %s that should be reading; this side can only "
		     "wait or time out.",
		     a);
	}
}

static void eval_recvq(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	size_t shown = 0;

	for (uint32_t p = obs_port_next(o, 0); p < 65536 && shown < TOP_SCOPES;
	     p = obs_port_next(o, p + 1)) {
		const struct tc_port_obs *po = obs_port(o, (uint16_t)p);
		struct tc_finding *f;

		if (!po->recvq_big)
			continue;
		f = finding_add(d, r, TC_SEV_WARNING);
		if (!f)
			return;
		shown++;
		f->scope_kind = "port";
		SETF(f->scope, ":%u", p);
		finding_numbers(f, po->recvq_big, po->recvq_max,
				th_get(d->th, R_RECV_QUEUE_BACKLOG, 0), "bytes");
		SETF(f->message,
		     "%u ESTABLISHED sockets on local port %u hold unread data (up to %u "
		     "bytes in Recv-Q)",
		     po->recvq_big, p, po->recvq_max);
		SETF(f->why, "Data arrived and the program on this host is not reading it: it is "
			     "busy, blocked, or stuck. The peer will see a shrinking, then zero "
			     "window.");
		match_states(f, BIT(TC_STATE_ESTABLISHED), P_RECVQ);
		f->match.lport = (int32_t)p;
		match_command(d, &f->match, "-l -e", f->check, sizeof(f->check));
		SETF(f->fix,
		     "Find why the program on port %u stopped reading (a stack dump or "
		     "strace shows where it waits).",
		     p);
	}
}

static void eval_orphans(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_counters *c = d->now;
	int64_t orphans, max, pct;
	struct tc_finding *f;

	if (!c || !((c->have >> TC_C_SOCK_ORPHAN) & 1) || !sysctl_has(d->sys, TC_S_MAX_ORPHANS))
		return;
	orphans = c->v[TC_C_SOCK_ORPHAN];
	max = d->sys->v[TC_S_MAX_ORPHANS];
	if (max <= 0 || orphans <= 0)
		return;
	pct = orphans * 100 / max;
	if (pct < th_get(d->th, R_ORPHANS, 0))
		return;
	f = finding_add(d, r,
			pct >= th_get(d->th, R_ORPHANS, 1) ? TC_SEV_CRITICAL : TC_SEV_WARNING);
	if (!f)
		return;
	f->scope_kind = "host";
	SETF(f->scope, "%s", "host");
	finding_numbers(f, (uint64_t)orphans, pct, th_get(d->th, R_ORPHANS, 0), "%");
	SETF(f->message,
	     "%" PRId64 " orphaned sockets: %" PRId64 "%% of tcp_max_orphans (%" PRId64 ")",
	     orphans, pct, max);
	SETF(f->why, "Orphans are sockets closed by their program that the kernel still finishes "
		     "(FIN_WAIT1, LAST_ACK, CLOSING). Past tcp_max_orphans it resets them and logs "
		     "'too many orphaned sockets'.");
	SETF(f->check, "tcpdoc states -b peer -s fin_wait1,last_ack,closing%s%s",
	     d->netns ? " -N " : "", d->netns ? d->netns : "");
	sysctl_line(f->sysctl, sizeof(f->sysctl), d->sys, TC_S_MAX_ORPHANS);
	SETF(f->fix,
	     "Find the peers that do not acknowledge (see fin-wait1-pile); lower "
	     "net.ipv4.tcp_orphan_retries; raise tcp_max_orphans only with memory to spare.");
}

static void eval_exposed(const struct tc_rule *r, struct tc_diag *d)
{
	const struct tc_obs *o = d->obs;
	char ports[160];
	size_t used = 0, nports = 0;
	struct tc_finding *f;

	ports[0] = '\0';
	for (uint32_t p = obs_port_next(o, 0); p < 65536; p = obs_port_next(o, p + 1)) {
		if (!obs_port(o, (uint16_t)p)->wildcard)
			continue;
		if (nports < 16 && used < sizeof(ports))
			used += (size_t)snprintf(ports + used, sizeof(ports) - used, "%s%u",
						 nports ? "," : "", p);
		nports++;
	}
	if (!nports || (int64_t)nports < th_get(d->th, R_EXPOSED_LISTENER, 0))
		return;
	f = finding_add(d, r, TC_SEV_INFO);
	if (!f)
		return;
	f->scope_kind = "host";
	SETF(f->scope, "%s", "host");
	finding_numbers(f, nports, (int64_t)nports, th_get(d->th, R_EXPOSED_LISTENER, 0), "ports");
	SETF(f->message, "%zu port%s listen%s on every address (0.0.0.0 or ::): %s%s", nports,
	     nports == 1 ? "" : "s", nports == 1 ? "s" : "", ports, nports > 16 ? ",..." : "");
	SETF(f->why, "A listener on the wildcard address accepts connections on every interface, "
		     "public ones included, unless a firewall says otherwise.");
	match_states(f, BIT(TC_STATE_LISTEN), P_WILDCARD);
	match_command(d, &f->match, "-l", f->check, sizeof(f->check));
	SETF(f->fix, "Check that each one is meant to be reachable and who opened it "
		     "(`ss -tlnp`); bind internal services to 127.0.0.1 or a private address.");
}

/* clang-format off */
const struct tc_rule tc_rules[R_COUNT] = {
	[R_SYN_FLOOD] = {"syn-flood", "SYN_RECV filling a listener's backlog, or SYN cookies/drops rising", "syn-flood",
		{{"", 50, "%", "SYN_RECV on one listener as a share of its backlog"},
		 {"rate", 1, "/s", "SYN cookies sent plus SYNs dropped per second (needs --sample)"}},
		eval_syn_flood},
	[R_ACCEPT_QUEUE_FULL] = {"accept-queue-full", "a listener's accept queue nearly full, or ListenOverflows rising", "backlog",
		{{"", 80, "%", "Recv-Q of a LISTEN socket as a share of its backlog"},
		 {"rate", 1, "/s", "ListenOverflows per second (needs --sample)"}},
		eval_accept_queue},
	[R_SYN_SENT_STUCK] = {"syn-sent-stuck", "many connection attempts to one destination unanswered", "handshake",
		{{"", 5, "sockets", "SYN_SENT to one address:port"}},
		eval_syn_sent_stuck},
	[R_SCAN_LIKE] = {"scan-like", "connection attempts to very many destinations at once", "handshake",
		{{"", 50, "destinations", "distinct addresses with SYN_SENT"}},
		eval_scan_like},
	[R_CLOSE_WAIT_LEAK] = {"close-wait-leak", "CLOSE_WAIT piling up: a program does not close its sockets", "close-wait",
		{{"", 10, "sockets", "CLOSE_WAIT on one local port or towards one destination"},
		 {"critical", 1000, "sockets", "the same, for critical"}},
		eval_close_wait},
	[R_FIN_WAIT1_PILE] = {"fin-wait1-pile", "FIN_WAIT1 piling up: peers not acknowledging our FIN", "fin-wait-1",
		{{"", 50, "sockets", "FIN_WAIT1 sockets"}},
		eval_fin_wait1},
	[R_FIN_WAIT2_PILE] = {"fin-wait2-pile", "FIN_WAIT2 with a live owner piling up: peers never close", "fin-wait-2",
		{{"", 100, "sockets", "FIN_WAIT2 sockets still held by a program"}},
		eval_fin_wait2},
	[R_LAST_ACK_PILE] = {"last-ack-pile", "LAST_ACK piling up: peers vanished after closing", "last-ack",
		{{"", 50, "sockets", "LAST_ACK sockets"}},
		eval_last_ack},
	[R_TIME_WAIT_PORTS] = {"time-wait-ports", "TIME_WAIT to one destination using up the ephemeral ports", "port-exhaustion",
		{{"", 50, "%", "TIME_WAIT on one (local address, remote address, port) as a share of ip_local_port_range"},
		 {"critical", 80, "%", "the same, for critical"}},
		eval_tw_ports},
	[R_TIME_WAIT_SERVER] = {"time-wait-server", "TIME_WAIT on a listening port: this server closes first", "time-wait",
		{{"", 100, "sockets", "TIME_WAIT on one listening port"}},
		eval_tw_server},
	[R_TIME_WAIT_BUCKETS] = {"time-wait-buckets", "TIME_WAIT count close to tcp_max_tw_buckets", "time-wait",
		{{"", 80, "%", "TIME_WAIT sockets as a share of tcp_max_tw_buckets"}},
		eval_tw_buckets},
	[R_IDLE_NO_KEEPALIVE] = {"idle-no-keepalive", "long-idle connections without keepalive (half-open risk)", "half-open",
		{{"", 7200, "s", "idle time of an ESTABLISHED socket without keepalive"},
		 {"warning", 100, "sockets", "how many make it a warning instead of info"}},
		eval_idle},
	[R_KEEPALIVE_SLOW] = {"keepalive-slow", "keepalive defaults that find a dead peer only after hours", "keepalive",
		{{"", 3600, "s", "tcp_keepalive_time + probes x intvl"}},
		eval_keepalive_slow},
	[R_RETRANSMITTING] = {"retransmitting", "sockets retransmitting again and again, by peer", "retransmission",
		{{"", 3, "retransmits", "consecutive retransmissions (or backoff) of one socket"}},
		eval_retrans},
	[R_ZERO_WINDOW] = {"zero-window", "peers advertising a zero window (not reading)", "zero-window",
		{{"", 3, "sockets", "sockets to one peer on the zero-window probe timer"}},
		eval_zero_window},
	[R_RECV_QUEUE_BACKLOG] = {"recv-queue-backlog", "unread data piling up in this host's Recv-Q", "recv-queue",
		{{"", 1048576, "bytes", "Recv-Q of an ESTABLISHED socket"}},
		eval_recvq},
	[R_ORPHANS] = {"orphans", "orphaned sockets close to tcp_max_orphans", "orphans",
		{{"", 25, "%", "orphans as a share of tcp_max_orphans"},
		 {"critical", 50, "%", "the same, for critical"}},
		eval_orphans},
	[R_CLOSING_SEEN] = {"closing-seen", "CLOSING sockets: simultaneous closes", "simultaneous-close",
		{{"", 1, "sockets", "CLOSING sockets"}},
		eval_closing},
	[R_EXPOSED_LISTENER] = {"exposed-listener", "listeners on the wildcard address", "listen",
		{{"", 1, "ports", "ports listening on 0.0.0.0 or ::"}},
		eval_exposed},
};
/* clang-format on */

int rule_lookup(const char *id)
{
	for (int i = 0; i < R_COUNT; i++)
		if (strcmp(tc_rules[i].id, id) == 0)
			return i;
	return -1;
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct tc_finding *a = pa, *b = pb;

	if (a->severity != b->severity)
		return b->severity - a->severity;
	if (a->rule != b->rule)
		return a->rule - b->rule;
	return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

int diag_evaluate(struct tc_diag *d)
{
	for (int i = 0; i < R_COUNT; i++)
		if (!d->th->off[i])
			tc_rules[i].eval(&tc_rules[i], d);
	if (d->out->n > 1)
		qsort(d->out->v, d->out->n, sizeof(d->out->v[0]), finding_cmp);
	return 0;
}

int finding_matches(const struct tc_finding *f, const struct tc_obs *o, const struct tc_sock *sk)
{
	const struct tc_match *m = &f->match;

	if (!f->has_match || !(m->states & BIT(sk->state)))
		return 0;
	if (m->lport >= 0 && sk->sport != m->lport)
		return 0;
	if (m->rport >= 0 && sk->dport != m->rport)
		return 0;
	if ((m->has_laddr || m->has_raddr) && sk->family != m->family)
		return 0;
	if (m->has_laddr && memcmp(sk->src, m->laddr, 16) != 0)
		return 0;
	if (m->has_raddr && memcmp(sk->dst, m->raddr, 16) != 0)
		return 0;
	switch (m->pred) {
	case P_LIVE_OWNER:
		return sk->inode != 0;
	case P_IDLE_NO_KA:
		return (sk->have & TC_HAVE_INFO) && sk->last_data_recv_ms >= o->idle_limit_ms &&
		       sk->timer != TC_TIMER_KEEPALIVE;
	case P_KEEPALIVE:
		return sk->timer == TC_TIMER_KEEPALIVE;
	case P_RETRANS:
		return sk->timer == TC_TIMER_RETRANS &&
		       (sk->retrans >= o->retrans_limit ||
			((sk->have & TC_HAVE_INFO) && sk->backoff >= o->retrans_limit));
	case P_PERSIST:
		return sk->timer == TC_TIMER_PROBE;
	case P_RECVQ:
		return sk->rqueue > o->recvq_limit;
	case P_WILDCARD:
		return obs_addr_any(sk->family, sk->src);
	default:
		return 1;
	}
}
