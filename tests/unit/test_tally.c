/* Counting: per state and family, grouped by each key, sorted with top N,
 * and a hundred thousand distinct groups to make the hash table grow. */
#include <arpa/inet.h>
#include <check.h>
#include <pwd.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers.h"
#include "model/state.h"
#include "model/tally.h"
#include "suites.h"

static struct tc_sock sock(int state, const char *src, uint16_t sport, const char *dst,
			   uint16_t dport, uint32_t uid)
{
	struct tc_sock sk;
	int fam = strchr(src, ':') ? AF_INET6 : AF_INET;

	memset(&sk, 0, sizeof(sk));
	sk.family = (uint8_t)fam;
	sk.state = (uint8_t)state;
	ck_assert_int_eq(inet_pton(fam, src, sk.src), 1);
	ck_assert_int_eq(inet_pton(fam, dst, sk.dst), 1);
	sk.sport = sport;
	sk.dport = dport;
	sk.uid = uid;
	return sk;
}

/* A small population used by several tests. */
static void add_population(struct tc_tally *t)
{
	const struct tc_sock s[] = {
	    sock(TC_STATE_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0, 0),
	    sock(TC_STATE_ESTABLISHED, "10.0.0.1", 80, "10.0.0.9", 40000, 33),
	    sock(TC_STATE_ESTABLISHED, "10.0.0.1", 80, "10.0.0.9", 40001, 33),
	    sock(TC_STATE_TIME_WAIT, "10.0.0.1", 80, "10.0.0.8", 40002, 0),
	    sock(TC_STATE_CLOSE_WAIT, "10.0.0.1", 443, "10.0.0.9", 40003, 33),
	    sock(TC_STATE_ESTABLISHED, "10.0.0.2", 50000, "10.0.0.1", 5432, 1000),
	    sock(TC_STATE_LISTEN, "::", 80, "::", 0, 0),
	    sock(TC_STATE_ESTABLISHED, "2001:db8::1", 80, "2001:db8::9", 40000, 33),
	    sock(TC_STATE_SYN_RECV, "2001:db8::1", 80, "2001:db8::9", 40005, 0),
	    sock(TC_STATE_FIN_WAIT2, "::1", 6000, "::1", 7000, 1000),
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		ck_assert_int_eq(tally_add(t, &s[i]), 0);
}

/* What a user group is called: the name in the password database, else the uid. */
static void user_key(unsigned uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%u", uid);
}

START_TEST(test_tally_counts)
{
	struct tc_tally t;

	tally_init(&t, TC_BY_NONE);
	ck_assert_uint_eq(t.total, 0);
	for (unsigned s = 0; s <= 14; s++)
		ck_assert_uint_eq(tally_state(&t, s), 0);
	add_population(&t);
	ck_assert_uint_eq(t.total, 10);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_LISTEN), 2);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_ESTABLISHED), 4);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_TIME_WAIT), 1);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_CLOSE_WAIT), 1);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_SYN_RECV), 1);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_FIN_WAIT2), 1);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_CLOSING), 0);
	ck_assert_uint_eq(tally_state(&t, 12), 0);
	ck_assert_uint_eq(tally_state(&t, 1000), 0);
	/* per family */
	ck_assert_uint_eq(t.count[0][TC_STATE_ESTABLISHED], 3);
	ck_assert_uint_eq(t.count[1][TC_STATE_ESTABLISHED], 1);
	ck_assert_uint_eq(t.count[0][TC_STATE_LISTEN], 1);
	ck_assert_uint_eq(t.count[1][TC_STATE_LISTEN], 1);
	ck_assert_uint_eq(t.count[1][TC_STATE_SYN_RECV], 1);
	ck_assert_uint_eq(t.count[0][TC_STATE_SYN_RECV], 0);
	/* no grouping: no memory for groups */
	ck_assert_uint_eq(t.ngroups, 0);
	ck_assert_ptr_null(t.groups);
	tally_free(&t);
	tally_free(&t); /* twice is harmless */
}
END_TEST

START_TEST(test_tally_parse_by)
{
	static const struct {
		const char *name;
		int by;
	} ok[] = {{"lport", TC_BY_LPORT},
		  {"rport", TC_BY_RPORT},
		  {"peer", TC_BY_PEER},
		  {"local", TC_BY_LOCAL},
		  {"user", TC_BY_USER}};
	static const char *const bad[] = {"", "none", "port", "LPORT", "peers", "lport ", "uid"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int by = -1;
		struct tc_err err = {0};

		ck_assert_int_eq(tally_parse_by(ok[i].name, &by, &err), 0);
		ck_assert_int_eq(by, ok[i].by);
		ck_assert_str_eq(tally_by_name(ok[i].by), ok[i].name);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int by = -7;
		struct tc_err err = {0};

		ck_assert_msg(tally_parse_by(bad[i], &by, &err) == -EINVAL, "'%s' accepted",
			      bad[i]);
		ck_assert_int_eq(err.kind, TC_ERR_USAGE);
		ck_assert(err.msg[0] != '\0');
		ck_assert_int_eq(by, -7);
	}
	ck_assert_str_eq(tally_by_name(TC_BY_NONE), "none");
	ck_assert_str_eq(tally_by_name(99), "unknown");
	ck_assert_str_eq(tally_by_name(-1), "unknown");
}
END_TEST

/* Groups after sorting, as "key:total:state=count,..." for comparison. */
static void groups_text(struct tc_tally *t, size_t top, char *buf, size_t size)
{
	size_t n = tally_sort_groups(t, top), o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct tc_group *g = &t->groups[i];
		char key[64];

		tally_group_key(t, g, key, sizeof(key));
		o += (size_t)snprintf(buf + o, size - o, "%s%s:%llu", i ? " " : "", key,
				      (unsigned long long)g->total);
		for (int s = 0; s < TC_NSTATES; s++) {
			unsigned st = tc_state_order[s];

			if (g->count[st])
				o +=
				    (size_t)snprintf(buf + o, size - o, ",%s=%llu", state_label(st),
						     (unsigned long long)g->count[st]);
		}
		ck_assert_uint_lt(o, size);
	}
}

START_TEST(test_tally_group_keys)
{
	static const struct {
		int by;
		size_t ngroups;
		const char *want;
	} cases[] = {
	    /* ties by key: port/uid ascending; address: IPv4 before IPv6, then bytes */
	    {TC_BY_LPORT, 4,
	     "80:7,listen=2,syn_recv=1,established=3,time_wait=1 443:1,close_wait=1 "
	     "6000:1,fin_wait2=1 50000:1,established=1"},
	    {TC_BY_RPORT, 8,
	     "0:2,listen=2 40000:2,established=2 5432:1,established=1 7000:1,fin_wait2=1 "
	     "40001:1,established=1 40002:1,time_wait=1 40003:1,close_wait=1 "
	     "40005:1,syn_recv=1"},
	    {TC_BY_PEER, 7,
	     "10.0.0.9:3,established=2,close_wait=1 2001:db8::9:2,syn_recv=1,established=1 "
	     "0.0.0.0:1,listen=1 10.0.0.1:1,established=1 10.0.0.8:1,time_wait=1 :::1,listen=1 "
	     "::1:1,fin_wait2=1"},
	    {TC_BY_LOCAL, 6,
	     "10.0.0.1:4,established=2,close_wait=1,time_wait=1 2001:db8::1:2,syn_recv=1,"
	     "established=1 0.0.0.0:1,listen=1 10.0.0.2:1,established=1 :::1,listen=1 "
	     "::1:1,fin_wait2=1"},
	    /* user keys are names from the password database: see user_want */
	    {TC_BY_USER, 3,
	     "%s:4,listen=2,syn_recv=1,time_wait=1 %s:4,established=3,close_wait=1 "
	     "%s:2,established=1,fin_wait2=1"},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct tc_tally t;
		char buf[1024];

		tally_init(&t, cases[c].by);
		add_population(&t);
		ck_assert_uint_eq(t.total, 10);
		ck_assert_msg(t.ngroups == cases[c].ngroups, "by %s: %zu groups, want %zu",
			      tally_by_name(cases[c].by), t.ngroups, cases[c].ngroups);
		groups_text(&t, 0, buf, sizeof(buf));
		if (cases[c].by == TC_BY_USER) {
			char want[1024], u0[64], u33[64], u1000[64];

			user_key(0, u0, sizeof(u0));
			user_key(33, u33, sizeof(u33));
			user_key(1000, u1000, sizeof(u1000));
			snprintf(want, sizeof(want),
				 "%s:4,listen=2,syn_recv=1,time_wait=1 %s:4,established=3,"
				 "close_wait=1 %s:2,established=1,fin_wait2=1",
				 u0, u33, u1000);
			ck_assert_msg(strcmp(buf, want) == 0, "by user:\n  got  %s\n  want %s", buf,
				      want);
		} else {
			ck_assert_msg(strcmp(buf, cases[c].want) == 0,
				      "by %s:\n  got  %s\n  want %s", tally_by_name(cases[c].by),
				      buf, cases[c].want);
		}
		tally_free(&t);
	}
}
END_TEST

/* An IPv4 key is its 4 bytes and family: bytes past them do not split groups,
 * and an IPv6 address starting with the same bytes is another group. */
START_TEST(test_tally_group_family)
{
	struct tc_tally t;
	struct tc_sock a = sock(TC_STATE_ESTABLISHED, "10.0.0.1", 1, "10.0.0.9", 2, 0);
	struct tc_sock b = a;
	struct tc_sock c = sock(TC_STATE_ESTABLISHED, "::1", 1, "a00:9::", 2, 0);

	memset(b.dst + 4, 0xab, 12);
	tally_init(&t, TC_BY_PEER);
	ck_assert_int_eq(tally_add(&t, &a), 0);
	ck_assert_int_eq(tally_add(&t, &b), 0);
	ck_assert_int_eq(tally_add(&t, &c), 0);
	ck_assert_uint_eq(t.ngroups, 2);
	ck_assert_uint_eq(tally_sort_groups(&t, 0), 2);
	ck_assert_uint_eq(t.groups[0].total, 2);
	ck_assert_uint_eq(t.groups[0].family, AF_INET);
	ck_assert_uint_eq(t.groups[1].family, AF_INET6);
	tally_free(&t);
}
END_TEST

START_TEST(test_tally_sort_top)
{
	struct tc_tally t;
	char buf[1024];

	tally_init(&t, TC_BY_LPORT);
	add_population(&t);
	groups_text(&t, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80:7,listen=2,syn_recv=1,established=3,time_wait=1 "
			      "443:1,close_wait=1");
	/* every group stays available: top only says how many to show */
	ck_assert_uint_eq(t.ngroups, 4);
	tally_free(&t);

	tally_init(&t, TC_BY_LPORT);
	add_population(&t);
	ck_assert_uint_eq(tally_sort_groups(&t, 100), 4);
	tally_free(&t);

	tally_init(&t, TC_BY_LPORT);
	add_population(&t);
	ck_assert_uint_eq(tally_sort_groups(&t, 1), 1);
	ck_assert_uint_eq(t.groups[0].num, 80);
	tally_free(&t);

	/* nothing counted */
	tally_init(&t, TC_BY_PEER);
	ck_assert_uint_eq(tally_sort_groups(&t, 0), 0);
	ck_assert_uint_eq(tally_sort_groups(&t, 5), 0);
	tally_free(&t);
}
END_TEST

/* Regression (found by this test, fixed in baf44e5): a second
 * tally_sort_groups returned 0 and forgot every group, since the first call
 * sets cap to 0 and the next compaction ran over cap entries. Sorting is
 * idempotent: same count, same order. */
START_TEST(test_tally_sort_twice)
{
	struct tc_tally t;
	size_t first, second;

	tally_init(&t, TC_BY_LPORT);
	add_population(&t);
	first = tally_sort_groups(&t, 0);
	ck_assert_uint_eq(first, 4);
	second = tally_sort_groups(&t, 0);
	ck_assert_msg(second == first, "second tally_sort_groups returned %zu, first %zu", second,
		      first);
	ck_assert_uint_eq(t.ngroups, 4);
	ck_assert_uint_eq(t.groups[0].num, 80);
	tally_free(&t);
}
END_TEST

/* Regression (found by this test, fixed in 245a0b5): tally_add after
 * tally_sort_groups lost every group counted before (group_grow rehashed the
 * cap = 0 entries of the sorted array and freed it). tally.h now promises
 * that counting goes on after sorting. */
START_TEST(test_tally_add_after_sort)
{
	struct tc_tally t;
	const struct tc_sock extra = sock(TC_STATE_ESTABLISHED, "10.0.0.3", 9999, "10.0.0.9", 1, 0);
	const struct tc_sock more80 = sock(TC_STATE_TIME_WAIT, "10.0.0.3", 80, "10.0.0.9", 2, 0);
	uint64_t sum = 0;
	size_t n;

	tally_init(&t, TC_BY_LPORT);
	add_population(&t);
	ck_assert_uint_eq(tally_sort_groups(&t, 0), 4);
	ck_assert_int_eq(tally_add(&t, &extra), 0);
	ck_assert_int_eq(tally_add(&t, &more80), 0);
	n = tally_sort_groups(&t, 0);
	for (size_t i = 0; i < n; i++)
		sum += t.groups[i].total;
	ck_assert_msg(n == 5, "after one more port: %zu groups, want 5", n);
	ck_assert_msg(sum == t.total, "groups hold %llu sockets, the tally %llu",
		      (unsigned long long)sum, (unsigned long long)t.total);
	ck_assert_uint_eq(t.total, 12);
	/* port 80 kept its counts and got one more */
	ck_assert_uint_eq(t.groups[0].num, 80);
	ck_assert_uint_eq(t.groups[0].total, 8);
	ck_assert_uint_eq(t.groups[0].count[TC_STATE_TIME_WAIT], 2);
	ck_assert_uint_eq(t.groups[n - 1].num, 50000);
	tally_free(&t);
}
END_TEST

/* A walk done over (the dump was interrupted): tally_reset starts from zero
 * and keeps the grouping and the owner function, also after a sort. */
static void owner_stub(void *arg, const struct tc_sock *sk, uint32_t *pid, char name[64])
{
	(void)arg;
	(void)sk;
	*pid = 1;
	snprintf(name, 64, "stub");
}

START_TEST(test_tally_reset)
{
	struct tc_tally t;
	int arg;
	uint64_t once[2][TC_NSTATES + 1];
	size_t n;

	tally_init(&t, TC_BY_LPORT);
	t.owner = owner_stub;
	t.owner_arg = &arg;
	add_population(&t);
	memcpy(once, t.count, sizeof(once));
	tally_reset(&t);
	ck_assert_uint_eq(t.total, 0);
	ck_assert_uint_eq(t.ngroups, 0);
	ck_assert_uint_eq(tally_state(&t, TC_STATE_ESTABLISHED), 0);
	ck_assert_int_eq(t.by, TC_BY_LPORT);
	ck_assert_ptr_eq(t.owner, owner_stub);
	ck_assert_ptr_eq(t.owner_arg, &arg);
	add_population(&t);
	ck_assert_uint_eq(t.total, 10);
	ck_assert_mem_eq(t.count, once, sizeof(once));
	ck_assert_uint_eq(tally_sort_groups(&t, 0), 4);
	tally_reset(&t);
	add_population(&t);
	n = tally_sort_groups(&t, 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(t.groups[0].num, 80);
	ck_assert_uint_eq(t.groups[0].total, 7);
	tally_free(&t);
}
END_TEST

START_TEST(test_tally_group_key_text)
{
	struct tc_tally t;
	struct tc_group g;
	char buf[64];

	memset(&g, 0, sizeof(g));
	tally_init(&t, TC_BY_USER);
	g.num = 4294967295u;
	tally_group_key(&t, &g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "4294967295");
	/* a small buffer is cut, never overrun */
	memset(buf, 'Z', sizeof(buf));
	tally_group_key(&t, &g, buf, 4);
	ck_assert_str_eq(buf, "429");
	ck_assert_int_eq(buf[4], 'Z');

	t.by = TC_BY_LPORT;
	g.num = 65535;
	tally_group_key(&t, &g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "65535");

	t.by = TC_BY_PEER;
	g.family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.255", g.addr), 1);
	tally_group_key(&t, &g, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.255");
	g.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", g.addr), 1);
	tally_group_key(&t, &g, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "2001:db8::1") != NULL, "key %s", buf);
}
END_TEST

/* 100000 distinct peers, some seen more than once: the table grows many
 * times and keeps every count. */
START_TEST(test_tally_many_groups)
{
	enum {
		N = 100000
	};
	struct tc_tally t;
	struct tc_sock sk = sock(TC_STATE_ESTABLISHED, "10.0.0.1", 443, "10.0.0.1", 1, 0);
	uint64_t sum = 0;
	size_t shown;

	tally_init(&t, TC_BY_PEER);
	for (uint32_t i = 0; i < N; i++) {
		/* peer 172.16.0.0 + i; every 1000th peer 3 times more, peer 77 ten times */
		uint32_t a = htonl(0xac100000u + i);
		int times = 1 + (i % 1000 == 0 ? 3 : 0) + (i == 77 ? 9 : 0);

		memcpy(sk.dst, &a, 4);
		for (int k = 0; k < times; k++) {
			sk.state = (uint8_t)(k % 2 ? TC_STATE_TIME_WAIT : TC_STATE_ESTABLISHED);
			ck_assert_int_eq(tally_add(&t, &sk), 0);
		}
	}
	ck_assert_uint_eq(t.ngroups, N);
	ck_assert_uint_eq(t.total, N + 3 * (N / 1000) + 9);
	ck_assert_uint_ge(t.cap, N);
	shown = tally_sort_groups(&t, 10);
	ck_assert_uint_eq(shown, 10);
	ck_assert_uint_eq(t.ngroups, N);
	/* 172.16.0.77 first (10), then the 100 peers seen 4 times, by address */
	{
		char key[64];

		tally_group_key(&t, &t.groups[0], key, sizeof(key));
		ck_assert_str_eq(key, "172.16.0.77");
		ck_assert_uint_eq(t.groups[0].total, 10);
		ck_assert_uint_eq(t.groups[0].count[TC_STATE_ESTABLISHED], 5);
		ck_assert_uint_eq(t.groups[0].count[TC_STATE_TIME_WAIT], 5);
		tally_group_key(&t, &t.groups[1], key, sizeof(key));
		ck_assert_str_eq(key, "172.16.0.0");
		tally_group_key(&t, &t.groups[2], key, sizeof(key));
		ck_assert_str_eq(key, "172.16.3.232"); /* 1000 */
		/* only the top 10 are in order so far: now all of them */
		ck_assert_uint_eq(tally_sort_groups(&t, 0), N);
		tally_group_key(&t, &t.groups[100], key, sizeof(key));
		ck_assert_str_eq(key, "172.17.130.184"); /* 99000 */
		ck_assert_uint_eq(t.groups[100].total, 4);
		ck_assert_uint_eq(t.groups[101].total, 1);
		tally_group_key(&t, &t.groups[101], key, sizeof(key));
		ck_assert_str_eq(key, "172.16.0.1");
		tally_group_key(&t, &t.groups[N - 1], key, sizeof(key));
		ck_assert_str_eq(key, "172.17.134.159"); /* 99999 */
	}
	for (size_t i = 0; i < t.ngroups; i++) {
		sum += t.groups[i].total;
		if (i)
			ck_assert(t.groups[i - 1].total >= t.groups[i].total);
	}
	ck_assert_uint_eq(sum, t.total);
	tally_free(&t);
}
END_TEST

/* Many distinct users and local ports too; each key kind hashes apart. */
START_TEST(test_tally_many_users_ports)
{
	struct tc_tally tu, tp;
	struct tc_sock sk = sock(TC_STATE_ESTABLISHED, "10.0.0.1", 1, "10.0.0.2", 1, 0);

	tally_init(&tu, TC_BY_USER);
	tally_init(&tp, TC_BY_LPORT);
	for (uint32_t i = 0; i < 70000; i++) {
		sk.uid = i * 65537u;
		sk.sport = (uint16_t)i;
		ck_assert_int_eq(tally_add(&tu, &sk), 0);
		ck_assert_int_eq(tally_add(&tp, &sk), 0);
	}
	ck_assert_uint_eq(tu.ngroups, 70000);
	ck_assert_uint_eq(tp.ngroups, 65536);
	ck_assert_uint_eq(tally_sort_groups(&tp, 3), 3);
	/* ports 0..4463 were seen twice */
	ck_assert_uint_eq(tp.groups[0].num, 0);
	ck_assert_uint_eq(tp.groups[0].total, 2);
	ck_assert_uint_eq(tp.groups[4463].num, 4463);
	ck_assert_uint_eq(tp.groups[4464].total, 1);
	ck_assert_uint_eq(tp.groups[4464].num, 4464);
	tally_free(&tu);
	tally_free(&tp);
}
END_TEST

Suite *suite_tally(void)
{
	Suite *s = suite_create("tally");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tally_counts);
	tcase_add_test(tc, test_tally_parse_by);
	tcase_add_test(tc, test_tally_group_keys);
	tcase_add_test(tc, test_tally_group_family);
	tcase_add_test(tc, test_tally_sort_top);
	tcase_add_test(tc, test_tally_sort_twice);
	tcase_add_test(tc, test_tally_add_after_sort);
	tcase_add_test(tc, test_tally_reset);
	tcase_add_test(tc, test_tally_group_key_text);
	tcase_add_test(tc, test_tally_many_groups);
	tcase_add_test(tc, test_tally_many_users_ports);
	suite_add_tcase(s, tc);
	return s;
}
