/* The knowledge base behind `tcpdoc explain`: every state 1..13 and every
 * topic complete, every related word one tcpdoc knows, a topic for every
 * finding id, verbatim lines within 78 columns, plain ASCII without tabs,
 * and tcpdoc commands that use only options tcpdoc has. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/rules.h"
#include "kb/errno.h"
#include "kb/kb.h"
#include "model/state.h"
#include "model/sysctl.h"
#include "suites.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The only sysctls the knowledge base may relate to (model/sysctl.c reads them). */
static const char *const kb_sysctl_names[] = {
    "net.ipv4.ip_local_port_range", "net.ipv4.tcp_max_tw_buckets",   "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_fin_timeout",
    "net.core.somaxconn",	    "net.ipv4.tcp_max_syn_backlog",  "net.ipv4.tcp_syncookies",
    "net.ipv4.tcp_max_orphans",	    "net.ipv4.tcp_tw_reuse",	     "net.ipv4.tcp_syn_retries",
    "net.ipv4.tcp_synack_retries",  "net.ipv4.tcp_orphan_retries",
};

static const char *const kb_finding_ids[] = {
    "syn-flood",       "accept-queue-full", "syn-sent-stuck",	 "scan-like",
    "close-wait-leak", "fin-wait1-pile",    "fin-wait2-pile",	 "last-ack-pile",
    "time-wait-ports", "time-wait-server",  "time-wait-buckets", "idle-no-keepalive",
    "keepalive-slow",  "retransmitting",    "zero-window",	 "recv-queue-backlog",
    "orphans",	       "closing-seen",	    "exposed-listener",
};

/* The topics `tcpdoc explain` must have besides the finding ids. */
static const char *const kb_required_topics[] = {
    "handshake",       "teardown",	 "simultaneous-open", "simultaneous-close", "transitions",
    "time-wait",       "keepalive",	 "half-open",	      "syn-flood",	    "backlog",
    "port-exhaustion", "retransmission", "zero-window",	      "recv-queue",	    "orphans",
};

/* Options of `tcpdoc states` a knowledge-base command may use. */
static const char *const kb_states_opts[] = {
    "-l",     "-e",    "-b",	"--top", "-s", "--port", "--sport", "--dport",
    "--host", "--src", "--dst", "-4",	 "-6", "-N",	 "--check", "--sample",
};
/* ... and those among them that take a value. */
static const char *const kb_states_opts_arg[] = {
    "-b",     "--top", "-s",	"--port", "--sport",  "--dport",
    "--host", "--src", "--dst", "-N",	  "--sample",
};
static const char *const kb_by_keys[] = {"lport", "rport", "peer", "local", "user"};

static int in_list(const char *w, const char *const *list, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strcmp(list[i], w) == 0)
			return 1;
	return 0;
}

#define IN_LIST(w, list) in_list((w), (list), NELEM(list))

/* True when the space-separated list holds the word. */
static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = strstr(list, w); p; p = strstr(p + 1, w))
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static int is_topic_or_state(const char *w)
{
	return kb_topic(w) != NULL || state_lookup(w) > 0;
}

/* Plain text: printable ASCII and newlines only, so no tabs, no UTF-8. */
static void check_ascii(const char *where, const char *s)
{
	for (const char *p = s; *p; p++)
		ck_assert_msg(*p == '\n' || (*p >= 0x20 && *p < 0x7f),
			      "%s: character 0x%02x at offset %d", where, (unsigned char)*p,
			      (int)(p - s));
}

/* Flowing text: paragraphs separated by exactly one blank line, no other
 * newlines, no blanks at either end of a paragraph, no double spaces. */
static void check_prose(const char *where, const char *s)
{
	size_t n;

	ck_assert_msg(s != NULL && strlen(s) > 3, "%s: empty", where);
	check_ascii(where, s);
	n = strlen(s);
	ck_assert_msg(s[0] != ' ' && s[0] != '\n' && s[n - 1] != ' ' && s[n - 1] != '\n',
		      "%s: blanks at an end", where);
	ck_assert_msg(!strstr(s, "  "), "%s: a double space", where);
	ck_assert_msg(!strstr(s, "\n\n\n"), "%s: more than one blank line", where);
	ck_assert_msg(!strstr(s, " \n") && !strstr(s, "\n "), "%s: blanks around a newline", where);
	for (const char *p = strchr(s, '\n'); p; p = strchr(p + 2, '\n')) {
		ck_assert_msg(p[1] == '\n', "%s: a newline inside a paragraph", where);
	}
}

/* Verbatim text: lines of at most 78 columns, no blanks at their ends. */
static void check_verbatim(const char *where, const char *s)
{
	const char *p = s;

	ck_assert_msg(s != NULL && s[0] != '\0', "%s: empty", where);
	check_ascii(where, s);
	ck_assert_msg(s[strlen(s) - 1] != '\n', "%s: ends with a newline", where);
	while (*p) {
		size_t n = strcspn(p, "\n");

		ck_assert_msg(n <= 78, "%s: a line of %zu columns: %.*s", where, n, (int)n, p);
		ck_assert_msg(n == 0 || p[n - 1] != ' ', "%s: trailing blank: %.*s", where, (int)n,
			      p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* A word list: words separated by single spaces, or "". */
static void check_list_shape(const char *where, const char *s)
{
	ck_assert_msg(s != NULL, "%s: NULL list", where);
	check_ascii(where, s);
	ck_assert_msg(!strchr(s, '\n'), "%s: newline in a list", where);
	if (!*s)
		return;
	ck_assert_msg(s[0] != ' ' && s[strlen(s) - 1] != ' ' && !strstr(s, "  "),
		      "%s: stray spaces in '%s'", where, s);
}

enum kb_kind {
	KB_SYSCTL,
	KB_ERRNO,
	KB_FINDING,
	KB_STATE,
	KB_TOPIC
};

static int sysctl_known(const char *w)
{
	for (int i = 0; i < TC_S_MAX; i++)
		if (strcmp(sysctl_name(i), w) == 0)
			return 1;
	return 0;
}

/* Each word of the list resolves in its vocabulary; no word twice. */
static void check_words(const char *where, const char *list, enum kb_kind kind)
{
	const char *p = list;

	check_list_shape(where, list);
	while (*p) {
		size_t n = strcspn(p, " ");
		char w[64];
		const char *rest;

		ck_assert_uint_lt(n, sizeof(w));
		memcpy(w, p, n);
		w[n] = '\0';
		switch (kind) {
		case KB_SYSCTL:
			ck_assert_msg(IN_LIST(w, kb_sysctl_names) && sysctl_known(w),
				      "%s: unknown sysctl '%s'", where, w);
			break;
		case KB_ERRNO:
			ck_assert_msg(kb_errno_by_name(w) > 0, "%s: unknown errno '%s'", where, w);
			ck_assert_msg(strcmp(kb_errno_name(kb_errno_by_name(w)), w) == 0,
				      "%s: '%s' is not written as its main name", where, w);
			break;
		case KB_FINDING:
			ck_assert_msg(IN_LIST(w, kb_finding_ids) && rule_lookup(w) >= 0,
				      "%s: unknown finding '%s'", where, w);
			break;
		case KB_STATE: {
			int st = state_lookup(w);

			ck_assert_msg(st >= 1 && st <= TC_NSTATES &&
					  strcmp(state_name((unsigned)st), w) == 0,
				      "%s: '%s' is not a canonical state name", where, w);
			break;
		}
		case KB_TOPIC:
			ck_assert_msg(is_topic_or_state(w), "%s: unknown topic '%s'", where, w);
			break;
		}
		rest = p + n;
		ck_assert_msg(!has_word(rest, w), "%s: '%s' listed twice", where, w);
		p = rest + strspn(rest, " ");
	}
}

/* Split a command line into words (no quoting in the knowledge base). */
static int split(const char *line, size_t len, char words[][64], int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len && n < max) {
		size_t j;

		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		j = i;
		while (j < len && line[j] != ' ')
			j++;
		ck_assert_uint_lt(j - i, 64);
		memcpy(words[n], line + i, j - i);
		words[n][j - i] = '\0';
		n++;
		i = j;
	}
	return n;
}

/* A tcpdoc command of the knowledge base: an existing subcommand, options
 * that exist, valid -b keys and -s states, topics and errnos that resolve.
 * Placeholders in capitals (ADDR, PORT) stand for values; text after a
 * run of two or more blanks is a comment. */
static void check_command(const char *where, const char *line, size_t len)
{
	char w[24][64];
	const char *comment = NULL;
	int n;

	for (size_t i = 0; i + 1 < len; i++)
		if (line[i] == ' ' && line[i + 1] == ' ') {
			comment = line + i;
			break;
		}
	if (comment)
		len = (size_t)(comment - line);
	n = split(line, len, w, 24);
	ck_assert_msg(n >= 2 && strcmp(w[0], "tcpdoc") == 0, "%s: not a tcpdoc command: %.*s",
		      where, (int)len, line);
	if (strcmp(w[1], "explain") == 0) {
		ck_assert_msg(n == 3 && is_topic_or_state(w[2]), "%s: bad explain command: %.*s",
			      where, (int)len, line);
	} else if (strcmp(w[1], "errno") == 0) {
		ck_assert_msg(n == 3 && kb_errno_by_name(w[2]) > 0, "%s: bad errno command: %.*s",
			      where, (int)len, line);
	} else {
		ck_assert_msg(strcmp(w[1], "states") == 0, "%s: unknown subcommand '%s'", where,
			      w[1]);
		for (int i = 2; i < n; i++) {
			ck_assert_msg(IN_LIST(w[i], kb_states_opts),
				      "%s: unknown option '%s' in %.*s", where, w[i], (int)len,
				      line);
			if (!IN_LIST(w[i], kb_states_opts_arg))
				continue;
			ck_assert_msg(i + 1 < n, "%s: '%s' without its value", where, w[i]);
			if (strcmp(w[i], "-b") == 0) {
				ck_assert_msg(IN_LIST(w[i + 1], kb_by_keys), "%s: bad -b key '%s'",
					      where, w[i + 1]);
			} else if (strcmp(w[i], "-s") == 0) {
				uint32_t mask = 0;
				struct tc_err err = {0};

				ck_assert_msg(state_parse_list(w[i + 1], &mask, &err) == 0 && mask,
					      "%s: bad state list '%s'", where, w[i + 1]);
			}
			i++;
		}
	}
}

/* Every line of a verbatim block that is a tcpdoc command is a valid one. */
static void check_commands_in(const char *where, const char *s)
{
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (strncmp(p, "tcpdoc ", 7) == 0)
			check_command(where, p, n);
		p += n;
		if (*p == '\n')
			p++;
	}
}

START_TEST(test_kb_states_complete)
{
	ck_assert_uint_eq(kb_nstates, 13);
	for (int st = 1; st <= TC_STATE_MAX; st++) {
		const struct kb_state *k = kb_state(st);
		char where[64];

		ck_assert_msg(k != NULL, "state %d has no entry", st);
		ck_assert_int_eq(k->state, st);
		snprintf(where, sizeof(where), "%s summary", state_name((unsigned)st));
		check_prose(where, k->summary);
		ck_assert_msg(!strchr(k->summary, '\n'), "%s: more than one line", where);
		ck_assert_msg(k->summary[strlen(k->summary) - 1] == '.', "%s: no full stop", where);
		snprintf(where, sizeof(where), "%s side", state_name((unsigned)st));
		check_prose(where, k->side);
		snprintf(where, sizeof(where), "%s into", state_name((unsigned)st));
		check_prose(where, k->into);
		snprintf(where, sizeof(where), "%s out", state_name((unsigned)st));
		check_prose(where, k->out);
		snprintf(where, sizeof(where), "%s duration", state_name((unsigned)st));
		check_prose(where, k->duration);
		snprintf(where, sizeof(where), "%s many", state_name((unsigned)st));
		check_prose(where, k->many);
		snprintf(where, sizeof(where), "%s investigate", state_name((unsigned)st));
		check_verbatim(where, k->investigate);
		check_commands_in(where, k->investigate);
		ck_assert_msg(strncmp(k->investigate, "tcpdoc ", 7) == 0, "%s: no command", where);
		/* one command a line, nothing else */
		for (const char *p = k->investigate; p;) {
			ck_assert_msg(strncmp(p, "tcpdoc ", 7) == 0,
				      "%s: a line that is not a command", where);
			p = strchr(p, '\n');
			if (p)
				p++;
		}
	}
	ck_assert_ptr_null(kb_state(0));
	ck_assert_ptr_null(kb_state(-1));
	ck_assert_ptr_null(kb_state(TC_STATE_MAX + 1));
	for (size_t i = 0; i < kb_nstates; i++)
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(kb_states[i].state, kb_states[j].state);
}
END_TEST

START_TEST(test_kb_state_lists_resolve)
{
	for (int st = 1; st <= TC_STATE_MAX; st++) {
		const struct kb_state *k = kb_state(st);
		char where[64];

		snprintf(where, sizeof(where), "%s sysctls", state_name((unsigned)st));
		check_words(where, k->sysctls, KB_SYSCTL);
		snprintf(where, sizeof(where), "%s errnos", state_name((unsigned)st));
		check_words(where, k->errnos, KB_ERRNO);
		snprintf(where, sizeof(where), "%s findings", state_name((unsigned)st));
		check_words(where, k->findings, KB_FINDING);
		snprintf(where, sizeof(where), "%s topics", state_name((unsigned)st));
		check_words(where, k->topics, KB_TOPIC);
	}
}
END_TEST

START_TEST(test_kb_topics_complete)
{
	ck_assert_uint_ge(kb_ntopics, NELEM(kb_required_topics));
	for (size_t i = 0; i < NELEM(kb_required_topics); i++)
		ck_assert_msg(kb_topic(kb_required_topics[i]) != NULL, "no topic '%s'",
			      kb_required_topics[i]);
	for (size_t i = 0; i < kb_ntopics; i++) {
		const struct kb_topic *t = &kb_topics[i];
		char where[96];
		int nsec = 0;

		ck_assert_msg(t->name && t->name[0] &&
				  strspn(t->name, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
				      strlen(t->name),
			      "topic %zu: bad name '%s'", i, t->name ? t->name : "(null)");
		/* "time-wait" is also a spelling of the state TIME_WAIT: a topic of
		 * that name is reachable only where topics are looked up first. */
		ck_assert_msg(state_lookup(t->name) < 0 || strcmp(t->name, "time-wait") == 0,
			      "topic '%s' shadows a state name", t->name);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(kb_topics[j].name, t->name) != 0, "topic '%s' twice",
				      t->name);
		ck_assert_ptr_eq(kb_topic(t->name), t);
		snprintf(where, sizeof(where), "%s title", t->name);
		check_prose(where, t->title);
		ck_assert_msg(!strchr(t->title, '\n'), "%s: more than one line", where);
		snprintf(where, sizeof(where), "%s summary", t->name);
		check_prose(where, t->summary);
		ck_assert_msg(!strchr(t->summary, '\n'), "%s: more than one line", where);
		ck_assert_msg(t->summary[strlen(t->summary) - 1] == '.', "%s: no full stop", where);
		for (int s = 0; s < KB_SECTIONS && t->sections[s].heading; s++) {
			const struct kb_section *sec = &t->sections[s];

			nsec++;
			snprintf(where, sizeof(where), "%s section %d heading", t->name, s);
			check_prose(where, sec->heading);
			ck_assert_msg(!strchr(sec->heading, '\n'), "%s: more than one line", where);
			snprintf(where, sizeof(where), "%s section '%s'", t->name, sec->heading);
			ck_assert_msg(sec->verbatim == 0 || sec->verbatim == 1, "%s: verbatim flag",
				      where);
			if (sec->verbatim) {
				check_verbatim(where, sec->text);
				check_commands_in(where, sec->text);
			} else {
				check_prose(where, sec->text);
			}
		}
		ck_assert_msg(nsec >= 2, "%s: fewer than two sections", t->name);
		ck_assert_msg(nsec < KB_SECTIONS, "%s: no room for the end of the sections",
			      t->name);
	}
	ck_assert_ptr_null(kb_topic(NULL));
	ck_assert_ptr_null(kb_topic(""));
	ck_assert_ptr_null(kb_topic("no-such-topic"));
	ck_assert_ptr_null(kb_topic("Handshake"));
}
END_TEST

START_TEST(test_kb_topic_lists_resolve)
{
	for (size_t i = 0; i < kb_ntopics; i++) {
		const struct kb_topic *t = &kb_topics[i];
		char where[96];

		snprintf(where, sizeof(where), "%s sysctls", t->name);
		check_words(where, t->sysctls, KB_SYSCTL);
		snprintf(where, sizeof(where), "%s errnos", t->name);
		check_words(where, t->errnos, KB_ERRNO);
		snprintf(where, sizeof(where), "%s findings", t->name);
		check_words(where, t->findings, KB_FINDING);
		snprintf(where, sizeof(where), "%s states", t->name);
		check_words(where, t->states, KB_STATE);
		snprintf(where, sizeof(where), "%s topics", t->name);
		check_words(where, t->topics, KB_TOPIC);
		ck_assert_msg(!has_word(t->topics, t->name), "%s: lists itself among its topics",
			      t->name);
	}
}
END_TEST

/* Every finding id, and every rule in the table, has a topic of its name;
 * the topic names the finding first, so the live part shows that rule. */
START_TEST(test_kb_findings_have_topics)
{
	ck_assert_uint_eq(NELEM(kb_finding_ids), R_COUNT);
	for (size_t i = 0; i < NELEM(kb_finding_ids); i++) {
		const struct kb_topic *t = kb_topic(kb_finding_ids[i]);
		size_t n = strlen(kb_finding_ids[i]);

		ck_assert_msg(t != NULL, "finding '%s' has no topic", kb_finding_ids[i]);
		ck_assert_msg(strncmp(t->findings, kb_finding_ids[i], n) == 0 &&
				  (t->findings[n] == '\0' || t->findings[n] == ' '),
			      "topic '%s' does not list its own finding first", t->name);
	}
	for (int r = 0; r < R_COUNT; r++) {
		ck_assert_msg(kb_topic(tc_rules[r].id) != NULL, "rule '%s' has no topic",
			      tc_rules[r].id);
		ck_assert_msg(is_topic_or_state(tc_rules[r].topic),
			      "rule '%s' points to topic '%s' that does not exist", tc_rules[r].id,
			      tc_rules[r].topic);
	}
}
END_TEST

/* The errno knowledge base refers to topics; they exist. */
START_TEST(test_kb_errno_topics_exist)
{
	for (size_t i = 0; i < kb_errno_ninfos; i++) {
		char where[64];

		snprintf(where, sizeof(where), "errno %s topics",
			 kb_errno_name(kb_errno_infos[i].num));
		check_words(where, kb_errno_infos[i].topics, KB_TOPIC);
	}
}
END_TEST

/* Facts that articles get wrong and the kernel decides. */
START_TEST(test_kb_kernel_facts)
{
	const struct kb_topic *t;
	const struct kb_state *k;
	char *all = NULL;
	size_t len = 0;
	FILE *fp;

	/* TIME_WAIT is 60 s and tcp_fin_timeout is not its length */
	k = kb_state(TC_STATE_TIME_WAIT);
	ck_assert_ptr_nonnull(strstr(k->duration, "60 s"));
	ck_assert_ptr_nonnull(strstr(k->out, "tcp_fin_timeout does not apply"));
	/* CLOSE_WAIT never times out */
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_CLOSE_WAIT)->duration, "Forever"));
	/* SYN_SENT gives up after about 2 minutes, SYN_RECV after about 63 s */
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_SYN_SENT)->duration, "127 s"));
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_SYN_RECV)->duration, "63 s"));
	/* keepalive: the Linux defaults and the time to notice a dead peer */
	t = kb_topic("keepalive");
	fp = open_memstream(&all, &len);
	ck_assert_ptr_nonnull(fp);
	for (int s = 0; s < KB_SECTIONS && t->sections[s].heading; s++)
		fprintf(fp, "%s\n", t->sections[s].text);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(all, "7200 + 9 x 75 = 7875 s"));
	ck_assert_ptr_nonnull(strstr(all, "TCP_KEEPIDLE"));
	ck_assert_ptr_nonnull(strstr(all, "TCP_KEEPINTVL"));
	ck_assert_ptr_nonnull(strstr(all, "TCP_KEEPCNT"));
	ck_assert_ptr_nonnull(strstr(all, "SO_KEEPALIVE"));
	ck_assert_ptr_nonnull(strstr(all, "TCP_USER_TIMEOUT"));
	ck_assert_ptr_null(strstr(all, "this host"));
	free(all);
	/* tcp_tw_reuse: 2 is loopback only and the default */
	t = kb_topic("time-wait");
	all = NULL;
	fp = open_memstream(&all, &len);
	ck_assert_ptr_nonnull(fp);
	for (int s = 0; s < KB_SECTIONS && t->sections[s].heading; s++)
		fprintf(fp, "%s\n", t->sections[s].text);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(all, "2 for loopback traffic only, the default"));
	ck_assert_ptr_nonnull(strstr(all, "SO_REUSEADDR"));
	free(all);
	/* the kernel-internal states say what they are reported as */
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_NEW_SYN_RECV)->summary, "SYN_RECV"));
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_BOUND_INACTIVE)->summary, "CLOSE"));
	ck_assert_ptr_nonnull(strstr(kb_state(TC_STATE_BOUND_INACTIVE)->summary, "6.8"));
}
END_TEST

Suite *suite_kb(void)
{
	Suite *s = suite_create("kb");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_kb_states_complete);
	tcase_add_test(tc, test_kb_state_lists_resolve);
	tcase_add_test(tc, test_kb_topics_complete);
	tcase_add_test(tc, test_kb_topic_lists_resolve);
	tcase_add_test(tc, test_kb_findings_have_topics);
	tcase_add_test(tc, test_kb_errno_topics_exist);
	tcase_add_test(tc, test_kb_kernel_facts);
	suite_add_tcase(s, tc);
	return s;
}
