/* The errno knowledge base: names and numbers both ways (aliases, any case,
 * negative numbers), completeness against the C library, the explanations
 * of the socket errors, search, and the wrapped text at 80 and 40 columns. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kb/errno.h"
#include "model/state.h"
#include "suites.h"

/* The socket errors tcpdoc must explain. */
static const char *const socket_errnos[] = {
    "EPERM",	    "EINTR",	       "EBADF",		  "EAGAIN",	 "EWOULDBLOCK",
    "EACCES",	    "EFAULT",	       "EINVAL",	  "ENFILE",	 "EMFILE",
    "EPIPE",	    "ENOTSOCK",	       "EDESTADDRREQ",	  "EMSGSIZE",	 "EPROTOTYPE",
    "ENOPROTOOPT",  "EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP",	 "EAFNOSUPPORT",
    "EADDRINUSE",   "EADDRNOTAVAIL",   "ENETDOWN",	  "ENETUNREACH", "ENETRESET",
    "ECONNABORTED", "ECONNRESET",      "ENOBUFS",	  "EISCONN",	 "ENOTCONN",
    "ESHUTDOWN",    "ETIMEDOUT",       "ECONNREFUSED",	  "EHOSTDOWN",	 "EHOSTUNREACH",
    "EALREADY",	    "EINPROGRESS",
};

/* Errors of pure programming or of socket creation: no TCP state, topic or
 * finding relates to them, so their related lists may stay empty. */
static const char *const no_related[] = {"EFAULT", "ENOTSOCK", "EPROTONOSUPPORT",
					 "ESOCKTNOSUPPORT"};

static const char *const finding_ids[] = {
    "syn-flood",       "accept-queue-full", "syn-sent-stuck",	 "scan-like",
    "close-wait-leak", "fin-wait1-pile",    "fin-wait2-pile",	 "last-ack-pile",
    "time-wait-ports", "time-wait-server",  "time-wait-buckets", "idle-no-keepalive",
    "keepalive-slow",  "retransmitting",    "zero-window",	 "recv-queue-backlog",
    "orphans",	       "closing-seen",	    "exposed-listener",
};

static const char *const topic_ids[] = {
    "handshake", "teardown",  "time-wait", "keepalive",
    "half-open", "syn-flood", "backlog",   "port-exhaustion",
};

static int in_list(const char *w, size_t n, const char *const *list, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (strlen(list[i]) == n && strncmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

#define IN_LIST(w, n, list) in_list((w), (n), (list), sizeof(list) / sizeof((list)[0]))

START_TEST(test_errno_name_table)
{
	ck_assert_uint_ge(kb_errno_nnames, 130);
	for (size_t i = 0; i < kb_errno_nnames; i++) {
		const struct kb_errno_name *e = &kb_errno_names[i];

		ck_assert_msg(e->name[0] == 'E' && strlen(e->name) > 2, "bad name %s", e->name);
		ck_assert_int_gt(e->num, 0);
		ck_assert_int_le(e->num, kb_errno_max());
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(kb_errno_names[k].name, e->name) != 0,
				      "%s listed twice", e->name);
		/* the name finds its number again */
		ck_assert_int_eq(kb_errno_by_name(e->name), e->num);
	}
	ck_assert_int_eq(kb_errno_max(), EHWPOISON);
}
END_TEST

/* Every number the C library has a message for has a name, and no name
 * stands for a number the C library does not know. */
START_TEST(test_errno_complete)
{
	char unknown[64];

	for (int n = 1; n <= 200; n++) {
		snprintf(unknown, sizeof(unknown), "Unknown error %d", n);
		if (strcmp(strerror(n), unknown) == 0)
			ck_assert_msg(kb_errno_name(n) == NULL, "%d has a name but no message", n);
		else
			ck_assert_msg(kb_errno_name(n) != NULL, "%d (%s) has no name", n,
				      strerror(n));
	}
	ck_assert_ptr_null(kb_errno_name(0));
	ck_assert_ptr_null(kb_errno_name(-1));
	ck_assert_ptr_null(kb_errno_name(41)); /* a hole in Linux's numbering */
	ck_assert_ptr_null(kb_errno_name(58));
}
END_TEST

START_TEST(test_errno_by_name_and_number)
{
	ck_assert_int_eq(kb_errno_by_name("ECONNRESET"), ECONNRESET);
	ck_assert_int_eq(kb_errno_by_name("econnreset"), ECONNRESET);
	ck_assert_int_eq(kb_errno_by_name("EConnReset"), ECONNRESET);
	ck_assert_int_eq(kb_errno_by_name("EADDRNOTAVAIL"), EADDRNOTAVAIL);
	ck_assert_int_eq(kb_errno_by_name("ECONNRESE"), -1); /* no prefixes */
	ck_assert_int_eq(kb_errno_by_name("ECONNRESETS"), -1);
	ck_assert_int_eq(kb_errno_by_name("EFOO"), -1);
	ck_assert_int_eq(kb_errno_by_name(""), -1);
	ck_assert_int_eq(kb_errno_by_name("104"), -1);

	ck_assert_str_eq(kb_errno_name(ECONNRESET), "ECONNRESET");
	ck_assert_str_eq(kb_errno_name(104), "ECONNRESET");
	ck_assert_str_eq(kb_errno_name(ETIMEDOUT), "ETIMEDOUT");
	ck_assert_str_eq(kb_errno_message(ECONNRESET), strerror(ECONNRESET));
}
END_TEST

START_TEST(test_errno_aliases)
{
	static const struct {
		const char *alias, *main;
		int num;
	} cases[] = {
	    {"EWOULDBLOCK", "EAGAIN", EAGAIN},	   {"ewouldblock", "EAGAIN", EAGAIN},
	    {"EDEADLOCK", "EDEADLK", EDEADLK},	   {"ENOTSUP", "EOPNOTSUPP", EOPNOTSUPP},
	    {"enotsup", "EOPNOTSUPP", EOPNOTSUPP},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t pos = 0;
		const char *a;
		int num;

		ck_assert_int_eq(kb_errno_by_name(cases[i].alias), cases[i].num);
		ck_assert_str_eq(kb_errno_name(cases[i].num), cases[i].main);
		ck_assert_int_eq(kb_errno_parse(cases[i].alias, &num), 0);
		ck_assert_int_eq(num, cases[i].num);
		a = kb_errno_alias(cases[i].num, &pos);
		ck_assert_ptr_nonnull(a);
		ck_assert_int_eq(strcasecmp(a, cases[i].alias), 0);
		ck_assert_ptr_null(kb_errno_alias(cases[i].num, &pos));
	}
	{
		size_t pos = 0;

		ck_assert_ptr_null(kb_errno_alias(ECONNRESET, &pos));
	}
	/* the aliases share their numbers: 134 names for 131 numbers */
	{
		int distinct = 0;

		for (int n = 1; n <= kb_errno_max(); n++)
			distinct += kb_errno_name(n) != NULL;
		ck_assert_uint_eq(kb_errno_nnames, (size_t)distinct + 3);
	}
}
END_TEST

START_TEST(test_errno_parse)
{
	static const struct {
		const char *in;
		int ret, num;
	} cases[] = {
	    {"104", 0, ECONNRESET},
	    {"-104", 0, ECONNRESET},
	    {"ECONNRESET", 0, ECONNRESET},
	    {"econnreset", 0, ECONNRESET},
	    {"-110", 0, ETIMEDOUT},
	    {"11", 0, EAGAIN},
	    {"EWOULDBLOCK", 0, EAGAIN},
	    {"1", 0, EPERM},
	    {"133", 0, EHWPOISON},
	    {"007", 0, E2BIG},
	    {"0", -ERANGE, 0},
	    {"-0", -ERANGE, 0},
	    {"41", -ERANGE, 0},
	    {"134", -ERANGE, 0},
	    {"200", -ERANGE, 0},
	    {"-99999", -ERANGE, 0},
	    {"99999999999999999999999", -ERANGE, 0},
	    {"EFOO", -ENOENT, 0},
	    {"ECONNRESE", -ENOENT, 0},
	    {"", -ENOENT, 0},
	    {"12x", -EINVAL, 0},
	    {"1 2", -EINVAL, 0},
	    {"-", -EINVAL, 0},
	    {"--104", -EINVAL, 0},
	    {"-EPIPE", -EINVAL, 0},
	    {"- 5", -EINVAL, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int num = -12345, r = kb_errno_parse(cases[i].in, &num);

		ck_assert_msg(r == cases[i].ret, "'%s': got %d, want %d", cases[i].in, r,
			      cases[i].ret);
		if (r == 0)
			ck_assert_int_eq(num, cases[i].num);
		else
			ck_assert_int_eq(num, -12345); /* untouched on failure */
	}
}
END_TEST

/* Each related word is a state name, a topic or a finding id tcpdoc knows. */
static void check_words(const char *errname, const char *what, const char *words)
{
	const char *p = words;

	ck_assert_msg(words[0] != ' ' && (words[0] == '\0' || words[strlen(words) - 1] != ' ') &&
			  !strstr(words, "  "),
		      "%s %s: stray spaces in '%s'", errname, what, words);
	while (*p) {
		size_t n = strcspn(p, " ");
		char w[64];

		ck_assert_uint_lt(n, sizeof(w));
		memcpy(w, p, n);
		w[n] = '\0';
		if (strcmp(what, "states") == 0) {
			int s = state_lookup(w);

			ck_assert_msg(s >= 1 && s <= TC_NSTATES && strcmp(state_name(s), w) == 0,
				      "%s: '%s' is not a canonical state name", errname, w);
		} else if (strcmp(what, "topics") == 0) {
			ck_assert_msg(IN_LIST(w, n, topic_ids), "%s: unknown topic '%s'", errname,
				      w);
		} else {
			ck_assert_msg(IN_LIST(w, n, finding_ids), "%s: unknown finding '%s'",
				      errname, w);
		}
		p += n;
		p += strspn(p, " ");
	}
}

static void check_text(const char *errname, const char *what, const char *s)
{
	ck_assert_msg(s && strlen(s) > 5, "%s: %s is empty", errname, what);
	ck_assert_msg(strchr(s, '\n') == NULL && strchr(s, '\t') == NULL && !strstr(s, "  "),
		      "%s: %s has a newline, tab or double space", errname, what);
	ck_assert_msg(s[0] != ' ' && s[strlen(s) - 1] != ' ', "%s: %s has blanks at an end",
		      errname, what);
}

START_TEST(test_errno_socket_explanations)
{
	for (size_t i = 0; i < sizeof(socket_errnos) / sizeof(socket_errnos[0]); i++) {
		const char *name = socket_errnos[i];
		int num = kb_errno_by_name(name);
		const struct kb_errno_info *in;

		ck_assert_msg(num > 0, "%s is not a known name", name);
		in = kb_errno_info(num);
		ck_assert_msg(in != NULL, "%s has no explanation", name);
		ck_assert_int_eq(in->num, num);
		check_text(name, "summary", in->summary);
		ck_assert_msg(strlen(in->summary) <= 110, "%s: summary longer than one line", name);
		ck_assert_msg(in->summary[strlen(in->summary) - 1] == '.',
			      "%s: summary without a full stop", name);
		check_text(name, "calls", in->calls);
		check_text(name, "cause", in->cause);
		check_text(name, "after", in->after);
		check_text(name, "action", in->action);
		check_words(name, "states", in->states);
		check_words(name, "topics", in->topics);
		check_words(name, "findings", in->findings);
		if (!IN_LIST(name, strlen(name), no_related))
			ck_assert_msg(in->states[0] || in->topics[0] || in->findings[0],
				      "%s: nothing related", name);
		if (in->next) {
			ck_assert_msg(strncmp(in->next, "tcpdoc ", 7) == 0,
				      "%s: next is not a tcpdoc command", name);
			check_text(name, "next", in->next);
		}
	}
}
END_TEST

/* The table is sorted, one entry per number, each a named errno, and each
 * listed among the socket errors above. */
START_TEST(test_errno_info_table)
{
	ck_assert_uint_ge(kb_errno_ninfos, 36);
	for (size_t i = 0; i < kb_errno_ninfos; i++) {
		const char *name = kb_errno_name(kb_errno_infos[i].num);

		ck_assert_ptr_nonnull(name);
		ck_assert_msg(IN_LIST(name, strlen(name), socket_errnos), "%s is unexpected", name);
		if (i > 0)
			ck_assert_int_lt(kb_errno_infos[i - 1].num, kb_errno_infos[i].num);
	}
	ck_assert_ptr_null(kb_errno_info(ENOENT));
	ck_assert_ptr_null(kb_errno_info(0));
	ck_assert_ptr_null(kb_errno_info(-104));
}
END_TEST

/* The facts that sources copied from Winsock or stale man pages get wrong
 * stay right here. */
START_TEST(test_errno_kernel_facts)
{
	const struct kb_errno_info *in;

	in = kb_errno_info(EADDRNOTAVAIL);
	ck_assert_ptr_nonnull(strstr(in->cause, "32768-60999"));
	ck_assert_ptr_nonnull(strstr(in->cause, "fixed 60 s"));
	ck_assert_str_eq(in->next, "tcpdoc states -s time-wait -b peer");
	in = kb_errno_info(ETIMEDOUT);
	ck_assert_ptr_nonnull(strstr(in->cause, "7875 s"));
	ck_assert_ptr_nonnull(strstr(in->cause, "tcp_syn_retries"));
	ck_assert_ptr_null(strstr(in->cause, "1000 ms"));
	in = kb_errno_info(ENETRESET);
	ck_assert_ptr_nonnull(strstr(in->cause, "ETIMEDOUT"));
	in = kb_errno_info(ECONNABORTED);
	ck_assert_ptr_nonnull(strstr(in->cause, "Linux does not"));
	in = kb_errno_info(EPIPE);
	ck_assert_ptr_nonnull(strstr(in->cause, "CLOSE_WAIT"));
}
END_TEST

START_TEST(test_errno_matches)
{
	const char *reset[] = {"reset"};
	const char *conn_reset[] = {"Connection", "RESET"};
	const char *reset_zzz[] = {"reset", "zzzq"};
	const char *num[] = {"104"};
	const char *negnum[] = {"-104"};
	const char *wouldblock[] = {"wouldblock"};
	const char *directory[] = {"directory"};
	const char *ports[] = {"ip_local_port_range"};

	ck_assert(kb_errno_matches(ECONNRESET, reset, 1));
	ck_assert(kb_errno_matches(ECONNRESET, conn_reset, 2));
	ck_assert(!kb_errno_matches(ECONNRESET, reset_zzz, 2));
	ck_assert(kb_errno_matches(ECONNRESET, num, 1));
	ck_assert(kb_errno_matches(ECONNRESET, negnum, 1));
	ck_assert(!kb_errno_matches(ENOBUFS, num, 1));
	ck_assert(kb_errno_matches(EAGAIN, wouldblock, 1));
	ck_assert(kb_errno_matches(ENOENT, directory, 1)); /* message only */
	ck_assert(!kb_errno_matches(ENOENT, reset, 1));
	ck_assert(kb_errno_matches(EADDRNOTAVAIL, ports, 1));
	ck_assert(kb_errno_matches(ENOENT, NULL, 0));
}
END_TEST

static const char *written(int num, int width, int color)
{
	static struct capture c;

	capture_free(&c);
	kb_errno_write(capture_open(&c), num, width, color);
	return capture_text(&c);
}

START_TEST(test_errno_wrap_80)
{
	assert_text_eq(
	    written(EINPROGRESS, 80, 0),
	    "Summary:       A non-blocking connect() has started; the result comes later.\n"
	    "Returned by:   connect()\n"
	    "What happened: The SYN is out and the socket waits for the SYN-ACK; with\n"
	    "               O_NONBLOCK, connect() cannot wait, so it returns at once. A\n"
	    "               blocking connect() returns it too when its SO_SNDTIMEO timeout\n"
	    "               expires. It is not a failure.\n"
	    "Afterwards:    SYN_SENT until the SYN-ACK arrives (then ESTABLISHED) or the\n"
	    "               attempt fails (then CLOSE).\n"
	    "What to do:    Wait until the socket is writable (POLLOUT with poll or epoll),\n"
	    "               then read getsockopt(SOL_SOCKET, SO_ERROR): 0 means connected,\n"
	    "               anything else is the error connect() would have returned\n"
	    "               (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH ...). Apply your own\n"
	    "               timeout while waiting.\n"
	    "States:        SYN_SENT, ESTABLISHED\n"
	    "Explain:       handshake\n"
	    "Findings:      syn-sent-stuck\n"
	    "Run next:      tcpdoc states -l -e -s syn-sent\n");
}
END_TEST

START_TEST(test_errno_wrap_40)
{
	assert_text_eq(written(EINPROGRESS, 40, 0),
		       "Summary:       A non-blocking connect()\n"
		       "               has started; the result\n"
		       "               comes later.\n"
		       "Returned by:   connect()\n"
		       "What happened: The SYN is out and the\n"
		       "               socket waits for the\n"
		       "               SYN-ACK; with O_NONBLOCK,\n"
		       "               connect() cannot wait, so\n"
		       "               it returns at once. A\n"
		       "               blocking connect()\n"
		       "               returns it too when its\n"
		       "               SO_SNDTIMEO timeout\n"
		       "               expires. It is not a\n"
		       "               failure.\n"
		       "Afterwards:    SYN_SENT until the\n"
		       "               SYN-ACK arrives (then\n"
		       "               ESTABLISHED) or the\n"
		       "               attempt fails (then\n"
		       "               CLOSE).\n"
		       "What to do:    Wait until the socket is\n"
		       "               writable (POLLOUT with\n"
		       "               poll or epoll), then read\n"
		       "               getsockopt(SOL_SOCKET,\n"
		       "               SO_ERROR): 0 means\n"
		       "               connected, anything else\n"
		       "               is the error connect()\n"
		       "               would have returned\n"
		       "               (ECONNREFUSED, ETIMEDOUT,\n"
		       "               EHOSTUNREACH ...). Apply\n"
		       "               your own timeout while\n"
		       "               waiting.\n"
		       "States:        SYN_SENT, ESTABLISHED\n"
		       "Explain:       handshake\n"
		       "Findings:      syn-sent-stuck\n"
		       "Run next:      tcpdoc states -l -e -s syn-sent\n");
	assert_text_eq(written(EDEADLOCK, 40, 0), "Also named:    EDEADLOCK\n"
						  "Notes:         none: tcpdoc explains the\n"
						  "               errors that socket calls\n"
						  "               return, and this is not\n"
						  "               one of them (tcpdoc errno\n"
						  "               -s lists those).\n");
}
END_TEST

/* No line is wider than asked, unless it is a single word that does not fit
 * (never cut) or the one-line command; color changes no layout. */
START_TEST(test_errno_wrap_widths)
{
	static const int widths[] = {40, 50, 64, 80, 100, 132};

	for (size_t i = 0; i < kb_errno_ninfos; i++) {
		int num = kb_errno_infos[i].num;

		for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			char *text = strdup(written(num, widths[w], 0));
			char *line, *save = NULL;

			ck_assert_ptr_nonnull(text);
			for (line = strtok_r(text, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				const char *words = line + 15;

				ck_assert_msg(strlen(line) > 15, "%s: short line '%s'",
					      kb_errno_name(num), line);
				ck_assert_msg((int)strlen(line) <= widths[w] ||
						  strncmp(line, "Run next:", 9) == 0 ||
						  strchr(words, ' ') == NULL,
					      "%s at %d: line too long: '%s'", kb_errno_name(num),
					      widths[w], line);
			}
			free(text);
		}
	}
}
END_TEST

START_TEST(test_errno_color_same_layout)
{
	char *plain = strdup(written(ETIMEDOUT, 60, 0));
	char *color = strdup(written(ETIMEDOUT, 60, 1));
	char *o = color;

	ck_assert_ptr_nonnull(plain);
	ck_assert_ptr_nonnull(color);
	ck_assert_ptr_nonnull(strstr(color, "\033[1mWhat happened:\033[0m"));
	/* strip the SGR codes */
	for (const char *p = color; *p;) {
		if (*p == '\033') {
			p += strcspn(p, "m") + 1;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	assert_text_eq(color, plain);
	free(plain);
	free(color);
}
END_TEST

Suite *suite_errno(void)
{
	Suite *s = suite_create("errno");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_errno_name_table);
	tcase_add_test(tc, test_errno_complete);
	tcase_add_test(tc, test_errno_by_name_and_number);
	tcase_add_test(tc, test_errno_aliases);
	tcase_add_test(tc, test_errno_parse);
	tcase_add_test(tc, test_errno_socket_explanations);
	tcase_add_test(tc, test_errno_info_table);
	tcase_add_test(tc, test_errno_kernel_facts);
	tcase_add_test(tc, test_errno_matches);
	tcase_add_test(tc, test_errno_wrap_80);
	tcase_add_test(tc, test_errno_wrap_40);
	tcase_add_test(tc, test_errno_wrap_widths);
	tcase_add_test(tc, test_errno_color_same_layout);
	suite_add_tcase(s, tc);
	return s;
}
