/* /proc/net/tcp and tcp6: every fixture of that shape, decoded values checked
 * row by row, crafted lines for the odd cases, and the streaming walker's
 * behaviour on broken, huge and missing files. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../fuzz/proc_ref.h"
#include "helpers.h"
#include "model/state.h"
#include "model/tally.h"
#include "source/diagfile.h"
#include "source/proc.h"
#include "suites.h"

/* What one row must decode to. exp_ms assumes USER_HZ 100 (every Linux
 * architecture but alpha), checked in the test. */
struct row {
	size_t idx; /* position in the file's rows */
	int state;
	const char *local, *peer;
	uint32_t rq, wq;
	int timer;
	uint64_t exp_ms;
	int retrans;
	uint32_t uid;
	uint64_t inode;
};

struct proc_fixture {
	const char *rel;
	int family;
	size_t rows;
	const struct row *want;
	size_t nwant;
};

#define ROWS(a) a, sizeof(a) / sizeof(a[0])

static const struct row zoo_tcp[] = {
    /* backlog-1 listener never accepting: accept queue 2; /proc has no backlog */
    {0, TC_STATE_LISTEN, "127.0.0.1:7700", "0.0.0.0:*", 2, 0, 0, 0, 0, 0, 416867},
    {11, TC_STATE_LISTEN, "127.0.0.1:9000", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 415689},
    {12, TC_STATE_ESTABLISHED, "127.0.0.1:7900", "127.0.0.1:57734", 65536, 0, 0, 0, 0, 0, 415965},
    /* request socket: 12 fields, inode 0, SYN-ACK retransmit timer */
    {13, TC_STATE_SYN_RECV, "127.0.0.1:9000", "10.9.9.16:20015", 0, 0, 1, 1600, 1, 0, 0},
    /* keepalive timer: 0xE9D0 ticks */
    {16, TC_STATE_ESTABLISHED, "127.0.0.1:49648", "127.0.0.1:7101", 0, 0, 2, 598560, 0, 0, 415915},
    {25, TC_STATE_CLOSE_WAIT, "127.0.0.1:8080", "127.0.0.1:54390", 1, 0, 0, 0, 0, 0, 415921},
    {27, TC_STATE_SYN_SENT, "0.0.0.0:38572", "10.9.9.2:443", 0, 1, 1, 600, 1, 0, 415685},
    /* a child still in the accept queue: inode 0 */
    {34, TC_STATE_ESTABLISHED, "127.0.0.1:7700", "127.0.0.1:51962", 0, 0, 0, 0, 0, 0, 0},
    {36, TC_STATE_FIN_WAIT1, "127.0.0.1:7400", "127.0.0.1:48036", 0, 3866625, 1, 220, 0, 0, 415693},
    {50, TC_STATE_FIN_WAIT2, "127.0.0.1:7600", "127.0.0.1:53678", 128512, 0, 0, 0, 0, 0, 415949},
    /* timewait mini-socket: 12 fields */
    {61, TC_STATE_TIME_WAIT, "127.0.0.1:35554", "127.0.0.1:7300", 0, 0, 3, 58560, 0, 0, 0},
    /* zero-window probe timer: the probe count comes from `timeout` */
    {66, TC_STATE_CLOSING, "127.0.0.1:53678", "127.0.0.1:7600", 1, 4115457, 4, 450, 1, 0, 415948},
    {69, TC_STATE_LAST_ACK, "127.0.0.1:7500", "127.0.0.1:52608", 1, 4115457, 4, 390, 1, 0, 415945},
    {72, TC_STATE_ESTABLISHED, "127.0.0.1:48036", "127.0.0.1:7400", 32768, 0, 0, 0, 0, 0, 415692},
};

static const struct row zoo_tcp6[] = {
    {0, TC_STATE_LISTEN, "[::]:7801", "[::]:*", 0, 0, 0, 0, 0, 0, 415957},
    {1, TC_STATE_LISTEN, "[::1]:7800", "[::]:*", 0, 0, 0, 0, 0, 0, 415952},
    {2, TC_STATE_ESTABLISHED, "[::1]:7800", "[::1]:42702", 0, 0, 0, 0, 0, 0, 415956},
    /* IPv4 peer of a dual-stack listener */
    {3, TC_STATE_ESTABLISHED, "[::ffff:127.0.0.1]:7801", "[::ffff:127.0.0.1]:45018", 0, 0, 0, 0, 0,
     0, 415959},
    {7, TC_STATE_ESTABLISHED, "[::1]:42702", "[::1]:7800", 0, 0, 0, 0, 0, 0, 415955},
};

static const struct row procfs_tcp[] = {
    {0, TC_STATE_LISTEN, "10.0.0.5:22", "0.0.0.0:*", 1, 0, 0, 0, 0, 0, 2740},
    /* tx_queue 1 on a listener: Send-Q of a LISTEN row stays 0 (no backlog in /proc) */
    {1, TC_STATE_LISTEN, "0.0.0.0:22", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 2740},
    {2, TC_STATE_LISTEN, "0.0.0.0:22", "0.0.0.0:*", 1, 0, 0, 0, 0, 0, 2740},
};

/* Really udp6 content in a tcp6 file (header ends "ref pointer drops").
 * Decided from the parser: every field it reads is well-formed and 07 is a
 * valid TCP state (CLOSE), so the rows are accepted as two CLOSE sockets;
 * tcpdoc cannot tell UDP rows from TCP ones by their shape. */
static const struct row procfs_tcp6[] = {
    {0, TC_STATE_CLOSE, "[::]:5355", "[::]:*", 0, 0, 0, 0, 0, 981, 21040},
    {1, TC_STATE_CLOSE, "[fe80::56e1:adff:fe7c:6609]:51073", "[::]:*", 0, 0, 0, 0, 0, 1000,
     11337031},
};

static const struct row nodeexp_tcpstat[] = {
    {0, TC_STATE_LISTEN, "0.0.0.0:22", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 2740},
    {1, TC_STATE_ESTABLISHED, "10.0.2.15:22", "10.0.2.2:35691", 1, 21, 2, 7069710, 0, 0, 3652},
};

static const struct row tailscale4[] = {
    {0, TC_STATE_LISTEN, "127.0.0.1:631", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 22303},
    {1, TC_STATE_LISTEN, "0.0.0.0:22", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 34062},
    /* 9-digit inode */
    {2, TC_STATE_ESTABLISHED, "192.168.1.85:44500", "54.149.94.178:443", 0, 0, 2, 28590, 0, 1000,
     155276677},
};

static const struct row tailscale6[] = {
    {0, TC_STATE_LISTEN, "[::1]:631", "[::]:*", 0, 0, 0, 0, 0, 0, 35720},
    {1, TC_STATE_LISTEN, "[::]:8081", "[::]:*", 0, 0, 0, 0, 0, 1000, 142240557},
    {2, TC_STATE_LISTEN, "[::]:22", "[::]:*", 0, 0, 0, 0, 0, 0, 34064},
    /* four host-order words */
    {3, TC_STATE_ESTABLISHED, "[2001:569:bc16:5700:be6e:9064:4dcd:9e00]:54534",
     "[2606:4700::6812:176e]:443", 0, 0, 2, 1580, 0, 1000, 151042856},
};

static const struct row weave_procnet[] = {
    /* listener rows edited to state 01 with a zero remote */
    {0, TC_STATE_ESTABLISHED, "0.0.0.0:42688", "0.0.0.0:*", 0, 0, 0, 0, 0, 105, 5107},
    {1, TC_STATE_ESTABLISHED, "0.0.0.0:111", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 5084},
    {2, TC_STATE_ESTABLISHED, "127.0.0.1:25", "0.0.0.0:*", 0, 0, 0, 0, 0, 0, 10550},
    {3, TC_STATE_ESTABLISHED, "46.246.44.161:58583", "192.30.252.87:443", 0, 0, 2, 17860, 0, 1000,
     639474},
};

static const struct row weave_transport6[] = {
    {0, TC_STATE_ESTABLISHED, "[::]:6600", "[::]:*", 0, 0, 0, 0, 0, 0, 23661201},
    /* sl jumps from 0 to 8 */
    {1, TC_STATE_ESTABLISHED, "[2003:45:2b69:be00:bd1e:e38a:109d:9d91]:54812",
     "[2a00:1450:4005:808::1015]:443", 0, 0, 2, 690, 0, 1000, 36856710},
};

static const struct proc_fixture good[] = {
    {"linux-6.18-zoo/net/tcp", AF_INET, 73, ROWS(zoo_tcp)},
    {"linux-6.18-zoo/net/tcp6", AF_INET6, 8, ROWS(zoo_tcp6)},
    {"third-party/prometheus__procfs/fixtures__proc__net__tcp", AF_INET, 3, ROWS(procfs_tcp)},
    {"third-party/prometheus__procfs/fixtures__proc__net__tcp6", AF_INET6, 2, ROWS(procfs_tcp6)},
    {"third-party/prometheus__node_exporter/collector__fixtures__proc__net__tcpstat", AF_INET, 2,
     ROWS(nodeexp_tcpstat)},
    {"third-party/tailscale__tailscale/portlist__portlist_linux_test.go--TestParsePorts_ipv4.tcp",
     AF_INET, 3, ROWS(tailscale4)},
    {"third-party/tailscale__tailscale/portlist__portlist_linux_test.go--TestParsePorts_ipv6.tcp6",
     AF_INET6, 4, ROWS(tailscale6)},
    {"third-party/weaveworks__scope/"
     "probe__endpoint__procspy__procnet_internal_test.go--TestProcNet.tcp",
     AF_INET, 4, ROWS(weave_procnet)},
    {"third-party/weaveworks__scope/"
     "probe__endpoint__procspy__procnet_internal_test.go--TestTransport6.tcp6",
     AF_INET6, 2, ROWS(weave_transport6)},
};

static const struct {
	const char *rel;
	int family;
	unsigned long line; /* the broken line */
} broken[] = {
    /* header and row stop after the st column */
    {"third-party/prometheus__procfs/fixtures__proc__net__udp_broken", AF_INET, 2},
    /* row cut off mid tx_queue, then "broken line" */
    {"third-party/weaveworks__scope/"
     "probe__endpoint__procspy__procnet_internal_test.go--TestTransportNonsense.tcp",
     AF_INET, 2},
};

static void assert_user_hz_100(void)
{
	ck_assert_msg(sysconf(_SC_CLK_TCK) == 100,
		      "these expectations assume USER_HZ 100 (tm->when in 1/100 s); this host "
		      "says %ld",
		      sysconf(_SC_CLK_TCK));
}

static void check_row(const char *name, const struct tc_sock *sk, const struct row *w, int family)
{
	char l[96], p[96];

	sk_local(sk, l, sizeof(l));
	sk_peer(sk, p, sizeof(p));
	ck_assert_msg(sk->family == family, "%s row %zu: family %d", name, w->idx, sk->family);
	ck_assert_msg(sk->state == w->state, "%s row %zu: state %s, want %s", name, w->idx,
		      state_name(sk->state), state_name((unsigned)w->state));
	ck_assert_msg(strcmp(l, w->local) == 0, "%s row %zu: local %s, want %s", name, w->idx, l,
		      w->local);
	ck_assert_msg(strcmp(p, w->peer) == 0, "%s row %zu: peer %s, want %s", name, w->idx, p,
		      w->peer);
	ck_assert_msg(sk->rqueue == w->rq, "%s row %zu: rqueue %u, want %u", name, w->idx,
		      sk->rqueue, w->rq);
	ck_assert_msg(sk->wqueue == w->wq, "%s row %zu: wqueue %u, want %u", name, w->idx,
		      sk->wqueue, w->wq);
	ck_assert_msg(sk->timer == w->timer, "%s row %zu: timer %u, want %d", name, w->idx,
		      sk->timer, w->timer);
	ck_assert_msg(sk->expires_ms == w->exp_ms, "%s row %zu: expires %llu ms, want %llu", name,
		      w->idx, (unsigned long long)sk->expires_ms, (unsigned long long)w->exp_ms);
	ck_assert_msg(sk->retrans == w->retrans, "%s row %zu: retrans %u, want %d", name, w->idx,
		      sk->retrans, w->retrans);
	ck_assert_msg(sk->uid == w->uid, "%s row %zu: uid %u, want %u", name, w->idx, sk->uid,
		      w->uid);
	ck_assert_msg(sk->inode == w->inode, "%s row %zu: inode %llu, want %llu", name, w->idx,
		      (unsigned long long)sk->inode, (unsigned long long)w->inode);
	ck_assert_msg(sk->have & TC_HAVE_UID, "%s row %zu: uid not flagged", name, w->idx);
	ck_assert_msg(!(sk->have & (TC_HAVE_INFO | TC_HAVE_COOKIE)),
		      "%s row %zu: /proc has no tcp_info or cookie", name, w->idx);
}

/* The data rows of a table file, counted without tcpdoc: every line after the
 * first that is not blank. Each row is also decoded alone by proc_parse_line. */
static size_t count_rows(const char *path, int family, struct sockvec *alone)
{
	size_t len, n = 0, lineno = 0;
	char *text = slurp(path, &len);
	char *p = text;

	while (p < text + len) {
		char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		int blank = 1;

		for (size_t i = 0; i < ll; i++)
			if (p[i] != ' ' && p[i] != '\t')
				blank = 0;
		if (++lineno > 1 && !blank) {
			struct tc_sock sk;
			const char *why = NULL;
			/* an exact-size copy without a NUL: the parser must honour len */
			char *copy = malloc(ll);

			ck_assert_ptr_nonnull(copy);
			memcpy(copy, p, ll);
			ck_assert_msg(proc_parse_line(copy, ll, family, &sk, &why) == 0,
				      "%s:%zu: proc_parse_line: %s", path, lineno, why);
			free(copy);
			sockvec_cb(&sk, alone);
			n++;
		}
		p += ll + 1;
	}
	free(text);
	return n;
}

START_TEST(test_proc_fixture_good)
{
	const struct proc_fixture *fx = &good[_i];
	const char *path = fixture(fx->rel);
	struct sockvec sv = {0}, alone = {0};
	struct tc_err err = {0};
	int r;

	assert_user_hz_100();
	r = proc_walk_file(path, fx->family, NULL, sockvec_cb, &sv, &err);
	ck_assert_msg(r == 1, "%s: proc_walk_file = %d: %s", fx->rel, r, err.msg);
	ck_assert_msg(err.msg[0] == '\0', "%s: message on success: %s", fx->rel, err.msg);
	ck_assert_msg(sv.n == fx->rows, "%s: %zu rows, want %zu", fx->rel, sv.n, fx->rows);
	ck_assert_uint_eq(count_rows(path, fx->family, &alone), fx->rows);
	/* the walker and the line decoder agree on every row */
	for (size_t i = 0; i < sv.n; i++)
		ck_assert_msg(memcmp(&sv.v[i], &alone.v[i], sizeof(sv.v[i])) == 0,
			      "%s: row %zu differs between proc_walk_file and proc_parse_line",
			      fx->rel, i);
	for (size_t i = 0; i < fx->nwant; i++) {
		ck_assert_uint_lt(fx->want[i].idx, sv.n);
		check_row(fx->rel, &sv.v[fx->want[i].idx], &fx->want[i], fx->family);
	}
	sockvec_free(&sv);
	sockvec_free(&alone);
}
END_TEST

START_TEST(test_proc_fixture_broken)
{
	const char *path = fixture(broken[_i].rel);
	struct sockvec sv = {0};
	struct tc_err err = {0};
	char where[64];
	int r;

	r = proc_walk_file(path, broken[_i].family, NULL, sockvec_cb, &sv, &err);
	ck_assert_msg(r < 0, "%s: proc_walk_file = %d, want an error", broken[_i].rel, r);
	ck_assert_msg(err.msg[0], "%s: no message", broken[_i].rel);
	snprintf(where, sizeof(where), ":%lu:", broken[_i].line);
	ck_assert_msg(strstr(err.msg, where) != NULL, "%s: message does not name line %lu: %s",
		      broken[_i].rel, broken[_i].line, err.msg);
	ck_assert_msg(strstr(err.msg, path) != NULL, "message does not name the file: %s", err.msg);
	ck_assert_uint_eq(sv.n, 0);
	sockvec_free(&sv);
}
END_TEST

static int known_fixture(const char *rel)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (strcmp(good[i].rel, rel) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++)
		if (strcmp(broken[i].rel, rel) == 0)
			return 1;
	return 0;
}

/* Files in fixtures/DIR whose names match pattern; each must be covered. */
static size_t check_dir(const char *dir, const char *pattern)
{
	DIR *d = opendir(fixture(dir));
	struct dirent *e;
	size_t found = 0;

	ck_assert_msg(d != NULL, "cannot open fixtures/%s", dir);
	while ((e = readdir(d)) != NULL) {
		char rel[2048];

		if (e->d_name[0] == '.' || fnmatch(pattern, e->d_name, 0) != 0)
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		ck_assert_msg(known_fixture(rel), "fixture %s is not covered by test_proc.c", rel);
		found++;
	}
	closedir(d);
	return found;
}

/* Every fixture shaped like /proc/net/tcp is covered by one of the tables
 * above, so a new one is not silently left out. */
START_TEST(test_proc_fixture_inventory)
{
	DIR *top = opendir(fixture("third-party"));
	struct dirent *e;
	size_t found = check_dir("linux-6.18-zoo/net", "tcp*");

	ck_assert_ptr_nonnull(top);
	while ((e = readdir(top)) != NULL) {
		char sub[1024];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "third-party/%s", e->d_name);
		if (stat(fixture(sub), &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		found += check_dir(sub, "*tcp*");
		found += check_dir(sub, "*udp_broken*");
	}
	closedir(top);
	ck_assert_uint_eq(found,
			  sizeof(good) / sizeof(good[0]) + sizeof(broken) / sizeof(broken[0]));
}
END_TEST

/* ---- crafted lines ---- */

static int parse(const char *line, int family, struct tc_sock *sk, const char **why)
{
	*why = NULL;
	return proc_parse_line(line, strlen(line), family, sk, why);
}

START_TEST(test_proc_line_big_numbers)
{
	struct tc_sock sk;
	const char *why;

	/* a uid wider than its column pushes the rest right; inode > 2^31 */
	ck_assert_int_eq(parse("  42: 0100007F:0016 0100007F:D431 01 00000000:00000000 "
			       "00:00000000 00000000 4294967294        0 3000000000 1 "
			       "0000000000000000 20 4 30 10 -1",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.uid, 4294967294u);
	ck_assert_uint_eq(sk.inode, 3000000000ull);
	ck_assert_uint_eq(sk.sport, 22);
	ck_assert_uint_eq(sk.dport, 54321);
	/* inode above 2^32 */
	ck_assert_int_eq(parse("   0: 0100007F:0016 0100007F:D431 01 00000000:00000000 "
			       "00:00000000 00000000  1000        0 12345678901234 1 0",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.inode, 12345678901234ull);
	ck_assert_uint_eq(sk.uid, 1000);
	ck_assert_int_eq(parse("123456789: 0100007F:0016 0100007F:D431 01 FFFFFFFF:FFFFFFFF "
			       "00:00000000 00000000 0 0 18446744073709551615",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.inode, UINT64_MAX);
	ck_assert_uint_eq(sk.rqueue, 0xffffffffu);
	ck_assert_uint_eq(sk.wqueue, 0xffffffffu);
	/* retransmits beyond a byte saturate */
	ck_assert_int_eq(parse("   0: 0100007F:0016 0100007F:D431 01 00000000:00000000 "
			       "01:00000064 FFFFFFFF 0 0 1",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.retrans, 255);
	ck_assert_uint_eq(sk.timer, 1);
	ck_assert_uint_eq(sk.expires_ms, 1000);
}
END_TEST

START_TEST(test_proc_line_shapes)
{
	struct tc_sock sk;
	const char *why;

	/* tabs between fields */
	ck_assert_int_eq(parse("0:\t0100007F:0016\t00000000:0000\t0A\t00000000:00000003\t"
			       "00:00000000\t00000000\t0\t0\t77",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.state, TC_STATE_LISTEN);
	ck_assert_uint_eq(sk.rqueue, 3);
	ck_assert_uint_eq(sk.inode, 77);
	/* timewait row, 12 fields; the tr 03 timer's retransmit field means nothing */
	ck_assert_int_eq(parse("  61: 0100007F:8AE2 0100007F:1C84 06 00000000:00000000 "
			       "03:000016E0 00000005     0        0 0 3 00000000ba6f7d36",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.state, TC_STATE_TIME_WAIT);
	ck_assert_uint_eq(sk.timer, TC_TIMER_TIMEWAIT);
	ck_assert_uint_eq(sk.retrans, 0);
	ck_assert_uint_eq(sk.expires_ms, 58560);
	/* orphaned FIN_WAIT2 mini-socket: state 05 with the timewait timer */
	ck_assert_int_eq(parse("   1: 0100007F:8AE2 0100007F:1C84 05 00000000:00000000 "
			       "03:00000BB8 00000000     0        0 0 3 0000000000000000",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.state, TC_STATE_FIN_WAIT2);
	ck_assert_uint_eq(sk.timer, TC_TIMER_TIMEWAIT);
	ck_assert_uint_eq(sk.expires_ms, 30000);
	/* keepalive: the probe count is the `timeout` column */
	ck_assert_int_eq(parse("   2: 0100007F:8AE2 0100007F:1C84 01 00000000:00000000 "
			       "02:00000064 00000000     0        3 99 1 0 20 4 30 10 -1",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.timer, TC_TIMER_KEEPALIVE);
	ck_assert_uint_eq(sk.retrans, 3);
	ck_assert_uint_eq(sk.inode, 99);
	/* padded to 149 columns with trailing blanks */
	ck_assert_int_eq(
	    parse("   0: 00000000:0016 00000000:0000 0A 00000015:00000000 00:00000000 "
		  "00000000     0        0 2740 1 ffff88003d3af3c0 100 0 0 10 0         "
		  "             ",
		  AF_INET, &sk, &why),
	    0);
	ck_assert_uint_eq(sk.inode, 2740);
	/* lower-case hex is hex too */
	ck_assert_int_eq(parse("   0: 0100007f:1e14 0a09090a:01bb 0b 003ecc01:0000000a "
			       "04:0000002d 00000000     0        1 415948",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.state, TC_STATE_CLOSING);
	ck_assert_uint_eq(sk.sport, 7700);
	ck_assert_uint_eq(sk.wqueue, 4115457);
	ck_assert_uint_eq(sk.rqueue, 10);
	ck_assert_uint_eq(sk.dst[0], 10);
	ck_assert_uint_eq(sk.dst[3], 10);
	/* IPv4-mapped IPv6, each word in host order */
	ck_assert_int_eq(parse("   3: 0000000000000000FFFF00000100007F:1E79 "
			       "0000000000000000FFFF00000100007F:AFDA 01 00000000:00000000 "
			       "00:00000000 00000000     0        0 415959 1 0",
			       AF_INET6, &sk, &why),
			 0);
	{
		static const uint8_t mapped[16] = {0, 0, 0,    0,    0,	  0, 0, 0,
						   0, 0, 0xff, 0xff, 127, 0, 0, 1};

		ck_assert_mem_eq(sk.src, mapped, 16);
		ck_assert_mem_eq(sk.dst, mapped, 16);
		ck_assert_uint_eq(sk.sport, 7801);
		ck_assert_uint_eq(sk.dport, 45018);
	}
}
END_TEST

/* The decoder reads hex and field boundaries 8 bytes at a time: runs that are
 * not 8 digits long, separators in runs and at the edges of words, and the most
 * fields a row may have. */
START_TEST(test_proc_line_word_edges)
{
	struct tc_sock sk;
	const char *why;

	/* tabs, CRs and runs of blanks between fields, blanks before and after */
	ck_assert_int_eq(parse(" \t 7:\r\t0100007F:0016  \t0100007F:D431\r01 \t 00000000:00000000"
			       "        00:00000000\t\t\t00000000 0\r\r\r\r\r\r\r\r0 9 \t\r",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.dport, 54321);
	ck_assert_uint_eq(sk.inode, 9);
	/* queues and timer of fewer than 8 digits, retransmits of 16 */
	ck_assert_int_eq(parse("0: 0100007F:0016 0100007F:D431 01 A:bC 1:64 00000000000000fF 0 0 5",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.wqueue, 0xa);
	ck_assert_uint_eq(sk.rqueue, 0xbc);
	ck_assert_uint_eq(sk.timer, 1);
	ck_assert_uint_eq(sk.retrans, 255);
	/* every hex digit, both cases, in one word */
	ck_assert_int_eq(
	    parse("0: 01234567:89aB 89ABCDEF:cdef 01 abcdef01:FEDCBA98 00:00000000 0 0 0 5",
		  AF_INET, &sk, &why),
	    0);
	{
		uint32_t w;

		memcpy(&w, sk.src, 4);
		ck_assert_uint_eq(w, 0x01234567u);
		memcpy(&w, sk.dst, 4);
		ck_assert_uint_eq(w, 0x89abcdefu);
	}
	ck_assert_uint_eq(sk.sport, 0x89ab);
	ck_assert_uint_eq(sk.dport, 0xcdef);
	ck_assert_uint_eq(sk.wqueue, 0xabcdef01u);
	ck_assert_uint_eq(sk.rqueue, 0xfedcba98u);
	/* 32 fields is the most; the fields after the inode may hold anything */
	ck_assert_int_eq(parse("0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 \x80\xff z",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_uint_eq(sk.inode, 1);
	/* a row of the wrong length is named so, whichever field is bad too */
	ck_assert_int_eq(parse("   9: \x1b]0;pwned\x07 0100007F:1F90", AF_INET, &sk, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "too few fields");
	ck_assert_int_eq(parse("x: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
			       AF_INET, &sk, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "too many fields");
	/* padded with blanks as tcp4 pads its rows: 32 fields pass, 33 do not */
	ck_assert_int_eq(parse("0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"
			       "                                                  ",
			       AF_INET, &sk, &why),
			 0);
	ck_assert_int_eq(parse("0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000 0 0 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"
			       "                                                  ",
			       AF_INET, &sk, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "too many fields");
	ck_assert_int_eq(parse("0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
			       "00000000 0 0 1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1\t1"
			       "\t1\t1\t1\t1\t1\t1\t1   \t ",
			       AF_INET, &sk, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "too many fields");
	ck_assert_int_eq(parse("0: 0100007F:0016 00000000:0000 0C 00000000:00000000 00:00000000 "
			       "00000000 0 0 1",
			       AF_INET, &sk, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "bad state");
}
END_TEST

/* Kernel rows with one byte changed, removed or doubled, at every position:
 * proc_parse_line, which reads rows of the kernel's exact widths at fixed
 * offsets and all others field by field, must agree with the plain reading of
 * tests/fuzz/proc_ref.h on each. */
static const struct {
	const char *row;
	int family;
} kernel_rows[] = {
    {"   0: 00000000:0016 00000000:0000 0A 00000015:00000000 00:00000000 00000000     0        0 "
     "2740 1 ffff88003d3af3c0 100 0 0 10 0                      ",
     AF_INET},
    {"  61: 0100007F:8AE2 0100007F:1C84 06 00000000:00000000 03:000016E0 00000005     0        0 0 "
     "3 00000000ba6f7d36",
     AF_INET},
    {"12345: 0100007F:8AE2 0100007F:1C84 01 0000A000:00000010 02:00000064 00000001  1000        3 "
     "415948 1 0 20 4 30 10 -1",
     AF_INET},
    {"   3: 0000000000000000FFFF00000100007F:1E79 0000000000000000FFFF00000100007F:AFDA 01 "
     "00000000:00000000 01:0000001E 0000000C     0        0 415959 1 0",
     AF_INET6},
};

static void expect_like_ref(const char *row, size_t len, int family)
{
	struct tc_sock sk, ref;
	const char *why = NULL;
	char *copy = malloc(len ? len : 1);
	int r, ref_r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, row, len);
	r = proc_parse_line(copy, len, family, &sk, &why);
	ref_r = ref_parse(copy, len, family, &ref);
	ck_assert_msg((r == 0) == (ref_r == 0),
		      "\"%.*s\": proc_parse_line %s, the plain reading %s", (int)len, row,
		      r == 0 ? "accepts" : why, ref_r == 0 ? "accepts" : "refuses");
	if (r == 0)
		ck_assert_msg(ref_same(&sk, &ref), "\"%.*s\": decoded differently", (int)len, row);
	else
		ck_assert_msg(r == -EINVAL && why && *why, "\"%.*s\": no reason", (int)len, row);
	free(copy);
}

START_TEST(test_proc_line_one_byte_off)
{
	static const char bytes[] = " \t\r:-09afAFGg/@`x\x80\xb0\x01";
	const char *row = kernel_rows[_i].row;
	int family = kernel_rows[_i].family;
	size_t len = strlen(row);
	char buf[512];

	ck_assert_uint_lt(len + 1, sizeof(buf));
	expect_like_ref(row, len, family);
	for (size_t at = 0; at < len; at++) {
		for (size_t b = 0; b < sizeof(bytes) - 1; b++) {
			memcpy(buf, row, len);
			buf[at] = bytes[b];
			expect_like_ref(buf, len, family);
		}
		/* the byte removed, and the byte doubled */
		memcpy(buf, row, at);
		memcpy(buf + at, row + at + 1, len - at - 1);
		expect_like_ref(buf, len - 1, family);
		memcpy(buf, row, at + 1);
		memcpy(buf + at + 1, row + at, len - at);
		expect_like_ref(buf, len + 1, family);
		/* the row cut there */
		expect_like_ref(row, at, family);
	}
	expect_like_ref(row, len, family == AF_INET ? AF_INET6 : AF_INET);
}
END_TEST

/* The decoder reads only `len` bytes: a row cut inside its inode yields the
 * shorter inode. */
START_TEST(test_proc_line_len_respected)
{
	static const char row[] = "  12: 0100007F:1EDC 0100007F:E186 01 00000000:00010000 "
				  "00:00000000 00000000     0        0 415965";
	struct tc_sock sk;
	const char *why = NULL;
	char *copy = malloc(sizeof(row) - 2);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, row, sizeof(row) - 2); /* no NUL, last digit dropped */
	ck_assert_int_eq(proc_parse_line(copy, sizeof(row) - 2, AF_INET, &sk, &why), 0);
	ck_assert_uint_eq(sk.inode, 41596);
	free(copy);
}
END_TEST

static const struct {
	const char *line;
	int family;
} bad_lines[] = {
    {"", AF_INET},
    {"   ", AF_INET},
    /* 9 fields */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0", AF_INET},
    /* 33 fields */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 "
     "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1",
     AF_INET},
    {"x: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {":: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    /* address: 7 digits, a non-hex digit, a 5-digit port, no colon */
    {"0: 100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007G:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:00016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    /* an IPv6 row read as IPv4, and the other way round */
    {"0: 00000000000000000000000001000000:1E78 00000000000000000000000000000000:0000 0A "
     "00000000:00000000 00:00000000 00000000 0 0 1",
     AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET6},
    /* states 00, 0C, 3 digits, 1 digit */
    {"0: 0100007F:0016 00000000:0000 00 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0C 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 00A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    /* queues: 9 digits, missing colon, garbage */
    {"0: 0100007F:0016 00000000:0000 0A 100000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 0000000000000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:0000000Z 00:00000000 00000000 0 0 1", AF_INET},
    /* timer kind 5, timer garbage */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 05:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 0000000000 00000000 0 0 1", AF_INET},
    /* retransmits above 32 bits, not hex */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 100000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 0000000x 0 0 1", AF_INET},
    /* uid: 2^32, negative, hex */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 4294967296 0 1",
     AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 -1 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0x10 0 1", AF_INET},
    /* timeout garbage */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 abc 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 - 1", AF_INET},
    /* inode: 2^64, negative, garbage */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 "
     "18446744073709551616",
     AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 -5", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 12a", AF_INET},
    /* bytes next to the hex digits' ranges, and a digit with its top bit set */
    {"0: 0100007/:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007@:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007`:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007g:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007\x19:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007\xb0:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 \xb1 0 1", AF_INET},
    /* a word of 8 hex digits that goes on; queues of 9 digits after the colon */
    {"0: 0100007F0:016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A 00000000:000000000 00:00000000 00000000 0 0 1", AF_INET},
    /* retransmits of 17 digits; a field glued to the next */
    {"0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000000000000 0 0 1",
     AF_INET},
    {"0: 0100007F:0016 00000000:0000 0A00000000:00000000 00:00000000 00000000 0 0 1", AF_INET},
    /* the kernel's header line is not a row */
    {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
     "inode",
     AF_INET},
};

START_TEST(test_proc_line_bad)
{
	struct tc_sock sk;
	const char *why = NULL;
	int r = parse(bad_lines[_i].line, bad_lines[_i].family, &sk, &why);

	ck_assert_msg(r == -EINVAL, "accepted: \"%s\"", bad_lines[_i].line);
	ck_assert_msg(why && *why, "no reason for \"%s\"", bad_lines[_i].line);
}
END_TEST

/* ---- the walker ---- */

static char tmpdir[256];

/* One directory for the walker tests, made and removed by the parent
 * process (an unchecked fixture), so a failing test, which exits at once,
 * leaves nothing behind. */
static void tmp_setup(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/tcpdoc-unit-XXXXXX", t && *t ? t : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[1024];

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		rm_rf(sub);
	}
	closedir(d);
	rmdir(path);
}

static void tmp_teardown(void)
{
	if (tmpdir[0])
		rm_rf(tmpdir);
	tmpdir[0] = '\0';
}

static const char *tmp_write(const char *name, const void *data, size_t len)
{
	static char path[4][1024];
	static unsigned next;
	char *p = path[next++ % 4];
	FILE *fp;

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	/* mkdir -p of the directories in name */
	for (const char *sl = strchr(name, '/'); sl; sl = strchr(sl + 1, '/')) {
		char dir[1024];

		snprintf(dir, sizeof(dir), "%s/%.*s", tmpdir, (int)(sl - name), name);
		mkdir(dir, 0700);
	}
	fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

#define HDR                                                                                        \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
	"timeout inode\n"
#define ROW(sl, port)                                                                              \
	"  " #sl ": 0100007F:" port                                                                \
	" 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "                          \
	"       0 " #sl "00 1 0000000000000000 100 0 0 10 0\n"

START_TEST(test_walk_no_final_newline)
{
	static const char text[] =
	    HDR ROW(1, "0016") "   2: 0100007F:0017 00000000:0000 0A "
			       "00000000:00000000 00:00000000 00000000 0 0 42";
	struct sockvec sv = {0};
	struct tc_err err = {0};
	const char *p = tmp_write("tcp", text, sizeof(text) - 1);

	ck_assert_int_eq(proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 2);
	ck_assert_uint_eq(sv.v[1].sport, 23);
	ck_assert_uint_eq(sv.v[1].inode, 42);
	sockvec_free(&sv);
}
END_TEST

START_TEST(test_walk_header_only_empty_blank)
{
	static const char blanks[] = HDR "\n" ROW(1, "0016") "   \n\t\n" ROW(2, "0017") "\n\n";
	struct sockvec sv = {0};
	struct tc_err err = {0};
	const char *p;

	p = tmp_write("hdr", HDR, sizeof(HDR) - 1);
	ck_assert_int_eq(proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 0);
	p = tmp_write("empty", "", 0);
	ck_assert_int_eq(proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 0);
	p = tmp_write("blanks", blanks, sizeof(blanks) - 1);
	ck_assert_int_eq(proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err), 1);
	ck_assert_uint_eq(sv.n, 2);
	ck_assert_str_eq(err.msg, "");
	sockvec_free(&sv);
}
END_TEST

START_TEST(test_walk_nul_byte)
{
	/* the NUL sits in a column the parser ignores: only the binary check
	 * can catch it */
	static const char text[] =
	    HDR ROW(1, "0016") "   2: 0100007F:0017 00000000:0000 0A "
			       "00000000:00000000 00:00000000 00000000 0 0 42 1 0000\0000\n";
	struct sockvec sv = {0};
	struct tc_err err = {0};
	const char *p = tmp_write("tcp", text, sizeof(text) - 1);

	ck_assert_int_lt(proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err), 0);
	ck_assert_msg(strstr(err.msg, ":3:") != NULL, "message does not name line 3: %s", err.msg);
	ck_assert_msg(strstr(err.msg, "binary") != NULL, "message: %s", err.msg);
	ck_assert_uint_eq(sv.n, 1);
	sockvec_free(&sv);
}
END_TEST

START_TEST(test_walk_long_line)
{
	size_t n = 6000;
	char *text = malloc(sizeof(HDR) + sizeof(ROW(1, "0016")) + n + 2);
	size_t o = 0;
	struct sockvec sv = {0};
	struct tc_err err = {0};
	const char *p;
	int r;

	ck_assert_ptr_nonnull(text);
	memcpy(text, HDR ROW(1, "0016"), sizeof(HDR ROW(1, "0016")) - 1);
	o = sizeof(HDR ROW(1, "0016")) - 1;
	memset(text + o, ' ', n);
	o += n;
	text[o++] = '\n';
	p = tmp_write("tcp", text, o);
	r = proc_walk_file(p, AF_INET, NULL, sockvec_cb, &sv, &err);
	ck_assert_int_eq(r, -E2BIG);
	ck_assert_msg(strstr(err.msg, ":3:") != NULL, "message does not name line 3: %s", err.msg);
	ck_assert_uint_eq(sv.n, 1);
	free(text);
	sockvec_free(&sv);
}
END_TEST

struct acc {
	uint64_t count[TC_NSTATES + 1];
	uint64_t n, inode_sum, uid_sum, port_sum;
	long stop_after; /* return 0 after this many; -1 never */
	int fail_with;	 /* return this after stop_after when negative */
};

static int acc_cb(const struct tc_sock *sk, void *arg)
{
	struct acc *a = arg;

	ck_assert_uint_le(sk->state, TC_NSTATES);
	a->count[sk->state]++;
	a->n++;
	a->inode_sum += sk->inode;
	a->uid_sum += sk->uid;
	a->port_sum += sk->sport + sk->dport;
	if (a->stop_after >= 0 && a->n >= (uint64_t)a->stop_after)
		return a->fail_with ? a->fail_with : 0;
	return 1;
}

/* Far more than the 256 KiB read buffer: rows straddle every refill. */
START_TEST(test_walk_large_file)
{
	enum {
		N = 30000
	};
	size_t cap = (size_t)N * 200 + 200, o = 0;
	char *text = malloc(cap);
	struct acc a = {.stop_after = -1};
	struct tc_err err = {0};
	uint64_t want_ports = 0, want_uids = 0;
	const char *p;

	ck_assert_ptr_nonnull(text);
	o += (size_t)snprintf(text + o, cap - o, "%s", HDR);
	for (int i = 0; i < N; i++) {
		/* every third row padded the way the kernel pads tcp rows */
		o +=
		    (size_t)snprintf(text + o, cap - o,
				     "%5d: %08X:%04X 0100007F:%04X %02X 00000000:00000000 "
				     "00:00000000 00000000 %5d        0 %d 1 0000000000000000 20 4 "
				     "30 10 -1%*s\n",
				     i, 0x0100000A + (i % 7), 1 + i % 65535, 8000 + i % 9,
				     1 + i % TC_NSTATES, i % 3, 1000000 + i, i % 3 ? 0 : 40, "");
		want_ports += (uint64_t)(1 + i % 65535) + (uint64_t)(8000 + i % 9);
		want_uids += (uint64_t)(i % 3);
	}
	ck_assert_uint_gt(o, 4 * 256 * 1024);
	p = tmp_write("tcp", text, o);
	ck_assert_int_eq(proc_walk_file(p, AF_INET, NULL, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.n, N);
	for (int s = 1; s <= TC_NSTATES; s++)
		ck_assert_uint_eq(a.count[s], N / TC_NSTATES + (s <= N % TC_NSTATES));
	ck_assert_uint_eq(a.inode_sum, (uint64_t)N * 1000000 + (uint64_t)N * (N - 1) / 2);
	ck_assert_uint_eq(a.uid_sum, want_uids);
	ck_assert_uint_eq(a.port_sum, want_ports);
	free(text);
}
END_TEST

START_TEST(test_walk_callback_stops_and_fails)
{
	const char *path = fixture("linux-6.18-zoo/net/tcp");
	struct acc a = {.stop_after = 5};
	struct tc_err err = {0};

	ck_assert_int_eq(proc_walk_file(path, AF_INET, NULL, acc_cb, &a, &err), 0);
	ck_assert_uint_eq(a.n, 5);
	ck_assert_str_eq(err.msg, "");

	memset(&a, 0, sizeof(a));
	a.stop_after = 3;
	a.fail_with = -ENOMEM;
	ck_assert_int_eq(proc_walk_file(path, AF_INET, NULL, acc_cb, &a, &err), -ENOMEM);
	ck_assert_uint_eq(a.n, 3);

	/* proc_walk stops too: tcp6 is not read after a stop in tcp */
	memset(&a, 0, sizeof(a));
	a.stop_after = 73;
	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), NULL, acc_cb, &a, &err), 0);
	ck_assert_uint_eq(a.n, 73);
}
END_TEST

START_TEST(test_walk_filtered)
{
	struct acc a = {.stop_after = -1};
	struct tc_err err = {0};
	struct tc_filter f;

	memset(&f, 0, sizeof(f));
	f.states = STBIT(TC_STATE_LISTEN) | STBIT(TC_STATE_TIME_WAIT);
	ck_assert_int_eq(filter_compile(&f, &err), 0);
	ck_assert_int_eq(
	    proc_walk_file(fixture("linux-6.18-zoo/net/tcp"), AF_INET, &f, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.count[TC_STATE_LISTEN], 12);
	ck_assert_uint_eq(a.count[TC_STATE_TIME_WAIT], 5);
	ck_assert_uint_eq(a.n, 17);

	/* --sport 9000: the listener and its 20 request sockets */
	memset(&f, 0, sizeof(f));
	memset(&a, 0, sizeof(a));
	a.stop_after = -1;
	ck_assert_int_eq(filter_parse_ports("9000", &f.sport, &err), 0);
	ck_assert_int_eq(filter_compile(&f, &err), 0);
	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), &f, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.n, 21);
	ck_assert_uint_eq(a.count[TC_STATE_SYN_RECV], 20);

	/* -6: tcp is not read at all; -4: tcp6 is not */
	memset(&f, 0, sizeof(f));
	memset(&a, 0, sizeof(a));
	a.stop_after = -1;
	f.family = AF_INET6;
	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), &f, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.n, 8);
	memset(&a, 0, sizeof(a));
	a.stop_after = -1;
	f.family = AF_INET;
	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), &f, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.n, 73);
}
END_TEST

START_TEST(test_walk_missing_and_unreadable)
{
	struct acc a = {.stop_after = -1};
	struct tc_err err = {0};
	char path[1024];
	int r;

	snprintf(path, sizeof(path), "%s/nonexistent", tmpdir);
	/* missing: -ENOENT without a message, so a missing tcp6 can mean "no IPv6" */
	ck_assert_int_eq(proc_walk_file(path, AF_INET, NULL, acc_cb, &a, &err), -ENOENT);
	ck_assert_str_eq(err.msg, "");
	/* a directory opens but cannot be read */
	r = proc_walk_file(tmpdir, AF_INET, NULL, acc_cb, &a, &err);
	ck_assert_int_lt(r, 0);
	ck_assert_msg(err.msg[0] != '\0', "no message for reading a directory");
	ck_assert_uint_eq(a.n, 0);
}
END_TEST

START_TEST(test_walk_dir)
{
	static const char text[] = HDR ROW(1, "0016") ROW(2, "0017");
	struct acc a = {.stop_after = -1};
	struct tc_err err = {0};
	char dir[1024];
	int r;

	/* no tcp6: IPv4 only, no error */
	tmp_write("snap/net/tcp", text, sizeof(text) - 1);
	snprintf(dir, sizeof(dir), "%s/snap", tmpdir);
	ck_assert_int_eq(proc_walk(dir, NULL, acc_cb, &a, &err), 1);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_str_eq(err.msg, "");

	/* no tcp: an error naming it */
	snprintf(dir, sizeof(dir), "%s/none", tmpdir);
	r = proc_walk(dir, NULL, acc_cb, &a, &err);
	ck_assert_int_eq(r, -ENOENT);
	ck_assert_msg(strstr(err.msg, "/none/net/tcp") != NULL, "message: %s", err.msg);

	/* a broken tcp: the error, and tcp6 never read */
	memset(&err, 0, sizeof(err));
	memset(&a, 0, sizeof(a));
	a.stop_after = -1;
	tmp_write("bad/net/tcp", HDR "   0: 00000000:A6C0 00000000:0000 01 000000\n",
		  sizeof(HDR "   0: 00000000:A6C0 00000000:0000 01 000000\n") - 1);
	tmp_write("bad/net/tcp6", text, sizeof(text) - 1);
	snprintf(dir, sizeof(dir), "%s/bad", tmpdir);
	ck_assert_int_eq(proc_walk(dir, NULL, acc_cb, &a, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "net/tcp:2:") != NULL, "message: %s", err.msg);
	ck_assert_uint_eq(a.n, 0);
}
END_TEST

/* ---- the zoo: per-state counts against ss ---- */

/* expected/state-counts.txt: "NAME COUNT" per line, in ss's names. */
static void read_state_counts(uint64_t want[TC_NSTATES + 1])
{
	char *text = slurp(fixture("linux-6.18-zoo/expected/state-counts.txt"), NULL);
	char *save = NULL;
	int lines = 0;

	memset(want, 0, sizeof(uint64_t) * (TC_NSTATES + 1));
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long n;
		int st;

		ck_assert_msg(sscanf(l, "%63s %llu", name, &n) == 2, "bad line: %s", l);
		st = state_lookup(name);
		ck_assert_msg(st >= 1 && st <= TC_NSTATES, "ss state name %s not known", name);
		ck_assert_msg(want[st] == 0, "%s twice", name);
		want[st] = n;
		lines++;
	}
	ck_assert_int_eq(lines, 10);
	free(text);
}

START_TEST(test_zoo_state_counts_proc)
{
	uint64_t want[TC_NSTATES + 1];
	struct tc_tally t;
	struct tc_err err = {0};
	struct sockvec sv = {0};
	uint64_t total = 0;

	read_state_counts(want);
	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), NULL, sockvec_cb, &sv, &err), 1);
	tally_init(&t, TC_BY_NONE);
	for (size_t i = 0; i < sv.n; i++)
		ck_assert_int_eq(tally_add(&t, &sv.v[i]), 0);
	for (unsigned s = 1; s <= TC_NSTATES; s++) {
		ck_assert_msg(tally_state(&t, s) == want[s], "%s: %llu from /proc, ss counted %llu",
			      state_name(s), (unsigned long long)tally_state(&t, s),
			      (unsigned long long)want[s]);
		total += want[s];
	}
	ck_assert_uint_eq(t.total, total);
	ck_assert_uint_eq(t.total, 81);
	tally_free(&t);
	sockvec_free(&sv);
}
END_TEST

/* /proc and the sock_diag dump of the same moment describe the same 81
 * sockets: one to one, with the same inode, uid, queues and timer kind. */
START_TEST(test_zoo_proc_matches_diag)
{
	struct sockvec pv = {0}, dv = {0};
	struct tc_err err = {0};
	char used[256] = {0};

	ck_assert_int_eq(proc_walk(fixture("linux-6.18-zoo"), NULL, sockvec_cb, &pv, &err), 1);
	ck_assert_int_eq(diagfile_walk(fixture("linux-6.18-zoo/expected/ss-diag.dump"), NULL,
				       sockvec_cb, &dv, &err),
			 1);
	ck_assert_uint_eq(pv.n, 81);
	ck_assert_uint_eq(dv.n, 81);
	for (size_t i = 0; i < pv.n; i++) {
		const struct tc_sock *p = &pv.v[i], *d = NULL;
		char l[96], r[96];

		sk_local(p, l, sizeof(l));
		sk_peer(p, r, sizeof(r));
		for (size_t j = 0; j < dv.n; j++) {
			const struct tc_sock *c = &dv.v[j];

			if (!used[j] && c->family == p->family && c->state == p->state &&
			    c->sport == p->sport && c->dport == p->dport &&
			    memcmp(c->src, p->src, 16) == 0 && memcmp(c->dst, p->dst, 16) == 0) {
				d = c;
				used[j] = 1;
				break;
			}
		}
		ck_assert_msg(d != NULL, "/proc socket %s %s -> %s not in the diag dump",
			      state_name(p->state), l, r);
		ck_assert_msg(d->inode == p->inode, "%s -> %s: inode %llu vs %llu", l, r,
			      (unsigned long long)p->inode, (unsigned long long)d->inode);
		ck_assert_msg(d->uid == p->uid, "%s -> %s: uid", l, r);
		ck_assert_msg(d->rqueue == p->rqueue, "%s -> %s: rqueue %u vs %u", l, r, p->rqueue,
			      d->rqueue);
		if (p->state != TC_STATE_LISTEN)
			ck_assert_msg(d->wqueue == p->wqueue, "%s -> %s: wqueue %u vs %u", l, r,
				      p->wqueue, d->wqueue);
		else
			ck_assert_uint_eq(p->wqueue, 0); /* the backlog is not in /proc */
		ck_assert_msg(d->timer == p->timer, "%s -> %s: timer %u vs %u", l, r, p->timer,
			      d->timer);
		ck_assert_msg(d->retrans == p->retrans, "%s -> %s: retrans %u vs %u", l, r,
			      p->retrans, d->retrans);
		/* keepalive and timewait timers only run down: the dump came first */
		if (p->timer == TC_TIMER_KEEPALIVE || p->timer == TC_TIMER_TIMEWAIT)
			ck_assert_msg(
			    d->expires_ms >= p->expires_ms && d->expires_ms <= p->expires_ms + 2000,
			    "%s -> %s: expires %llu (proc) vs %llu (diag)", l, r,
			    (unsigned long long)p->expires_ms, (unsigned long long)d->expires_ms);
	}
	sockvec_free(&pv);
	sockvec_free(&dv);
}
END_TEST

Suite *suite_proc(void)
{
	Suite *s = suite_create("proc");
	TCase *tf = tcase_create("fixtures");
	TCase *tl = tcase_create("lines");
	TCase *tw = tcase_create("walk");

	tcase_add_loop_test(tf, test_proc_fixture_good, 0, (int)(sizeof(good) / sizeof(good[0])));
	tcase_add_loop_test(tf, test_proc_fixture_broken, 0,
			    (int)(sizeof(broken) / sizeof(broken[0])));
	tcase_add_test(tf, test_proc_fixture_inventory);
	tcase_add_test(tf, test_zoo_state_counts_proc);
	tcase_add_test(tf, test_zoo_proc_matches_diag);
	suite_add_tcase(s, tf);

	tcase_add_test(tl, test_proc_line_big_numbers);
	tcase_add_test(tl, test_proc_line_shapes);
	tcase_add_test(tl, test_proc_line_word_edges);
	tcase_add_loop_test(tl, test_proc_line_one_byte_off, 0,
			    (int)(sizeof(kernel_rows) / sizeof(kernel_rows[0])));
	tcase_add_test(tl, test_proc_line_len_respected);
	tcase_add_loop_test(tl, test_proc_line_bad, 0,
			    (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	suite_add_tcase(s, tl);

	tcase_add_unchecked_fixture(tw, tmp_setup, tmp_teardown);
	tcase_set_timeout(tw, 60);
	tcase_add_test(tw, test_walk_no_final_newline);
	tcase_add_test(tw, test_walk_header_only_empty_blank);
	tcase_add_test(tw, test_walk_nul_byte);
	tcase_add_test(tw, test_walk_long_line);
	tcase_add_test(tw, test_walk_large_file);
	tcase_add_test(tw, test_walk_callback_stops_and_fails);
	tcase_add_test(tw, test_walk_filtered);
	tcase_add_test(tw, test_walk_missing_and_unreadable);
	tcase_add_test(tw, test_walk_dir);
	suite_add_tcase(s, tw);
	return s;
}
