/* The rules against synthetic sockets, counters and sysctls: each fires at
 * its threshold and not one below, with the scope, numbers and hint it
 * promises; thresholds and config files. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag/observe.h"
#include "diag/rules.h"
#include "model/counters.h"
#include "model/state.h"
#include "model/sysctl.h"
#include "suites.h"

struct world {
	struct tc_thresholds th;
	struct tc_obs obs;
	struct tc_tally tally;
	struct tc_counters before, now;
	struct tc_sysctls sys;
	struct tc_findings out;
	int sampled;
};

static void world_init(struct world *w)
{
	memset(w, 0, sizeof(*w));
	thresholds_init(&w->th);
}

/* Observer limits come from the thresholds: set them before the sockets. */
static void world_start(struct world *w)
{
	ck_assert_int_eq(obs_init(&w->obs, &w->th), 0);
	tally_init(&w->tally, TC_BY_NONE);
	findings_init(&w->out);
}

static void world_free(struct world *w)
{
	obs_free(&w->obs);
	tally_free(&w->tally);
	findings_free(&w->out);
}

static void set_sysctl(struct world *w, int which, int64_t v)
{
	w->sys.v[which] = v;
	w->sys.have |= 1u << which;
}

static void set_counter(struct tc_counters *c, int which, int64_t v)
{
	c->v[which] = v;
	c->have |= 1ull << which;
}

static struct tc_sock mk(int state, const char *src, int sport, const char *dst, int dport)
{
	struct tc_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	sk.state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(sk.family, src, sk.src), 1);
	ck_assert_int_eq(inet_pton(sk.family, dst, sk.dst), 1);
	sk.sport = (uint16_t)sport;
	sk.dport = (uint16_t)dport;
	sk.inode = 1000;
	return sk;
}

static void add(struct world *w, const struct tc_sock *sk)
{
	obs_add(&w->obs, sk);
	tally_add(&w->tally, sk);
}

static void add_n(struct world *w, struct tc_sock sk, int n, int vary_sport, int vary_dport)
{
	for (int i = 0; i < n; i++) {
		struct tc_sock s = sk;

		if (vary_sport)
			s.sport = (uint16_t)(sk.sport + i);
		if (vary_dport)
			s.dport = (uint16_t)(sk.dport + i);
		add(w, &s);
	}
}

static void evaluate(struct world *w)
{
	struct tc_diag d = {
	    .th = &w->th,
	    .obs = &w->obs,
	    .tally = &w->tally,
	    .now = &w->now,
	    .before = w->sampled ? &w->before : NULL,
	    .interval = w->sampled ? 2.0 : 0,
	    .sys = &w->sys,
	    .out = &w->out,
	};

	ck_assert_int_eq(diag_evaluate(&d), 0);
}

/* The one finding of rule id, or NULL; fails if there are several. */
static const struct tc_finding *only(const struct world *w, const char *id)
{
	const struct tc_finding *found = NULL;
	int r = rule_lookup(id);

	ck_assert_int_ge(r, 0);
	for (size_t i = 0; i < w->out.n; i++)
		if (w->out.v[i].rule == r) {
			ck_assert_msg(!found, "rule %s fired twice", id);
			found = &w->out.v[i];
		}
	return found;
}

static size_t count_of(const struct world *w, const char *id)
{
	size_t n = 0;
	int r = rule_lookup(id);

	for (size_t i = 0; i < w->out.n; i++)
		n += w->out.v[i].rule == r;
	return n;
}

/* ---- syn-flood ---- */

static void synflood_world(struct world *w, int nsyn, int backlog)
{
	struct tc_sock l = mk(TC_STATE_LISTEN, "127.0.0.1", 9000, "0.0.0.0", 0);

	world_init(w);
	world_start(w);
	l.wqueue = (uint32_t)backlog;
	add(w, &l);
	for (int i = 0; i < nsyn; i++) {
		char src[32];
		struct tc_sock s;

		snprintf(src, sizeof(src), "10.9.9.%d", i % 200 + 1);
		s = mk(TC_STATE_SYN_RECV, "127.0.0.1", 9000, src, 20000 + i);
		s.inode = 0;
		add(w, &s);
	}
	evaluate(w);
}

START_TEST(test_syn_flood_threshold)
{
	struct world w;
	const struct tc_finding *f;

	synflood_world(&w, 31, 64); /* 48% */
	ck_assert_ptr_null(only(&w, "syn-flood"));
	world_free(&w);

	synflood_world(&w, 32, 64); /* 50% */
	f = only(&w, "syn-flood");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_WARNING);
	ck_assert_str_eq(f->scope, ":9000");
	ck_assert_str_eq(f->scope_kind, "listener");
	ck_assert_uint_eq(f->count, 32);
	ck_assert_int_eq(f->value, 50);
	ck_assert_int_eq(f->threshold, 50);
	ck_assert_ptr_nonnull(strstr(f->message, "from 32 sources"));
	ck_assert_ptr_nonnull(strstr(f->check, "-s syn_recv --sport 9000"));
	world_free(&w);

	synflood_world(&w, 64, 64); /* full */
	f = only(&w, "syn-flood");
	ck_assert_int_eq(f->severity, TC_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(f->message, "full"));
	world_free(&w);
}
END_TEST

START_TEST(test_syn_flood_without_backlog_uses_somaxconn)
{
	struct world w;
	struct tc_sock l = mk(TC_STATE_LISTEN, "0.0.0.0", 9000, "0.0.0.0", 0);
	const struct tc_finding *f;

	world_init(&w);
	set_sysctl(&w, TC_S_SOMAXCONN, 40);
	world_start(&w);
	add(&w, &l); /* /proc: no backlog */
	add_n(&w, mk(TC_STATE_SYN_RECV, "127.0.0.1", 9000, "10.9.9.1", 1000), 20, 0, 1);
	evaluate(&w);
	f = only(&w, "syn-flood");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->message, "somaxconn"));
	ck_assert_ptr_nonnull(strstr(f->message, "from 1 sources"));
	world_free(&w);
}
END_TEST

START_TEST(test_syn_flood_rate)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	w.sampled = 1;
	set_counter(&w.before, TC_C_SYNCOOKIES_SENT, 100);
	set_counter(&w.now, TC_C_SYNCOOKIES_SENT, 101); /* 0.5/s over 2 s */
	set_counter(&w.before, TC_C_REQQ_FULL_DROP, 0);
	set_counter(&w.now, TC_C_REQQ_FULL_DROP, 0);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "syn-flood"));
	findings_free(&w.out);
	set_counter(&w.now, TC_C_SYNCOOKIES_SENT, 102); /* 1/s */
	evaluate(&w);
	f = only(&w, "syn-flood");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_WARNING);
	ck_assert_str_eq(f->scope, "host");
	findings_free(&w.out);
	set_counter(&w.now, TC_C_REQQ_FULL_DROP, 4);
	evaluate(&w);
	ck_assert_int_eq(only(&w, "syn-flood")->severity, TC_SEV_CRITICAL);
	world_free(&w);
}
END_TEST

/* ---- accept-queue-full ---- */

static void listener_world(struct world *w, int rq, int backlog)
{
	struct tc_sock l = mk(TC_STATE_LISTEN, "127.0.0.1", 7700, "0.0.0.0", 0);

	world_init(w);
	world_start(w);
	l.rqueue = (uint32_t)rq;
	l.wqueue = (uint32_t)backlog;
	add(w, &l);
	evaluate(w);
}

START_TEST(test_accept_queue)
{
	struct world w;
	const struct tc_finding *f;

	listener_world(&w, 7, 10);
	ck_assert_ptr_null(only(&w, "accept-queue-full"));
	world_free(&w);
	listener_world(&w, 8, 10);
	f = only(&w, "accept-queue-full");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_WARNING);
	ck_assert_str_eq(f->scope, "127.0.0.1:7700");
	ck_assert_int_eq(f->value, 80);
	world_free(&w);
	listener_world(&w, 11, 10); /* holds backlog + 1: full */
	f = only(&w, "accept-queue-full");
	ck_assert_int_eq(f->severity, TC_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(f->check, "--sport 7700 --src 127.0.0.1"));
	world_free(&w);
}
END_TEST

START_TEST(test_accept_queue_rate)
{
	struct world w;

	world_init(&w);
	world_start(&w);
	w.sampled = 1;
	set_counter(&w.before, TC_C_LISTEN_OVERFLOWS, 5);
	set_counter(&w.now, TC_C_LISTEN_OVERFLOWS, 5);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "accept-queue-full"));
	findings_free(&w.out);
	set_counter(&w.now, TC_C_LISTEN_OVERFLOWS, 7);
	evaluate(&w);
	ck_assert_ptr_nonnull(only(&w, "accept-queue-full"));
	world_free(&w);
}
END_TEST

/* ---- SYN_SENT ---- */

START_TEST(test_syn_sent_stuck)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	add_n(&w, mk(TC_STATE_SYN_SENT, "127.0.0.1", 40000, "10.9.9.2", 443), 4, 1, 0);
	add_n(&w, mk(TC_STATE_SYN_SENT, "127.0.0.1", 41000, "10.9.9.3", 443), 5, 1, 0);
	evaluate(&w);
	f = only(&w, "syn-sent-stuck");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->scope, "10.9.9.3:443");
	ck_assert_uint_eq(f->count, 5);
	ck_assert_ptr_nonnull(strstr(f->check, "-s syn_sent --dst 10.9.9.3 --dport 443"));
	world_free(&w);
}
END_TEST

START_TEST(test_scan_like)
{
	struct world w;

	world_init(&w);
	world_start(&w);
	for (int i = 0; i < 49; i++) {
		char dst[32];

		snprintf(dst, sizeof(dst), "10.1.%d.%d", i / 200, i % 200 + 1);
		add_n(&w, mk(TC_STATE_SYN_SENT, "127.0.0.1", 40000 + i, dst, 22), 1, 0, 0);
	}
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "scan-like"));
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_SYN_SENT, "127.0.0.1", 45000, "10.2.0.1", 22), 1, 0, 0);
	evaluate(&w);
	ck_assert_ptr_nonnull(only(&w, "scan-like"));
	ck_assert_int_eq(only(&w, "scan-like")->value, 50);
	world_free(&w);
}
END_TEST

/* ---- CLOSE_WAIT ---- */

START_TEST(test_close_wait_server_side)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	ck_assert_int_eq(thresholds_set(&w.th, "close-wait-leak.critical=12", "test", NULL), 0);
	world_start(&w);
	/* 9 on :8080 from different peers: below */
	add_n(&w, mk(TC_STATE_CLOSE_WAIT, "127.0.0.1", 8080, "127.0.0.1", 50000), 9, 0, 1);
	evaluate(&w);
	ck_assert_uint_eq(count_of(&w, "close-wait-leak"), 0);
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_CLOSE_WAIT, "127.0.0.1", 8080, "127.0.0.1", 51000), 1, 0, 0);
	evaluate(&w);
	f = only(&w, "close-wait-leak");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_WARNING);
	ck_assert_str_eq(f->scope_kind, "port");
	ck_assert_str_eq(f->scope, ":8080");
	ck_assert_uint_eq(f->count, 10);
	ck_assert_ptr_nonnull(strstr(f->check, "-s close_wait --sport 8080"));
	ck_assert_ptr_nonnull(strstr(f->why, "close()"));
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_CLOSE_WAIT, "127.0.0.1", 8080, "127.0.0.1", 52000), 2, 0, 1);
	evaluate(&w);
	ck_assert_int_eq(only(&w, "close-wait-leak")->severity, TC_SEV_CRITICAL);
	world_free(&w);
}
END_TEST

START_TEST(test_close_wait_client_side_and_idle)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	for (int i = 0; i < 10; i++) {
		struct tc_sock s = mk(TC_STATE_CLOSE_WAIT, "10.0.0.9", 40000 + i, "10.0.0.5", 5432);

		s.have |= TC_HAVE_INFO;
		s.last_data_recv_ms = (uint64_t)(i + 1) * 600000; /* up to 100 min */
		add(&w, &s);
	}
	evaluate(&w);
	f = only(&w, "close-wait-leak");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->scope_kind, "destination");
	ck_assert_str_eq(f->scope, "10.0.0.5:5432");
	ck_assert_msg(strstr(f->message, "1h40m") != NULL, "no oldest idle in: %s", f->message);
	world_free(&w);
}
END_TEST

/* A server's CLOSE_WAIT from thousands of peers fills the bounded
 * destination map; a client's pile towards one server, scattered among
 * them, must still be found, and never over-counted. */
START_TEST(test_close_wait_destination_among_many)
{
	struct world w;
	const struct tc_finding *f;
	int r = rule_lookup("close-wait-leak");
	int client = 0;

	world_init(&w);
	world_start(&w);
	for (int i = 0; i < 30000; i++) {
		struct tc_sock s = mk(TC_STATE_CLOSE_WAIT, "10.0.0.9", 8080, "10.1.0.1", 0);

		s.dst[2] = (uint8_t)(i >> 8); /* 10.1.x.y: a peer per socket */
		s.dst[3] = (uint8_t)i;
		s.dport = (uint16_t)(20000 + i);
		add(&w, &s);
		if (i % 100 == 99) {
			s = mk(TC_STATE_CLOSE_WAIT, "10.0.0.9", 40000 + client++, "10.0.0.5", 5432);
			add(&w, &s);
		}
	}
	ck_assert_uint_le(w.obs.closewait_dst.n, TC_OBS_MAP_LIMIT);
	ck_assert_uint_gt(w.obs.closewait_dst.overflow, 0);
	evaluate(&w);
	f = NULL;
	for (size_t i = 0; i < w.out.n; i++)
		if (w.out.v[i].rule == r && strcmp(w.out.v[i].scope_kind, "destination") == 0) {
			ck_assert_ptr_null(f);
			f = &w.out.v[i];
		}
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->scope, "10.0.0.5:5432");
	/* 300 sockets; what the map may have lost is at most 30300 / 2048 */
	ck_assert_uint_le(f->count, 300);
	ck_assert_uint_ge(f->count, 300 - 30300 / TC_OBS_MAP_LIMIT);
	if (f->count < 300)
		ck_assert_msg(strncmp(f->message, "at least ", 9) == 0, "%s", f->message);
	ck_assert_uint_eq(count_of(&w, "close-wait-leak"), 2); /* and :8080 */
	world_free(&w);
}
END_TEST

/* The observer offers as examples the last five sockets up to a rule's
 * threshold, per port and per destination, and nothing for keys that
 * stay small: a finding's examples come from the counting walk. */
START_TEST(test_example_window)
{
	struct world w;

	world_init(&w);
	world_start(&w); /* close-wait-leak from 10, syn-sent-stuck from 5 */
	for (int i = 1; i <= 14; i++) {
		struct tc_sock s = mk(TC_STATE_CLOSE_WAIT, "10.0.0.9", 8080, "10.1.0.1", 30000 + i);

		ck_assert_int_eq(obs_add(&w.obs, &s), i >= 6 && i <= 10);
	}
	for (int i = 1; i <= 7; i++) {
		struct tc_sock s = mk(TC_STATE_SYN_SENT, "10.0.0.9", 40000 + i, "10.0.0.7", 443);

		ck_assert_int_eq(obs_add(&w.obs, &s), i <= 5);
	}
	for (int i = 1; i <= 300; i++) { /* a client's TIME_WAIT: one per port */
		struct tc_sock s = mk(TC_STATE_TIME_WAIT, "10.0.0.9", 40000 + i, "10.0.0.7", 443);

		ck_assert_int_eq(obs_add(&w.obs, &s), 0);
	}
	world_free(&w);
}
END_TEST

/* Listeners on ports spread over the whole range, as idle services and
 * test programs leave them: every one is kept (no evicting there). */
START_TEST(test_listeners_anywhere)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	for (int i = 0; i < 3000; i++) {
		struct tc_sock s = mk(TC_STATE_LISTEN, "0.0.0.0", 1 + i * 21, "0.0.0.0", 0);

		add(&w, &s);
	}
	ck_assert_uint_eq(w.obs.port.n, 3000);
	ck_assert_uint_eq(obs_port(&w.obs, 22)->listeners, 1);
	ck_assert_uint_eq(obs_port(&w.obs, 23)->listeners, 0);
	ck_assert_uint_eq(obs_port(&w.obs, 1 + 2999 * 21)->wildcard, 1);
	evaluate(&w);
	f = only(&w, "exposed-listener");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(strncmp(f->message, "3000 ports listen", 17) == 0, "%s", f->message);
	world_free(&w);
}
END_TEST

/* The rules walk only the ports that were counted, in ascending order,
 * at both ends of the range and across word and page edges. */
START_TEST(test_port_walk)
{
	static const int listen[] = {65535, 64, 1000, 0, 63};
	static const uint32_t want[] = {0, 63, 64, 1000, 65535};
	struct world w;
	const struct tc_finding *f;
	uint32_t p;
	size_t i = 0;

	world_init(&w);
	world_start(&w);
	ck_assert_uint_eq(obs_port_next(&w.obs, 0), 65536);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 0), 65536);
	for (size_t k = 0; k < sizeof(listen) / sizeof(listen[0]); k++) {
		struct tc_sock s = mk(TC_STATE_LISTEN, "0.0.0.0", listen[k], "0.0.0.0", 0);

		add(&w, &s);
	}
	for (p = obs_port_next(&w.obs, 0); p < 65536; p = obs_port_next(&w.obs, p + 1)) {
		ck_assert_uint_lt(i, 5);
		ck_assert_uint_eq(p, want[i++]);
	}
	ck_assert_uint_eq(i, 5);
	ck_assert_uint_eq(obs_port_next(&w.obs, 65), 1000);
	ck_assert_uint_eq(obs_port_next(&w.obs, 65536), 65536);
	evaluate(&w);
	f = only(&w, "exposed-listener");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->message, ": 0,63,64,1000,65535"));

	/* closing sockets: the walk visits their ports */
	{
		struct tc_sock a = mk(TC_STATE_CLOSE_WAIT, "10.0.0.1", 255, "10.0.0.2", 80);
		struct tc_sock b = mk(TC_STATE_TIME_WAIT, "10.0.0.1", 65535, "10.0.0.2", 80);

		add(&w, &a);
		add(&w, &b);
	}
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 0), 255);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 255), 255);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 256), 65535);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 65535), 65535);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 65536), 65536);

	obs_reset(&w.obs);
	ck_assert_uint_eq(obs_port_next(&w.obs, 0), 65536);
	ck_assert_uint_eq(obs_port_close_next(&w.obs, 0), 65536);
	ck_assert_uint_eq(obs_port(&w.obs, 64)->listeners, 0);
	world_free(&w);
}
END_TEST

/* ---- the piles ---- */

START_TEST(test_piles)
{
	static const struct {
		const char *id;
		int state;
		int threshold;
		int orphan_inode; /* sockets without inode do not count (FIN_WAIT2) */
	} cases[] = {
	    {"fin-wait1-pile", TC_STATE_FIN_WAIT1, 50, 0},
	    {"fin-wait2-pile", TC_STATE_FIN_WAIT2, 100, 1},
	    {"last-ack-pile", TC_STATE_LAST_ACK, 50, 0},
	    {"closing-seen", TC_STATE_CLOSING, 1, 0},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct world w;
		struct tc_sock s = mk(cases[c].state, "127.0.0.1", 7000, "127.0.0.2", 30000);
		const struct tc_finding *f;

		world_init(&w);
		world_start(&w);
		add_n(&w, s, cases[c].threshold - 1, 0, 1);
		if (cases[c].orphan_inode) {
			struct tc_sock o = s;

			o.inode = 0;
			add_n(&w, o, 10, 0, 1);
		}
		evaluate(&w);
		ck_assert_msg(!only(&w, cases[c].id), "%s fired below its threshold", cases[c].id);
		findings_free(&w.out);
		add_n(&w, s, 1, 0, 0);
		evaluate(&w);
		f = only(&w, cases[c].id);
		ck_assert_msg(f != NULL, "%s did not fire at its threshold", cases[c].id);
		ck_assert_uint_eq(f->count, (uint64_t)cases[c].threshold);
		ck_assert_int_eq(f->severity,
				 cases[c].state == TC_STATE_CLOSING ? TC_SEV_INFO : TC_SEV_WARNING);
		ck_assert_str_eq(f->scope, state_name((unsigned)cases[c].state));
		world_free(&w);
	}
}
END_TEST

/* ---- TIME_WAIT ---- */

START_TEST(test_time_wait_ports)
{
	struct world w;
	const struct tc_finding *f;

	world_init(&w);
	set_sysctl(&w, TC_S_PORT_LO, 40000);
	set_sysctl(&w, TC_S_PORT_HI, 40099);
	world_start(&w);
	add_n(&w, mk(TC_STATE_TIME_WAIT, "127.0.0.1", 40000, "127.0.0.1", 7300), 49, 1, 0);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "time-wait-ports"));
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_TIME_WAIT, "127.0.0.1", 40049, "127.0.0.1", 7300), 1, 0, 0);
	evaluate(&w);
	f = only(&w, "time-wait-ports");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_WARNING);
	ck_assert_str_eq(f->scope, "127.0.0.1->127.0.0.1:7300");
	ck_assert_int_eq(f->value, 50);
	ck_assert_ptr_nonnull(strstr(f->sysctl, "ip_local_port_range = 40000 40099"));
	ck_assert_ptr_nonnull(strstr(f->why, "EADDRNOTAVAIL"));
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_TIME_WAIT, "127.0.0.1", 40050, "127.0.0.1", 7300), 30, 1, 0);
	evaluate(&w);
	ck_assert_int_eq(only(&w, "time-wait-ports")->severity, TC_SEV_CRITICAL);
	world_free(&w);
}
END_TEST

START_TEST(test_time_wait_server_and_buckets)
{
	struct world w;
	struct tc_sock l = mk(TC_STATE_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);

	world_init(&w);
	set_sysctl(&w, TC_S_MAX_TW_BUCKETS, 125);
	world_start(&w);
	add(&w, &l);
	add_n(&w, mk(TC_STATE_TIME_WAIT, "10.0.0.1", 80, "10.0.0.2", 30000), 99, 0, 1);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "time-wait-server"));
	ck_assert_ptr_null(only(&w, "time-wait-buckets")); /* 79% */
	findings_free(&w.out);
	add_n(&w, mk(TC_STATE_TIME_WAIT, "10.0.0.1", 80, "10.0.0.3", 30000), 1, 0, 0);
	evaluate(&w);
	ck_assert_ptr_nonnull(only(&w, "time-wait-server"));
	ck_assert_int_eq(only(&w, "time-wait-server")->severity, TC_SEV_INFO);
	ck_assert_str_eq(only(&w, "time-wait-server")->scope, ":80");
	ck_assert_ptr_nonnull(only(&w, "time-wait-buckets")); /* 80% */
	ck_assert_int_eq(only(&w, "time-wait-buckets")->value, 80);
	world_free(&w);
}
END_TEST

/* ---- idle and keepalive ---- */

START_TEST(test_idle_no_keepalive)
{
	struct world w;
	struct tc_sock s = mk(TC_STATE_ESTABLISHED, "127.0.0.1", 7100, "127.0.0.1", 40000);

	world_init(&w);
	ck_assert_int_eq(thresholds_set(&w.th, "idle-no-keepalive.warning=3", "test", NULL), 0);
	world_start(&w);
	s.have |= TC_HAVE_INFO;
	s.last_data_recv_ms = 7199999;
	add(&w, &s); /* just below 2 h */
	s.last_data_recv_ms = 9000000;
	s.timer = TC_TIMER_KEEPALIVE;
	add(&w, &s); /* keepalive: fine */
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "idle-no-keepalive"));
	findings_free(&w.out);
	s.timer = TC_TIMER_NONE;
	s.last_data_recv_ms = 7200000;
	add(&w, &s);
	evaluate(&w);
	ck_assert_int_eq(only(&w, "idle-no-keepalive")->severity, TC_SEV_INFO);
	ck_assert_uint_eq(only(&w, "idle-no-keepalive")->count, 1);
	findings_free(&w.out);
	add_n(&w, s, 2, 1, 0);
	evaluate(&w);
	ck_assert_int_eq(only(&w, "idle-no-keepalive")->severity, TC_SEV_WARNING);
	world_free(&w);
}
END_TEST

START_TEST(test_keepalive_slow)
{
	struct world w;
	struct tc_sock s = mk(TC_STATE_ESTABLISHED, "127.0.0.1", 7101, "127.0.0.1", 40000);

	world_init(&w);
	set_sysctl(&w, TC_S_KEEPALIVE_TIME, 7200);
	set_sysctl(&w, TC_S_KEEPALIVE_INTVL, 75);
	set_sysctl(&w, TC_S_KEEPALIVE_PROBES, 9);
	world_start(&w);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "keepalive-slow")); /* nobody uses keepalive */
	findings_free(&w.out);
	s.timer = TC_TIMER_KEEPALIVE;
	add(&w, &s);
	evaluate(&w);
	ck_assert_ptr_nonnull(only(&w, "keepalive-slow"));
	ck_assert_int_eq(only(&w, "keepalive-slow")->value, 7875);
	findings_free(&w.out);
	set_sysctl(&w, TC_S_KEEPALIVE_TIME, 600);
	set_sysctl(&w, TC_S_KEEPALIVE_INTVL, 20);
	set_sysctl(&w, TC_S_KEEPALIVE_PROBES, 3);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "keepalive-slow"));
	world_free(&w);
}
END_TEST

/* ---- timers and queues ---- */

START_TEST(test_retransmitting)
{
	struct world w;
	struct tc_sock s = mk(TC_STATE_ESTABLISHED, "10.0.0.1", 5000, "10.0.0.7", 443);
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	s.timer = TC_TIMER_RETRANS;
	s.retrans = 2;
	add(&w, &s);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "retransmitting"));
	findings_free(&w.out);
	s.retrans = 3;
	add(&w, &s);
	evaluate(&w);
	f = only(&w, "retransmitting");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->scope, "10.0.0.7");
	ck_assert_int_eq(f->value, 3);
	ck_assert(finding_matches(f, &w.obs, &s));
	s.retrans = 1;
	ck_assert(!finding_matches(f, &w.obs, &s));
	world_free(&w);
}
END_TEST

START_TEST(test_zero_window)
{
	struct world w;
	struct tc_sock s = mk(TC_STATE_FIN_WAIT1, "127.0.0.1", 7400, "127.0.0.1", 40000);

	world_init(&w);
	world_start(&w);
	s.timer = TC_TIMER_PROBE;
	s.wqueue = 4000000;
	add_n(&w, s, 2, 0, 1);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "zero-window"));
	findings_free(&w.out);
	add_n(&w, s, 1, 0, 0);
	evaluate(&w);
	ck_assert_ptr_nonnull(only(&w, "zero-window"));
	ck_assert_ptr_nonnull(strstr(only(&w, "zero-window")->message, "4000000 bytes"));
	world_free(&w);
}
END_TEST

START_TEST(test_recv_queue)
{
	struct world w;
	struct tc_sock s = mk(TC_STATE_ESTABLISHED, "127.0.0.1", 7900, "127.0.0.1", 40000);

	world_init(&w);
	world_start(&w);
	s.rqueue = 1048576;
	add(&w, &s);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "recv-queue-backlog"));
	findings_free(&w.out);
	s.rqueue = 1048577;
	add(&w, &s);
	evaluate(&w);
	ck_assert_str_eq(only(&w, "recv-queue-backlog")->scope, ":7900");
	world_free(&w);
}
END_TEST

START_TEST(test_orphans)
{
	static const int cases[][2] = {
	    {24, TC_SEV_OK}, {25, TC_SEV_WARNING}, {50, TC_SEV_CRITICAL}};

	for (int i = 0; i < 3; i++) {
		struct world w;
		const struct tc_finding *f;

		world_init(&w);
		set_sysctl(&w, TC_S_MAX_ORPHANS, 100);
		set_counter(&w.now, TC_C_SOCK_ORPHAN, cases[i][0]);
		world_start(&w);
		evaluate(&w);
		f = only(&w, "orphans");
		if (cases[i][1] == TC_SEV_OK)
			ck_assert_ptr_null(f);
		else
			ck_assert_int_eq(f->severity, cases[i][1]);
		world_free(&w);
	}
}
END_TEST

START_TEST(test_exposed_listener)
{
	struct world w;
	struct tc_sock l = mk(TC_STATE_LISTEN, "127.0.0.1", 5432, "0.0.0.0", 0);
	const struct tc_finding *f;

	world_init(&w);
	world_start(&w);
	add(&w, &l);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "exposed-listener"));
	findings_free(&w.out);
	l = mk(TC_STATE_LISTEN, "::", 22, "::", 0);
	add(&w, &l);
	evaluate(&w);
	f = only(&w, "exposed-listener");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->severity, TC_SEV_INFO);
	ck_assert_ptr_nonnull(strstr(f->message, ": 22"));
	ck_assert(finding_matches(f, &w.obs, &l));
	world_free(&w);
}
END_TEST

/* A healthy host: many established connections, listeners on loopback. */
START_TEST(test_quiet_when_healthy)
{
	struct world w;
	struct tc_sock l = mk(TC_STATE_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0);

	world_init(&w);
	set_sysctl(&w, TC_S_PORT_LO, 32768);
	set_sysctl(&w, TC_S_PORT_HI, 60999);
	set_sysctl(&w, TC_S_MAX_TW_BUCKETS, 262144);
	set_sysctl(&w, TC_S_MAX_ORPHANS, 262144);
	set_counter(&w.now, TC_C_SOCK_ORPHAN, 3);
	world_start(&w);
	l.wqueue = 4096;
	add(&w, &l);
	for (int i = 0; i < 2000; i++) {
		struct tc_sock s =
		    mk(TC_STATE_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 33000 + i);

		s.have |= TC_HAVE_INFO;
		s.last_data_recv_ms = 1000;
		add(&w, &s);
	}
	add_n(&w, mk(TC_STATE_TIME_WAIT, "127.0.0.1", 8080, "127.0.0.1", 36000), 40, 0, 1);
	add_n(&w, mk(TC_STATE_CLOSE_WAIT, "127.0.0.1", 8080, "127.0.0.1", 37000), 2, 0, 1);
	evaluate(&w);
	ck_assert_msg(w.out.n == 0, "a healthy host got %zu findings, the first %s", w.out.n,
		      w.out.n ? tc_rules[w.out.v[0].rule].id : "");
	ck_assert_int_eq(w.out.worst, TC_SEV_OK);
	world_free(&w);
}
END_TEST

START_TEST(test_rule_off)
{
	struct world w;

	world_init(&w);
	ck_assert_int_eq(thresholds_set(&w.th, "closing-seen=off", "test", NULL), 0);
	world_start(&w);
	add_n(&w, mk(TC_STATE_CLOSING, "127.0.0.1", 7600, "127.0.0.1", 40000), 3, 0, 1);
	evaluate(&w);
	ck_assert_ptr_null(only(&w, "closing-seen"));
	world_free(&w);
}
END_TEST

/* ---- thresholds and config ---- */

START_TEST(test_thresholds_set)
{
	struct tc_thresholds th;
	struct tc_err err = {0};
	int r = rule_lookup("close-wait-leak");

	thresholds_init(&th);
	ck_assert_int_eq(th.v[r][0], 10);
	ck_assert_str_eq(th.from[r][0], "default");
	ck_assert_int_eq(thresholds_set(&th, "close-wait-leak=25", "--threshold", &err), 0);
	ck_assert_int_eq(th.v[r][0], 25);
	ck_assert_str_eq(th.from[r][0], "--threshold");
	ck_assert_int_eq(thresholds_set(&th, "recv-queue-backlog=2M", "x", &err), 0);
	ck_assert_int_eq(th.v[rule_lookup("recv-queue-backlog")][0], 2 * 1024 * 1024);
	ck_assert_int_eq(thresholds_set(&th, "close-wait-leak.critical=99", "x", &err), 0);
	ck_assert_int_eq(th.v[r][1], 99);
	ck_assert_int_eq(thresholds_set(&th, "close-wait-leak=off", "x", &err), 0);
	ck_assert(th.off[r]);
	ck_assert_int_eq(thresholds_set(&th, "close-wait-leak=on", "x", &err), 0);
	ck_assert(!th.off[r]);
	static const char *const bad[] = {
	    "close-wait-leak",
	    "=3",
	    "close-wait-leak=",
	    "nope=1",
	    "close-wait-leak=-1",
	    "close-wait-leak=1.5",
	    "close-wait-leak.nope=1",
	    "close-wait-leak.critical=off",
	    "close-wait-leak=12345678901234567",
	    "last-ack-pile=85899345911G",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tc_err e = {0};

		ck_assert_msg(thresholds_set(&th, bad[i], "x", &e) < 0, "accepted %s", bad[i]);
		ck_assert_int_eq(e.kind, TC_ERR_USAGE);
		ck_assert(e.msg[0]);
	}
}
END_TEST

START_TEST(test_config_parse)
{
	struct tc_thresholds th;
	struct tc_err err = {0};
	const char good[] = "# tcpdoc\n\n  close-wait-leak = 3   # three\r\n"
			    "syn-flood.rate=9\nclosing-seen = off\n";
	const char bad1[] = "close-wait-leak = 3\nthis is not a setting\n";
	const char bad2[] = "close-wait-leak = 3\n\nunknown-rule = 1\n";
	const char bad3[] = "close-wait-leak =\n";
	const char bad4[] = "a\0b = 1\n";

	thresholds_init(&th);
	ck_assert_int_eq(thresholds_parse_config(&th, good, sizeof(good) - 1, "/etc/t.conf", &err),
			 0);
	ck_assert_int_eq(th.v[rule_lookup("close-wait-leak")][0], 3);
	ck_assert_str_eq(th.from[rule_lookup("close-wait-leak")][0], "/etc/t.conf:3");
	ck_assert_int_eq(th.v[rule_lookup("syn-flood")][1], 9);
	ck_assert(th.off[rule_lookup("closing-seen")]);

	ck_assert_int_lt(thresholds_parse_config(&th, bad1, sizeof(bad1) - 1, "f", &err), 0);
	ck_assert_str_eq(err.msg, "f:2: want 'rule = value' or 'rule.param = value'");
	ck_assert_int_eq(err.kind, TC_ERR_RUNTIME);
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(thresholds_parse_config(&th, bad2, sizeof(bad2) - 1, "f", &err), 0);
	ck_assert_msg(strncmp(err.msg, "f:3: unknown rule 'unknown-rule'", 32) == 0, "%s", err.msg);
	ck_assert_int_eq(err.kind, TC_ERR_RUNTIME);
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(thresholds_parse_config(&th, bad3, sizeof(bad3) - 1, "f", &err), 0);
	ck_assert_str_eq(err.msg, "f:1: missing or overlong value");
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(thresholds_parse_config(&th, bad4, sizeof(bad4) - 1, "f", &err), 0);
}
END_TEST

START_TEST(test_every_rule_documented)
{
	for (int r = 0; r < R_COUNT; r++) {
		ck_assert_int_eq(rule_lookup(tc_rules[r].id), r);
		ck_assert(tc_rules[r].summary && tc_rules[r].summary[0]);
		ck_assert(tc_rules[r].topic && tc_rules[r].topic[0]);
		ck_assert(tc_rules[r].eval);
		ck_assert(tc_rules[r].params[0].name && tc_rules[r].params[0].name[0] == '\0');
		for (int p = 0; p < TC_RULE_PARAMS && tc_rules[r].params[p].name; p++) {
			ck_assert(tc_rules[r].params[p].unit && tc_rules[r].params[p].unit[0]);
			ck_assert(tc_rules[r].params[p].doc && tc_rules[r].params[p].doc[0]);
		}
	}
}
END_TEST

/* Regressions found by the counters fuzzer. */
START_TEST(test_sysctl_and_counter_parsing)
{
	int64_t v[2];
	struct tc_counters c;
	struct tc_err err = {0};
	static const char lf[] = "TcpExt: ListenOverflows\nTcpExt: 4\n\nTcp: OutRsts\nTcp: 2\n";
	static const char crlf[] =
	    "TcpExt: ListenOverflows\r\nTcpExt: 4\r\n\r\nTcp: OutRsts\r\nTcp: 2\r\n";

	ck_assert_int_eq(sysctl_parse("32768\t60999\n", 12, v, 2), 0);
	ck_assert_int_eq(v[0], 32768);
	ck_assert_int_eq(v[1], 60999);
	ck_assert_int_lt(sysctl_parse("32768-60999\n", 12, v, 2), 0);
	ck_assert_int_lt(sysctl_parse("9223372036854775808\n", 20, v, 1), 0);
	ck_assert_int_lt(sysctl_parse("-9223372036854775808\n", 21, v, 1), 0);
	ck_assert_int_eq(sysctl_parse("9223372036854775807\n", 20, v, 1), 0);
	ck_assert_int_eq(v[0], INT64_MAX);
	ck_assert_int_eq(sysctl_parse("-1\n", 3, v, 1), 0);
	ck_assert_int_eq(v[0], -1);

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(counters_parse_pairs(lf, sizeof(lf) - 1, &c, "lf", &err), 0);
	ck_assert_int_eq(c.v[TC_C_LISTEN_OVERFLOWS], 4);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(counters_parse_pairs(crlf, sizeof(crlf) - 1, &c, "crlf", &err), 0);
	ck_assert_int_eq(c.v[TC_C_LISTEN_OVERFLOWS], 4);
	ck_assert_int_eq(c.v[TC_C_OUT_RSTS], 2);
}
END_TEST

Suite *suite_rules(void)
{
	Suite *s = suite_create("rules");
	TCase *t = tcase_create("rules");

	tcase_add_test(t, test_syn_flood_threshold);
	tcase_add_test(t, test_syn_flood_without_backlog_uses_somaxconn);
	tcase_add_test(t, test_syn_flood_rate);
	tcase_add_test(t, test_accept_queue);
	tcase_add_test(t, test_accept_queue_rate);
	tcase_add_test(t, test_syn_sent_stuck);
	tcase_add_test(t, test_scan_like);
	tcase_add_test(t, test_close_wait_server_side);
	tcase_add_test(t, test_close_wait_destination_among_many);
	tcase_add_test(t, test_listeners_anywhere);
	tcase_add_test(t, test_port_walk);
	tcase_add_test(t, test_example_window);
	tcase_add_test(t, test_close_wait_client_side_and_idle);
	tcase_add_test(t, test_piles);
	tcase_add_test(t, test_time_wait_ports);
	tcase_add_test(t, test_time_wait_server_and_buckets);
	tcase_add_test(t, test_idle_no_keepalive);
	tcase_add_test(t, test_keepalive_slow);
	tcase_add_test(t, test_retransmitting);
	tcase_add_test(t, test_zero_window);
	tcase_add_test(t, test_recv_queue);
	tcase_add_test(t, test_orphans);
	tcase_add_test(t, test_exposed_listener);
	tcase_add_test(t, test_quiet_when_healthy);
	tcase_add_test(t, test_rule_off);
	suite_add_tcase(s, t);
	t = tcase_create("thresholds");
	tcase_add_test(t, test_thresholds_set);
	tcase_add_test(t, test_config_parse);
	tcase_add_test(t, test_every_rule_documented);
	tcase_add_test(t, test_sysctl_and_counter_parsing);
	suite_add_tcase(s, t);
	return s;
}
