/* Golden output of the renderers: the summary, grouped counts and the socket
 * list, as a pipe table, a terminal table, JSON and Prometheus text. The
 * input is ss1.dump (4 IPv4 + 3 IPv6 sockets) plus one crafted socket with
 * tcp_info. */
#include <arpa/inet.h>
#include <check.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers.h"
#include "model/state.h"
#include "model/tally.h"
#include "render/report.h"
#include "source/diagfile.h"
#include "suites.h"

static void load_ss1(struct sockvec *sv)
{
	struct tc_err err = {0};

	ck_assert_int_eq(diagfile_walk(fixture("iproute2-ss/ss1.dump"), NULL, sockvec_cb, sv, &err),
			 1);
	ck_assert_uint_eq(sv->n, 7);
}

static void ss1_tally(struct tc_tally *t, int by)
{
	struct sockvec sv = {0};

	load_ss1(&sv);
	tally_init(t, by);
	for (size_t i = 0; i < sv.n; i++)
		ck_assert_int_eq(tally_add(t, &sv.v[i]), 0);
	sockvec_free(&sv);
}

static const struct tc_meta meta = {.source = "diagfile", .netns = NULL};

static struct tc_out mkout(FILE *fp, int format, int tty, int header, int color)
{
	struct tc_out o = {
	    .fp = fp, .format = format, .tty = tty, .header = header, .color = color};

	return o;
}

/* ---- summary ---- */

static const char summary_pipe[] = "STATE COUNT IPV4 IPV6\n"
				   "LISTEN 2 1 1\n"
				   "SYN_SENT 0 0 0\n"
				   "SYN_RECV 0 0 0\n"
				   "ESTABLISHED 5 3 2\n"
				   "FIN_WAIT1 0 0 0\n"
				   "FIN_WAIT2 0 0 0\n"
				   "CLOSE_WAIT 0 0 0\n"
				   "CLOSING 0 0 0\n"
				   "LAST_ACK 0 0 0\n"
				   "TIME_WAIT 0 0 0\n"
				   "CLOSE 0 0 0\n"
				   "TOTAL 7 4 3\n";

static const char summary_tty[] = "STATE         COUNT    IPV4    IPV6\n"
				  "LISTEN            2       1       1\n"
				  "SYN_SENT          0       0       0\n"
				  "SYN_RECV          0       0       0\n"
				  "ESTABLISHED       5       3       2\n"
				  "FIN_WAIT1         0       0       0\n"
				  "FIN_WAIT2         0       0       0\n"
				  "CLOSE_WAIT        0       0       0\n"
				  "CLOSING           0       0       0\n"
				  "LAST_ACK          0       0       0\n"
				  "TIME_WAIT         0       0       0\n"
				  "CLOSE             0       0       0\n"
				  "TOTAL             7       4       3\n";

START_TEST(test_summary_table_pipe)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;

	ss1_tally(&t, TC_BY_NONE);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 1, 0);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c), summary_pipe);
	capture_free(&c);

	/* -H: the same without its first line */
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 0, 0);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c), strchr(summary_pipe, '\n') + 1);
	capture_free(&c);
	tally_free(&t);
}
END_TEST

START_TEST(test_summary_table_tty)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;

	ss1_tally(&t, TC_BY_NONE);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 1, 1, 0);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c), summary_tty);
	capture_free(&c);
	tally_free(&t);
}
END_TEST

/* Color: bold header and total, zero rows dimmed, every sequence closed. */
START_TEST(test_summary_table_color)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;

	ss1_tally(&t, TC_BY_NONE);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 1, 1, 1);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c), "\033[1mSTATE         COUNT    IPV4    IPV6\033[0m\n"
					 "LISTEN            2       1       1\n"
					 "\033[2mSYN_SENT          0       0       0\033[0m\n"
					 "\033[2mSYN_RECV          0       0       0\033[0m\n"
					 "ESTABLISHED       5       3       2\n"
					 "\033[2mFIN_WAIT1         0       0       0\033[0m\n"
					 "\033[2mFIN_WAIT2         0       0       0\033[0m\n"
					 "\033[2mCLOSE_WAIT        0       0       0\033[0m\n"
					 "\033[2mCLOSING           0       0       0\033[0m\n"
					 "\033[2mLAST_ACK          0       0       0\033[0m\n"
					 "\033[2mTIME_WAIT         0       0       0\033[0m\n"
					 "\033[2mCLOSE             0       0       0\033[0m\n"
					 "\033[1mTOTAL             7       4       3\033[0m\n");
	capture_free(&c);
	tally_free(&t);
}
END_TEST

START_TEST(test_summary_json)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	const struct tc_meta m2 = {.source = "proc", .netns = "blue\"ns\n"};

	ss1_tally(&t, TC_BY_NONE);
	o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c),
		       "{\"source\":\"diagfile\",\"netns\":null,\"states\":{\"LISTEN\":2,"
		       "\"SYN_SENT\":0,\"SYN_RECV\":0,\"ESTABLISHED\":5,\"FIN_WAIT1\":0,"
		       "\"FIN_WAIT2\":0,\"CLOSE_WAIT\":0,\"CLOSING\":0,\"LAST_ACK\":0,"
		       "\"TIME_WAIT\":0,\"CLOSE\":0},\"families\":{\"ipv4\":{\"LISTEN\":1,"
		       "\"SYN_SENT\":0,\"SYN_RECV\":0,\"ESTABLISHED\":3,\"FIN_WAIT1\":0,"
		       "\"FIN_WAIT2\":0,\"CLOSE_WAIT\":0,\"CLOSING\":0,\"LAST_ACK\":0,"
		       "\"TIME_WAIT\":0,\"CLOSE\":0},\"ipv6\":{\"LISTEN\":1,\"SYN_SENT\":0,"
		       "\"SYN_RECV\":0,\"ESTABLISHED\":2,\"FIN_WAIT1\":0,\"FIN_WAIT2\":0,"
		       "\"CLOSE_WAIT\":0,\"CLOSING\":0,\"LAST_ACK\":0,\"TIME_WAIT\":0,"
		       "\"CLOSE\":0}},\"total\":7}\n");
	capture_free(&c);

	/* the header flag and tty do not touch JSON; the netns name is escaped */
	o = mkout(capture_open(&c), TC_FMT_JSON, 1, 0, 0);
	report_summary(&o, &t, &m2);
	ck_assert_ptr_nonnull(strstr(
	    capture_text(&c), "{\"source\":\"proc\",\"netns\":\"blue\\\"ns\\n\",\"states\""));
	{
		const char *why = NULL;
		const char *text = capture_text(&c);

		ck_assert_msg(json_check(text, strlen(text), &why, NULL), "invalid: %s", why);
	}
	capture_free(&c);
	tally_free(&t);
}
END_TEST

static const char summary_prom_head[] = "# HELP tcpdoc_sockets TCP sockets by state and address "
					"family.\n"
					"# TYPE tcpdoc_sockets gauge\n";

START_TEST(test_summary_prom)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	const struct tc_meta m2 = {.source = "proc", .netns = "a\"b\\c\nd"};

	ss1_tally(&t, TC_BY_NONE);
	o = mkout(capture_open(&c), TC_FMT_PROM, 1, 1, 1);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c),
		       "# HELP tcpdoc_sockets TCP sockets by state and address family.\n"
		       "# TYPE tcpdoc_sockets gauge\n"
		       "tcpdoc_sockets{state=\"listen\",family=\"ipv4\"} 1\n"
		       "tcpdoc_sockets{state=\"syn_sent\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"syn_recv\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"established\",family=\"ipv4\"} 3\n"
		       "tcpdoc_sockets{state=\"fin_wait1\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"fin_wait2\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"close_wait\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"closing\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"last_ack\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"time_wait\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"close\",family=\"ipv4\"} 0\n"
		       "tcpdoc_sockets{state=\"listen\",family=\"ipv6\"} 1\n"
		       "tcpdoc_sockets{state=\"syn_sent\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"syn_recv\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"established\",family=\"ipv6\"} 2\n"
		       "tcpdoc_sockets{state=\"fin_wait1\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"fin_wait2\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"close_wait\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"closing\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"last_ack\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"time_wait\",family=\"ipv6\"} 0\n"
		       "tcpdoc_sockets{state=\"close\",family=\"ipv6\"} 0\n");
	capture_free(&c);

	/* a netns label, with Prometheus label escaping */
	o = mkout(capture_open(&c), TC_FMT_PROM, 0, 1, 0);
	report_summary(&o, &t, &m2);
	ck_assert_int_eq(
	    strncmp(capture_text(&c), summary_prom_head, sizeof(summary_prom_head) - 1), 0);
	ck_assert_msg(strstr(capture_text(&c),
			     "tcpdoc_sockets{state=\"established\","
			     "family=\"ipv6\",netns=\"a\\\"b\\\\c\\nd\"} 2\n") != NULL,
		      "netns label: %s", capture_text(&c));
	{
		/* 2 comment lines + 22 samples, one line each */
		size_t lines = 0;

		for (const char *p = capture_text(&c); *p; p++)
			lines += *p == '\n';
		ck_assert_uint_eq(lines, 24);
	}
	capture_free(&c);
	tally_free(&t);
}
END_TEST

/* ---- groups ---- */

START_TEST(test_groups_lport_table)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	size_t n;

	ss1_tally(&t, TC_BY_LPORT);
	n = tally_sort_groups(&t, 0);
	ck_assert_uint_eq(n, 3);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c),
		       "LPORT TOTAL LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 "
		       "CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE\n"
		       "22 5 2 0 0 3 0 0 0 0 0 0 0\n"
		       "36266 1 0 0 0 1 0 0 0 0 0 0 0\n"
		       "40520 1 0 0 0 1 0 0 0 0 0 0 0\n");
	capture_free(&c);

	o = mkout(capture_open(&c), TC_FMT_TABLE, 1, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c),
		       "LPORT   TOTAL LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 "
		       "CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE\n"
		       "22          5      2        0        0           3         0         0    "
		       "      0       0        0         0     0\n"
		       "36266       1      0        0        0           1         0         0    "
		       "      0       0        0         0     0\n"
		       "40520       1      0        0        0           1         0         0    "
		       "      0       0        0         0     0\n");
	capture_free(&c);

	/* top 1, no header */
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 0, 0);
	report_groups(&o, &t, 1, &meta);
	assert_text_eq(capture_text(&c), "22 5 2 0 0 3 0 0 0 0 0 0 0\n");
	capture_free(&c);
	tally_free(&t);
}
END_TEST

START_TEST(test_groups_peer_all_formats)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	size_t n;
	const struct tc_meta m2 = {.source = "netlink", .netns = "blue"};

	ss1_tally(&t, TC_BY_PEER);
	ck_assert_uint_eq(t.ngroups, 5);
	n = tally_sort_groups(&t, 3);
	ck_assert_uint_eq(n, 3);

	o = mkout(capture_open(&c), TC_FMT_TABLE, 1, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c),
		       "PEER             TOTAL LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 "
		       "FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE\n"
		       "10.0.0.1             2      0        0        0           2         0     "
		       "    0          0       0        0         0     0\n"
		       "fec0:42::1           2      0        0        0           2         0     "
		       "    0          0       0        0         0     0\n"
		       "0.0.0.0              1      1        0        0           0         0     "
		       "    0          0       0        0         0     0\n");
	capture_free(&c);

	o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c),
		       "{\"source\":\"diagfile\",\"netns\":null,\"by\":\"peer\",\"groups_total\":5,"
		       "\"groups\":[{\"key\":\"10.0.0.1\",\"total\":2,\"states\":{\"LISTEN\":0,"
		       "\"SYN_SENT\":0,\"SYN_RECV\":0,\"ESTABLISHED\":2,\"FIN_WAIT1\":0,"
		       "\"FIN_WAIT2\":0,\"CLOSE_WAIT\":0,\"CLOSING\":0,\"LAST_ACK\":0,"
		       "\"TIME_WAIT\":0,\"CLOSE\":0}},{\"key\":\"fec0:42::1\",\"total\":2,"
		       "\"states\":{\"LISTEN\":0,\"SYN_SENT\":0,\"SYN_RECV\":0,\"ESTABLISHED\":2,"
		       "\"FIN_WAIT1\":0,\"FIN_WAIT2\":0,\"CLOSE_WAIT\":0,\"CLOSING\":0,"
		       "\"LAST_ACK\":0,\"TIME_WAIT\":0,\"CLOSE\":0}},{\"key\":\"0.0.0.0\","
		       "\"total\":1,\"states\":{\"LISTEN\":1,\"SYN_SENT\":0,\"SYN_RECV\":0,"
		       "\"ESTABLISHED\":0,\"FIN_WAIT1\":0,\"FIN_WAIT2\":0,\"CLOSE_WAIT\":0,"
		       "\"CLOSING\":0,\"LAST_ACK\":0,\"TIME_WAIT\":0,\"CLOSE\":0}}]}\n");
	capture_free(&c);

	o = mkout(capture_open(&c), TC_FMT_PROM, 0, 1, 0);
	report_groups(&o, &t, n, &m2);
	assert_text_eq(capture_text(&c),
		       "# HELP tcpdoc_group_sockets TCP sockets by peer and state (top groups "
		       "only).\n"
		       "# TYPE tcpdoc_group_sockets gauge\n"
		       "tcpdoc_group_sockets{by=\"peer\",key=\"10.0.0.1\",state=\"established\","
		       "netns=\"blue\"} 2\n"
		       "tcpdoc_group_sockets{by=\"peer\",key=\"fec0:42::1\",state=\"established\","
		       "netns=\"blue\"} 2\n"
		       "tcpdoc_group_sockets{by=\"peer\",key=\"0.0.0.0\",state=\"listen\","
		       "netns=\"blue\"} 1\n");
	capture_free(&c);
	tally_free(&t);
}
END_TEST

START_TEST(test_groups_user_prom_and_empty)
{
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	size_t n;

	ss1_tally(&t, TC_BY_USER);
	n = tally_sort_groups(&t, 0);
	ck_assert_uint_eq(n, 2);
	o = mkout(capture_open(&c), TC_FMT_PROM, 0, 1, 0);
	report_groups(&o, &t, n, &meta);
	{
		/* user keys are names from the password database where it has them */
		struct passwd *pw;
		char u0[64], u1000[64], want[1024];

		/* getpwuid's result is overwritten by the next call: copy it */
		pw = getpwuid(0);
		snprintf(u0, sizeof(u0), "%s", pw ? pw->pw_name : "0");
		pw = getpwuid(1000);
		snprintf(u1000, sizeof(u1000), "%s", pw ? pw->pw_name : "1000");
		snprintf(want, sizeof(want),
			 "# HELP tcpdoc_group_sockets TCP sockets by user and state (top groups "
			 "only).\n"
			 "# TYPE tcpdoc_group_sockets gauge\n"
			 "tcpdoc_group_sockets{by=\"user\",key=\"%s\",state=\"listen\"} 2\n"
			 "tcpdoc_group_sockets{by=\"user\",key=\"%s\",state=\"established\"} 3\n"
			 "tcpdoc_group_sockets{by=\"user\",key=\"%s\",state=\"established\"} 2\n",
			 u0, u0, u1000);
		assert_text_eq(capture_text(&c), want);
	}
	capture_free(&c);
	tally_free(&t);

	/* nothing to group: a header alone, an empty JSON list */
	tally_init(&t, TC_BY_RPORT);
	n = tally_sort_groups(&t, 0);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c), "RPORT TOTAL LISTEN SYN_SENT SYN_RECV ESTABLISHED "
					 "FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK "
					 "TIME_WAIT CLOSE\n");
	capture_free(&c);
	o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
	report_groups(&o, &t, n, &meta);
	assert_text_eq(capture_text(&c), "{\"source\":\"diagfile\",\"netns\":null,\"by\":\"rport\","
					 "\"groups_total\":0,\"groups\":[]}\n");
	capture_free(&c);
	tally_free(&t);
}
END_TEST

/* ---- socket list ---- */

/* ss1.dump's sockets, then a crafted SYN_SENT with tcp_info. */
static void list_socks(struct sockvec *sv)
{
	struct tc_sock x;

	load_ss1(sv);
	memset(&x, 0, sizeof(x));
	x.family = AF_INET;
	x.state = TC_STATE_SYN_SENT;
	ck_assert_int_eq(inet_pton(AF_INET, "10.0.0.5", x.src), 1);
	ck_assert_int_eq(inet_pton(AF_INET, "192.0.2.7", x.dst), 1);
	x.sport = 41000;
	x.dport = 443;
	x.rqueue = 3;
	x.wqueue = 1448;
	x.timer = TC_TIMER_RETRANS;
	x.expires_ms = 204;
	x.retrans = 2;
	x.uid = 33;
	x.inode = 999999;
	x.cookie = 42;
	x.rtt_us = 1234;
	x.last_data_recv_ms = 5000;
	x.have = TC_HAVE_COOKIE | TC_HAVE_UID | TC_HAVE_INFO;
	sockvec_cb(&x, sv);
}

static const char *render_list(struct capture *c, int format, int tty, int header, int extended)
{
	struct sockvec sv = {0};
	struct tc_out o = mkout(capture_open(c), format, tty, header, 0);
	struct tc_list l;

	list_socks(&sv);
	report_list_begin(&l, &o, extended, &meta);
	for (size_t i = 0; i < sv.n; i++)
		report_list_sock(&l, &sv.v[i]);
	report_list_end(&l);
	ck_assert_uint_eq(l.n, sv.n);
	sockvec_free(&sv);
	return capture_text(c);
}

START_TEST(test_list_table_pipe)
{
	struct capture c;

	assert_text_eq(render_list(&c, TC_FMT_TABLE, 0, 1, 0),
		       "STATE RECV-Q SEND-Q LOCAL PEER\n"
		       "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n"
		       "ESTABLISHED 0 0 10.0.0.1:22 10.0.0.1:36266\n"
		       "ESTABLISHED 0 0 10.0.0.1:36266 10.0.0.1:22\n"
		       "ESTABLISHED 0 0 10.0.0.1:22 10.0.0.2:50312\n"
		       "LISTEN 0 128 [::]:22 [::]:*\n"
		       "ESTABLISHED 0 0 [fec0:42::24]:40520 [fec0:42::1]:22\n"
		       "ESTABLISHED 0 0 [fec0:42::24]:22 [fec0:42::1]:44248\n"
		       "SYN_SENT 3 1448 10.0.0.5:41000 192.0.2.7:443\n");
	capture_free(&c);

	assert_text_eq(
	    render_list(&c, TC_FMT_TABLE, 0, 0, 1),
	    "LISTEN 0 128 0.0.0.0:22 0.0.0.0:* off - 0 - 0 411 -\n"
	    "ESTABLISHED 0 0 10.0.0.1:22 10.0.0.1:36266 keepalive 1h59m 0 - 0 15840 -\n"
	    "ESTABLISHED 0 0 10.0.0.1:36266 10.0.0.1:22 keepalive 1h59m 0 - 1000 15057 -\n"
	    "ESTABLISHED 0 0 10.0.0.1:22 10.0.0.2:50312 keepalive 1h59m 0 - 0 15834 -\n"
	    "LISTEN 0 128 [::]:22 [::]:* off - 0 - 0 413 -\n"
	    "ESTABLISHED 0 0 [fec0:42::24]:40520 [fec0:42::1]:22 keepalive 1h49m 0 - 1000 "
	    "1647 -\n"
	    "ESTABLISHED 0 0 [fec0:42::24]:22 [fec0:42::1]:44248 keepalive 1h49m 0 - 0 "
	    "14185 -\n"
	    "SYN_SENT 3 1448 10.0.0.5:41000 192.0.2.7:443 on 204ms 2 5.0s 33 999999 "
	    "1.234ms\n");
	capture_free(&c);
}
END_TEST

/* On a pipe every line splits into the same number of fields (awk-able). */
START_TEST(test_list_pipe_fields)
{
	struct capture c;
	const char *p = render_list(&c, TC_FMT_TABLE, 0, 1, 1);
	int lines = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		int fields = 1;

		ck_assert_ptr_nonnull(nl);
		for (const char *q = p; q < nl; q++) {
			ck_assert_msg(!(q[0] == ' ' && q[1] == ' '), "double space in: %.*s",
				      (int)(nl - p), p);
			fields += *q == ' ';
		}
		ck_assert_msg(fields == 12, "%d fields in: %.*s", fields, (int)(nl - p), p);
		lines++;
		p = nl + 1;
	}
	ck_assert_int_eq(lines, 9);
	capture_free(&c);
}
END_TEST

START_TEST(test_list_table_tty)
{
	struct capture c;

	assert_text_eq(render_list(&c, TC_FMT_TABLE, 1, 1, 0),
		       "STATE       RECV-Q SEND-Q LOCAL                 PEER\n"
		       "LISTEN           0    128 0.0.0.0:22            0.0.0.0:*\n"
		       "ESTABLISHED      0      0 10.0.0.1:22           10.0.0.1:36266\n"
		       "ESTABLISHED      0      0 10.0.0.1:36266        10.0.0.1:22\n"
		       "ESTABLISHED      0      0 10.0.0.1:22           10.0.0.2:50312\n"
		       "LISTEN           0    128 [::]:22               [::]:*\n"
		       "ESTABLISHED      0      0 [fec0:42::24]:40520   [fec0:42::1]:22\n"
		       "ESTABLISHED      0      0 [fec0:42::24]:22      [fec0:42::1]:44248\n"
		       "SYN_SENT         3   1448 10.0.0.5:41000        192.0.2.7:443\n");
	capture_free(&c);

	assert_text_eq(
	    render_list(&c, TC_FMT_TABLE, 1, 1, 1),
	    "STATE       RECV-Q SEND-Q LOCAL                 PEER                  TIMER   "
	    "  EXPIRES RETRANS   IDLE   UID    INODE      RTT\n"
	    "LISTEN           0    128 0.0.0.0:22            0.0.0.0:*             off     "
	    "        -       0      -     0      411        -\n"
	    "ESTABLISHED      0      0 10.0.0.1:22           10.0.0.1:36266        keepalive"
	    "   1h59m       0      -     0    15840        -\n"
	    "ESTABLISHED      0      0 10.0.0.1:36266        10.0.0.1:22           keepalive"
	    "   1h59m       0      -  1000    15057        -\n"
	    "ESTABLISHED      0      0 10.0.0.1:22           10.0.0.2:50312        keepalive"
	    "   1h59m       0      -     0    15834        -\n"
	    "LISTEN           0    128 [::]:22               [::]:*                off     "
	    "        -       0      -     0      413        -\n"
	    "ESTABLISHED      0      0 [fec0:42::24]:40520   [fec0:42::1]:22       keepalive"
	    "   1h49m       0      -  1000     1647        -\n"
	    "ESTABLISHED      0      0 [fec0:42::24]:22      [fec0:42::1]:44248    keepalive"
	    "   1h49m       0      -     0    14185        -\n"
	    "SYN_SENT         3   1448 10.0.0.5:41000        192.0.2.7:443         on      "
	    "    204ms       2   5.0s    33   999999  1.234ms\n");
	capture_free(&c);
}
END_TEST

START_TEST(test_list_json)
{
	struct capture c;
	const char *why = NULL;

	assert_text_eq(
	    render_list(&c, TC_FMT_JSON, 0, 1, 0),
	    "{\"source\":\"diagfile\",\"netns\":null,\"sockets\":[\n"
	    "{\"state\":\"LISTEN\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":128,\"local\":{"
	    "\"addr\":"
	    "\"0.0.0.0\",\"port\":22},\"peer\":{\"addr\":\"0.0.0.0\",\"port\":0}},\n"
	    "{\"state\":\"ESTABLISHED\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":0,\"local\":{"
	    "\"addr\":\"10.0.0.1\",\"port\":22},\"peer\":{\"addr\":\"10.0.0.1\",\"port\":36266}},\n"
	    "{\"state\":\"ESTABLISHED\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":0,\"local\":{"
	    "\"addr\":\"10.0.0.1\",\"port\":36266},\"peer\":{\"addr\":\"10.0.0.1\",\"port\":22}},\n"
	    "{\"state\":\"ESTABLISHED\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":0,\"local\":{"
	    "\"addr\":\"10.0.0.1\",\"port\":22},\"peer\":{\"addr\":\"10.0.0.2\",\"port\":50312}},\n"
	    "{\"state\":\"LISTEN\",\"family\":\"ipv6\",\"recv_q\":0,\"send_q\":128,\"local\":{"
	    "\"addr\":"
	    "\"::\",\"port\":22},\"peer\":{\"addr\":\"::\",\"port\":0}},\n"
	    "{\"state\":\"ESTABLISHED\",\"family\":\"ipv6\",\"recv_q\":0,\"send_q\":0,\"local\":{"
	    "\"addr\":\"fec0:42::24\",\"port\":40520},\"peer\":{\"addr\":\"fec0:42::1\",\"port\":"
	    "22}},\n"
	    "{\"state\":\"ESTABLISHED\",\"family\":\"ipv6\",\"recv_q\":0,\"send_q\":0,\"local\":{"
	    "\"addr\":\"fec0:42::24\",\"port\":22},\"peer\":{\"addr\":\"fec0:42::1\",\"port\":"
	    "44248}},\n"
	    "{\"state\":\"SYN_SENT\",\"family\":\"ipv4\",\"recv_q\":3,\"send_q\":1448,\"local\":{"
	    "\"addr\":\"10.0.0.5\",\"port\":41000},\"peer\":{\"addr\":\"192.0.2.7\",\"port\":443}}"
	    "\n"
	    "],\"count\":8}\n");
	ck_assert_msg(json_check(c.buf, c.len, &why, NULL), "invalid JSON: %s", why);
	capture_free(&c);
}
END_TEST

START_TEST(test_list_json_extended)
{
	struct capture c;
	const char *text = render_list(&c, TC_FMT_JSON, 0, 1, 1);
	const char *why = NULL;
	size_t lines = 0;

	ck_assert_msg(json_check(text, c.len, &why, NULL), "invalid JSON: %s", why);
	/* one socket a line between the opening and closing lines */
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	ck_assert_uint_eq(lines, 10);
	ck_assert_ptr_nonnull(strstr(
	    text, "\n{\"state\":\"LISTEN\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":128,"
		  "\"local\":{\"addr\":\"0.0.0.0\",\"port\":22},\"peer\":{\"addr\":\"0.0.0.0\","
		  "\"port\":0},\"timer\":\"off\",\"expires_seconds\":null,\"retrans\":0,"
		  "\"idle_seconds\":null,\"uid\":0,\"inode\":411,\"rtt_seconds\":null,"
		  "\"cookie\":3},\n"));
	ck_assert_ptr_nonnull(strstr(
	    text, "\n{\"state\":\"ESTABLISHED\",\"family\":\"ipv4\",\"recv_q\":0,\"send_q\":0,"
		  "\"local\":{\"addr\":\"10.0.0.1\",\"port\":22},\"peer\":{\"addr\":\"10.0.0.1\","
		  "\"port\":36266},\"timer\":\"keepalive\",\"expires_seconds\":7180.950,"
		  "\"retrans\":0,\"idle_seconds\":null,\"uid\":0,\"inode\":15840,"
		  "\"rtt_seconds\":null,\"cookie\":6},\n"));
	ck_assert_ptr_nonnull(strstr(
	    text, "\n{\"state\":\"SYN_SENT\",\"family\":\"ipv4\",\"recv_q\":3,\"send_q\":1448,"
		  "\"local\":{\"addr\":\"10.0.0.5\",\"port\":41000},\"peer\":{\"addr\":"
		  "\"192.0.2.7\",\"port\":443},\"timer\":\"on\",\"expires_seconds\":0.204,"
		  "\"retrans\":2,\"idle_seconds\":5.000,\"uid\":33,\"inode\":999999,"
		  "\"rtt_seconds\":0.001234,\"cookie\":42}\n],\"count\":8}\n"));
	capture_free(&c);
}
END_TEST

START_TEST(test_list_empty)
{
	struct capture c;
	struct tc_out o;
	struct tc_list l;

	o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
	report_list_begin(&l, &o, 1, &meta);
	report_list_end(&l);
	assert_text_eq(capture_text(&c),
		       "{\"source\":\"diagfile\",\"netns\":null,\"sockets\":[],\"count\":0}\n");
	capture_free(&c);

	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 1, 0);
	report_list_begin(&l, &o, 0, &meta);
	report_list_end(&l);
	assert_text_eq(capture_text(&c), "STATE RECV-Q SEND-Q LOCAL PEER\n");
	capture_free(&c);

	o = mkout(capture_open(&c), TC_FMT_TABLE, 1, 0, 0);
	report_list_begin(&l, &o, 1, &meta);
	report_list_end(&l);
	assert_text_eq(capture_text(&c), "");
	capture_free(&c);
}
END_TEST

/* A listener's tcp_info idle time and rtt mean nothing: shown as absent. A
 * connection with tcp_info and an rtt still unmeasured shows 0. */
START_TEST(test_list_info_listener)
{
	struct capture c;
	struct tc_out o;
	struct tc_list l;
	struct tc_sock x;
	const char *text, *why = NULL;

	memset(&x, 0, sizeof(x));
	x.family = AF_INET6;
	x.state = TC_STATE_LISTEN;
	x.sport = 7800;
	x.src[15] = 1;
	x.wqueue = 4096;
	x.rtt_us = 1000;
	x.last_data_recv_ms = 123456;
	x.inode = 415952;
	x.have = TC_HAVE_INFO | TC_HAVE_UID;

	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 0, 0);
	report_list_begin(&l, &o, 1, &meta);
	report_list_sock(&l, &x);
	x.state = TC_STATE_ESTABLISHED;
	x.rtt_us = 0;
	report_list_sock(&l, &x);
	report_list_end(&l);
	assert_text_eq(capture_text(&c), "LISTEN 0 4096 [::1]:7800 [::]:* off - 0 - 0 415952 -\n"
					 "ESTABLISHED 0 4096 [::1]:7800 [::]:* off - 0 2m03s 0 "
					 "415952 0.000ms\n");
	capture_free(&c);

	x.state = TC_STATE_LISTEN;
	x.rtt_us = 1000;
	o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
	report_list_begin(&l, &o, 1, &meta);
	report_list_sock(&l, &x);
	report_list_end(&l);
	text = capture_text(&c);
	ck_assert_msg(json_check(text, strlen(text), &why, NULL), "invalid: %s", why);
	ck_assert_ptr_nonnull(strstr(text, "\"idle_seconds\":null,"));
	ck_assert_ptr_nonnull(strstr(text, "\"rtt_seconds\":null"));
	ck_assert_ptr_null(strstr(text, "\"cookie\""));
	capture_free(&c);
}
END_TEST

START_TEST(test_timer_names)
{
	ck_assert_str_eq(report_timer_name(0), "off");
	ck_assert_str_eq(report_timer_name(1), "on");
	ck_assert_str_eq(report_timer_name(2), "keepalive");
	ck_assert_str_eq(report_timer_name(3), "timewait");
	ck_assert_str_eq(report_timer_name(4), "persist");
	ck_assert_str_eq(report_timer_name(5), "unknown");
	ck_assert_str_eq(report_timer_name(0xffffffffu), "unknown");
}
END_TEST

START_TEST(test_out_parse)
{
	static const char *const bad[] = {"", "TABLE", "yaml", "json ", "csv"};
	int v = -1;
	struct tc_err err = {0};

	ck_assert_int_eq(out_parse_format("table", &v, &err), 0);
	ck_assert_int_eq(v, TC_FMT_TABLE);
	ck_assert_int_eq(out_parse_format("json", &v, &err), 0);
	ck_assert_int_eq(v, TC_FMT_JSON);
	ck_assert_int_eq(out_parse_format("prom", &v, &err), 0);
	ck_assert_int_eq(v, TC_FMT_PROM);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		v = -1;
		ck_assert_msg(out_parse_format(bad[i], &v, &err) < 0, "format '%s' accepted",
			      bad[i]);
		ck_assert_int_eq(err.kind, TC_ERR_USAGE);
		ck_assert_int_eq(v, -1);
	}
	ck_assert_int_eq(out_parse_color("auto", &v, &err), 0);
	ck_assert_int_eq(v, TC_COLOR_AUTO);
	ck_assert_int_eq(out_parse_color("always", &v, &err), 0);
	ck_assert_int_eq(v, TC_COLOR_ALWAYS);
	ck_assert_int_eq(out_parse_color("never", &v, &err), 0);
	ck_assert_int_eq(v, TC_COLOR_NEVER);
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(out_parse_color("yes", &v, &err), 0);
	ck_assert_int_eq(err.kind, TC_ERR_USAGE);
}
END_TEST

/* A stream that is not a terminal: aligned columns off; color only when
 * asked for, never in JSON or prom, and NO_COLOR turns "auto" off. */
START_TEST(test_out_setup_pipe)
{
	struct capture c;
	struct tc_out o;

	unsetenv("NO_COLOR");
	memset(&o, 0, sizeof(o));
	out_setup(&o, capture_open(&c), TC_COLOR_AUTO);
	ck_assert_int_eq(o.tty, 0);
	ck_assert_int_eq(o.color, 0);
	out_setup(&o, c.fp, TC_COLOR_ALWAYS);
	ck_assert_int_eq(o.color, 1);
	out_setup(&o, c.fp, TC_COLOR_NEVER);
	ck_assert_int_eq(o.color, 0);
	o.format = TC_FMT_JSON;
	out_setup(&o, c.fp, TC_COLOR_ALWAYS);
	ck_assert_int_eq(o.color, 0);
	o.format = TC_FMT_PROM;
	out_setup(&o, c.fp, TC_COLOR_ALWAYS);
	ck_assert_int_eq(o.color, 0);
	o.format = TC_FMT_TABLE;
	setenv("NO_COLOR", "1", 1);
	out_setup(&o, c.fp, TC_COLOR_AUTO);
	ck_assert_int_eq(o.color, 0);
	ck_assert_int_eq(out_failed(&o), 0);
	capture_free(&c);
}
END_TEST

/* Writing to a full device: out_failed says so, and renderers do not crash. */
START_TEST(test_out_failed)
{
	FILE *fp = fopen("/dev/full", "w");
	struct tc_out o;
	struct tc_tally t;

	ck_assert_ptr_nonnull(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	o = mkout(fp, TC_FMT_TABLE, 0, 1, 0);
	ss1_tally(&t, TC_BY_NONE);
	report_summary(&o, &t, &meta);
	ck_assert_int_ne(out_failed(&o), 0);
	tally_free(&t);
	fclose(fp);
}
END_TEST

/* The whole zoo in every format: the numbers add up and JSON stays valid. */
START_TEST(test_zoo_all_formats)
{
	struct sockvec sv = {0};
	struct tc_err err = {0};
	struct tc_tally t;
	struct capture c;
	struct tc_out o;
	const char *why = NULL;

	ck_assert_int_eq(diagfile_walk(fixture("linux-6.18-zoo/expected/ss-diag.dump"), NULL,
				       sockvec_cb, &sv, &err),
			 1);
	tally_init(&t, TC_BY_NONE);
	for (size_t i = 0; i < sv.n; i++)
		ck_assert_int_eq(tally_add(&t, &sv.v[i]), 0);
	o = mkout(capture_open(&c), TC_FMT_TABLE, 0, 1, 0);
	report_summary(&o, &t, &meta);
	assert_text_eq(capture_text(&c), "STATE COUNT IPV4 IPV6\n"
					 "LISTEN 14 12 2\n"
					 "SYN_SENT 4 4 0\n"
					 "SYN_RECV 20 20 0\n"
					 "ESTABLISHED 25 19 6\n"
					 "FIN_WAIT1 1 1 0\n"
					 "FIN_WAIT2 6 6 0\n"
					 "CLOSE_WAIT 4 4 0\n"
					 "CLOSING 1 1 0\n"
					 "LAST_ACK 1 1 0\n"
					 "TIME_WAIT 5 5 0\n"
					 "CLOSE 0 0 0\n"
					 "TOTAL 81 73 8\n");
	capture_free(&c);
	{
		struct tc_list l;

		o = mkout(capture_open(&c), TC_FMT_JSON, 0, 1, 0);
		report_list_begin(&l, &o, 1, &meta);
		for (size_t i = 0; i < sv.n; i++)
			report_list_sock(&l, &sv.v[i]);
		report_list_end(&l);
		const char *text = capture_text(&c);

		ck_assert_msg(json_check(text, strlen(text), &why, NULL), "invalid: %s", why);
		ck_assert_ptr_nonnull(strstr(text, "],\"count\":81}\n"));
		capture_free(&c);
	}
	tally_free(&t);
	sockvec_free(&sv);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("golden");

	tcase_add_test(tc, test_summary_table_pipe);
	tcase_add_test(tc, test_summary_table_tty);
	tcase_add_test(tc, test_summary_table_color);
	tcase_add_test(tc, test_summary_json);
	tcase_add_test(tc, test_summary_prom);
	tcase_add_test(tc, test_groups_lport_table);
	tcase_add_test(tc, test_groups_peer_all_formats);
	tcase_add_test(tc, test_groups_user_prom_and_empty);
	tcase_add_test(tc, test_list_table_pipe);
	tcase_add_test(tc, test_list_pipe_fields);
	tcase_add_test(tc, test_list_table_tty);
	tcase_add_test(tc, test_list_json);
	tcase_add_test(tc, test_list_json_extended);
	tcase_add_test(tc, test_list_empty);
	tcase_add_test(tc, test_list_info_listener);
	tcase_add_test(tc, test_timer_names);
	tcase_add_test(tc, test_out_parse);
	tcase_add_test(tc, test_out_setup_pipe);
	tcase_add_test(tc, test_out_failed);
	tcase_add_test(tc, test_zoo_all_formats);
	suite_add_tcase(s, tc);
	return s;
}
